/**
 * Stream 10, book snapshot: the top N levels of both sides after applying a Binance depth event, so a consumer
 * that starts late holds a correct book from its first message. Levels are best first; bids follow the fixed block,
 * then asks, 16 bytes each (price, qty in 1e-8 units). At most 64 levels per side.
 *
 * With `topSource` BOOK_TICKER the best bid and ask come from a `@bookTicker` newer than the last depth event (Binance
 * sends those in real time, depth diffs every 100 ms): the levels behind them are the depth book's, better prices the
 * ticker replaced are left out. Update ids chain: a snapshot's `firstUpdateId` ≤ the previous one's
 * `lastUpdateId` + 1 unless updates were missed (a hole), and `lastUpdateId` never goes back.
 *
 * Encoding order: `wrap`, then `levelCounts(bids, asks)` before any `bid`/`ask` (ask slots follow the bids).
 */
import type { AtomicBuffer } from '@mm/agrona';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import { HEADER_LENGTH, MessageHeader } from './MessageHeader.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';
import { BOOK_TOP_SOURCE_NAMES, type BookTopSource } from './Enums.js';

const RECV_TIME_NS = 16;
const EVENT_TIME_NS = 24;
const FIRST_UPDATE_ID = 32;
const LAST_UPDATE_ID = 40;
const SYMBOL = 48;
const BID_COUNT = 64;
const ASK_COUNT = 65;
const TOP_SOURCE = 66;
const BLOCK_LENGTH = 64;
const LEVEL_LENGTH = 16;
export const MAX_LEVELS_PER_SIDE = 64;

export const BookSnapshotCodec: MessageSpec = {
  name: 'BookSnapshot',
  templateId: TemplateId.BOOK_SNAPSHOT,
  streamId: StreamId.BOOK,
  blockLength: BLOCK_LENGTH,
  description: 'Top N levels of both sides of a Binance book after a depth event, or with a newer @bookTicker top (collector).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic ns when the WS frame was received' },
    { name: 'eventTimeNs', offset: EVENT_TIME_NS, type: 'epochNs', description: 'exchange event time E, epoch ns' },
    { name: 'firstUpdateId', offset: FIRST_UPDATE_ID, type: 'i64', description: 'U of the applied depth event (BOOK_TICKER: the previous lastUpdateId + 1)' },
    { name: 'lastUpdateId', offset: LAST_UPDATE_ID, type: 'i64', description: 'u of the applied depth event (BOOK_TICKER: the ticker\'s u)' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'bidCount', offset: BID_COUNT, type: 'u8', description: 'bid levels that follow (0..64)' },
    { name: 'askCount', offset: ASK_COUNT, type: 'u8', description: 'ask levels that follow the bids (0..64)' },
    { name: 'topSource', offset: TOP_SOURCE, type: 'enum', values: BOOK_TOP_SOURCE_NAMES, description: 'where the best levels come from: DEPTH or BOOK_TICKER' },
    { name: 'padding', offset: 67, type: 'padding', length: 5, description: 'zero' },
  ],
  levels: {
    bidCountOffset: BID_COUNT,
    askCountOffset: ASK_COUNT,
    maxPerSide: MAX_LEVELS_PER_SIDE,
    entryLength: LEVEL_LENGTH,
    description: 'bidCount bid levels then askCount ask levels, best first, from 8 + blockLength',
    fields: [
      { name: 'price', offset: 0, type: 'fixed8', description: 'price, 1e-8 units' },
      { name: 'qty', offset: 8, type: 'fixed8', description: 'quantity, 1e-8 units' },
    ],
  },
};

export class BookSnapshotEncoder extends EncoderFlyweight {
  private bids = 0;
  private asks = 0;

  constructor() { super(BookSnapshotCodec); }

  /** Bytes a snapshot with these level counts occupies. */
  static lengthFor(bidCount: number, askCount: number): number {
    return HEADER_LENGTH + BLOCK_LENGTH + (bidCount + askCount) * LEVEL_LENGTH;
  }

  override wrap(buffer: AtomicBuffer, offset: number): this {
    super.wrap(buffer, offset);
    this.bids = 0;
    this.asks = 0;
    return this;
  }

  override encodedLength(): number { return BookSnapshotEncoder.lengthFor(this.bids, this.asks); }

  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  eventTimeNs(ms: number, nanosOfMs: number): this { return this.putEpoch(EVENT_TIME_NS, ms, nanosOfMs); }
  eventTimeNsHiLo(hi: number, lo: number): this { return this.putHiLo(EVENT_TIME_NS, hi, lo); }
  firstUpdateId(v: number): this { return this.putI64(FIRST_UPDATE_ID, v); }
  lastUpdateId(v: number): this { return this.putI64(LAST_UPDATE_ID, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  topSource(v: BookTopSource): this { return this.putU8(TOP_SOURCE, v); }

  /** Sets both counts; throws if a count exceeds 64 or the levels would not fit in the buffer. */
  levelCounts(bidCount: number, askCount: number): this {
    if (!(bidCount >= 0 && bidCount <= MAX_LEVELS_PER_SIDE && askCount >= 0 && askCount <= MAX_LEVELS_PER_SIDE)) {
      throw new RangeError(`book level counts ${bidCount}/${askCount} outside 0..${MAX_LEVELS_PER_SIDE}`);
    }
    const length = BookSnapshotEncoder.lengthFor(bidCount, askCount);
    if (this.offset + length > this.buffer.capacity) {
      throw new RangeError(`book snapshot of ${length} bytes does not fit at ${this.offset} in ${this.buffer.capacity}`);
    }
    this.bids = bidCount;
    this.asks = askCount;
    this.putU8(BID_COUNT, bidCount);
    return this.putU8(ASK_COUNT, askCount);
  }

  bid(index: number, price: number, qty: number): this {
    const at = this.offset + HEADER_LENGTH + BLOCK_LENGTH + index * LEVEL_LENGTH;
    this.buffer.putInt64(at, price);
    this.buffer.putInt64(at + 8, qty);
    return this;
  }

  ask(index: number, price: number, qty: number): this {
    const at = this.offset + HEADER_LENGTH + BLOCK_LENGTH + (this.bids + index) * LEVEL_LENGTH;
    this.buffer.putInt64(at, price);
    this.buffer.putInt64(at + 8, qty);
    return this;
  }

  /** Writes counts and all levels from parallel arrays (best first). */
  levels(bidPrices: ArrayLike<number>, bidQtys: ArrayLike<number>, bidCount: number,
    askPrices: ArrayLike<number>, askQtys: ArrayLike<number>, askCount: number): this {
    this.levelCounts(bidCount, askCount);
    for (let i = 0; i < bidCount; i++) this.bid(i, bidPrices[i]!, bidQtys[i]!);
    for (let i = 0; i < askCount; i++) this.ask(i, askPrices[i]!, askQtys[i]!);
    return this;
  }
}

export class BookSnapshotDecoder extends DecoderFlyweight {
  private levelsOffset = 0;

  constructor() { super(BookSnapshotCodec); }

  override wrap(buffer: AtomicBuffer, offset: number): this {
    super.wrap(buffer, offset);
    // Levels start after the block length the sender declared, so a longer block from a later build is skipped.
    this.levelsOffset = offset + HEADER_LENGTH + MessageHeader.blockLength(buffer, offset);
    return this;
  }

  encodedLength(): number {
    return this.levelsOffset - this.offset + (this.bidCount() + this.askCount()) * LEVEL_LENGTH;
  }

  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  eventTimeMs(): number { return this.epochMs(EVENT_TIME_NS); }
  eventTimeNanosOfMs(): number { return this.epochNanosOfMs(EVENT_TIME_NS); }
  eventTimeNsHi(): number { return this.hi(EVENT_TIME_NS); }
  eventTimeNsLo(): number { return this.lo(EVENT_TIME_NS); }
  firstUpdateId(): number { return this.i64(FIRST_UPDATE_ID); }
  lastUpdateId(): number { return this.i64(LAST_UPDATE_ID); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  bidCount(): number { return this.u8(BID_COUNT); }
  askCount(): number { return this.u8(ASK_COUNT); }
  topSource(): BookTopSource { return this.u8(TOP_SOURCE) as BookTopSource; }
  bidPrice(index: number): number { return this.buffer.getInt64(this.levelsOffset + index * LEVEL_LENGTH); }
  bidQty(index: number): number { return this.buffer.getInt64(this.levelsOffset + index * LEVEL_LENGTH + 8); }
  askPrice(index: number): number {
    return this.buffer.getInt64(this.levelsOffset + (this.bidCount() + index) * LEVEL_LENGTH);
  }
  askQty(index: number): number {
    return this.buffer.getInt64(this.levelsOffset + (this.bidCount() + index) * LEVEL_LENGTH + 8);
  }
}

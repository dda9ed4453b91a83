import type { AtomicBuffer } from '@mm/agrona';

/**
 * One fill as a journal record (record kind FILL_RECORD_KIND): everything of a stream-16 fill message plus what a
 * venue needs to rebuild its state (its own order id, the quote id, the wall-clock time for daily PnL).
 *
 * | offset | size | field        | type        | description                                         |
 * |-------:|-----:|--------------|-------------|-----------------------------------------------------|
 * | 0      | 8    | fillId       | int64       | unique, increasing per venue                        |
 * | 8      | 8    | orderId      | int64       | venue order id                                      |
 * | 16     | 8    | quoteId      | int64       | quote id the order came from                        |
 * | 24     | 8    | price        | int64 1e-8  | fill price                                          |
 * | 32     | 8    | qty          | int64 1e-8  | fill quantity (> 0)                                 |
 * | 40     | 8    | fee          | int64 1e-8  | fee in quote units, negative = rebate               |
 * | 48     | 8    | fillTimeNs   | int64       | monotonic ns of the fill                            |
 * | 56     | 8    | recvTimeNs   | int64       | monotonic receive ns of the event behind the fill   |
 * | 64     | 8    | fillEpochMs  | int64       | wall-clock ms of the fill (UTC day of daily PnL)    |
 * | 72     | 16   | symbol       | char[16]    | NUL-padded ASCII, as on the wire                    |
 * | 88     | 1    | venue        | u8          | 1 SIMULATOR, 2 ENGINE (protocol Venue)              |
 * | 89     | 1    | side         | u8          | 1 BUY, 2 SELL                                       |
 * | 90     | 1    | liquidity    | u8          | 1 MAKER, 2 TAKER                                    |
 * | 91     | 5    | padding      | zero        |                                                     |
 *
 * A flyweight: `wrap(buffer, offset)` then getters/setters; it owns no data and allocates nothing except
 * `symbol()` (a string).
 */
export const FILL_RECORD_KIND = 0x46494c4c; // "FILL"
export const FILL_RECORD_LENGTH = 96;

const FILL_ID = 0;
const ORDER_ID = 8;
const QUOTE_ID = 16;
const PRICE = 24;
const QTY = 32;
const FEE = 40;
const FILL_TIME_NS = 48;
const RECV_TIME_NS = 56;
const FILL_EPOCH_MS = 64;
const SYMBOL = 72;
const SYMBOL_LENGTH = 16;
const VENUE = 88;
const SIDE = 89;
const LIQUIDITY = 90;

export class FillRecord {
  private buffer!: AtomicBuffer;
  private offset = 0;

  /** Points at a record; with `clear` the record is zeroed first (for writing). */
  wrap(buffer: AtomicBuffer, offset: number, clear = false): this {
    if (offset < 0 || offset + FILL_RECORD_LENGTH > buffer.capacity) {
      throw new RangeError(`fill record needs ${FILL_RECORD_LENGTH} bytes at ${offset}, buffer has ${buffer.capacity}`);
    }
    this.buffer = buffer;
    this.offset = offset;
    if (clear) buffer.setMemory(offset, FILL_RECORD_LENGTH, 0);
    return this;
  }

  /** The buffer wrapped (with symbolOffset(), to look the symbol up without a string). */
  wrappedBuffer(): AtomicBuffer { return this.buffer; }

  fillId(): number { return this.buffer.getInt64(this.offset + FILL_ID); }
  orderId(): number { return this.buffer.getInt64(this.offset + ORDER_ID); }
  quoteId(): number { return this.buffer.getInt64(this.offset + QUOTE_ID); }
  price(): number { return this.buffer.getInt64(this.offset + PRICE); }
  qty(): number { return this.buffer.getInt64(this.offset + QTY); }
  fee(): number { return this.buffer.getInt64(this.offset + FEE); }
  fillTimeNs(): number { return this.buffer.getInt64(this.offset + FILL_TIME_NS); }
  recvTimeNs(): number { return this.buffer.getInt64(this.offset + RECV_TIME_NS); }
  fillEpochMs(): number { return this.buffer.getInt64(this.offset + FILL_EPOCH_MS); }
  venue(): number { return this.buffer.getUint8(this.offset + VENUE); }
  side(): number { return this.buffer.getUint8(this.offset + SIDE); }
  liquidity(): number { return this.buffer.getUint8(this.offset + LIQUIDITY); }
  /** Offset of the 16 symbol bytes (to copy them into a wire message or look them up without a string). */
  symbolOffset(): number { return this.offset + SYMBOL; }

  /** The symbol as a string (allocates). */
  symbol(): string {
    let s = '';
    for (let i = 0; i < SYMBOL_LENGTH; i++) {
      const c = this.buffer.getUint8(this.offset + SYMBOL + i);
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }

  setFillId(v: number): this { this.buffer.putInt64(this.offset + FILL_ID, v); return this; }
  setOrderId(v: number): this { this.buffer.putInt64(this.offset + ORDER_ID, v); return this; }
  setQuoteId(v: number): this { this.buffer.putInt64(this.offset + QUOTE_ID, v); return this; }
  setPrice(v: number): this { this.buffer.putInt64(this.offset + PRICE, v); return this; }
  setQty(v: number): this { this.buffer.putInt64(this.offset + QTY, v); return this; }
  setFee(v: number): this { this.buffer.putInt64(this.offset + FEE, v); return this; }
  setFillTimeNs(v: number): this { this.buffer.putInt64(this.offset + FILL_TIME_NS, v); return this; }
  setRecvTimeNs(v: number): this { this.buffer.putInt64(this.offset + RECV_TIME_NS, v); return this; }
  setFillEpochMs(v: number): this { this.buffer.putInt64(this.offset + FILL_EPOCH_MS, v); return this; }
  setVenue(v: number): this { this.buffer.putUint8(this.offset + VENUE, v); return this; }
  setSide(v: number): this { this.buffer.putUint8(this.offset + SIDE, v); return this; }
  setLiquidity(v: number): this { this.buffer.putUint8(this.offset + LIQUIDITY, v); return this; }

  /** Copies the 16 wire bytes of a symbol (NUL-padded; shorter arrays are padded with NUL). */
  setSymbolBytes(bytes: Uint8Array): this {
    for (let i = 0; i < SYMBOL_LENGTH; i++) this.buffer.putUint8(this.offset + SYMBOL + i, bytes[i] ?? 0);
    return this;
  }
}

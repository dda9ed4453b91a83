/**
 * Stream 15, pull-quotes: cancel every resting quote of one symbol, or of all symbols (`allSymbols`, symbol
 * empty), at one venue. Must not be lost (the strategy publishes it with retries, never conflated).
 */
import { PULL_REASON_NAMES, VENUE_NAMES, type PullReason, type Venue } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { getAscii, putAsciiStrict, symbolEquals, type SymbolTable } from './Symbol.js';
import { StreamId, TemplateId } from './Templates.js';

const RECV_TIME_NS = 16;
const QUOTE_ID = 24;
const SEND_TIME_NS = 32;
const SYMBOL = 40;
const VENUE = 56;
const ALL_SYMBOLS = 57;
const REASON = 58;

export const PullQuotesCodec: MessageSpec = {
  name: 'PullQuotes',
  templateId: TemplateId.PULL_QUOTES,
  streamId: StreamId.QUOTES,
  blockLength: 56,
  description: 'Cancel all quotes of a symbol (or all symbols) at a venue (strategy).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the event behind the pull (or send time)' },
    { name: 'quoteId', offset: QUOTE_ID, type: 'i64', description: 'quote id (same sequence as quotes)' },
    { name: 'sendTimeNs', offset: SEND_TIME_NS, type: 'i64', description: 'monotonic ns when published' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, empty when allSymbols' },
    { name: 'venue', offset: VENUE, type: 'enum', values: VENUE_NAMES, description: 'target venue' },
    { name: 'allSymbols', offset: ALL_SYMBOLS, type: 'bool', description: '1 = every symbol' },
    { name: 'reason', offset: REASON, type: 'enum', values: PULL_REASON_NAMES, description: 'why' },
    { name: 'padding', offset: 59, type: 'padding', length: 5, description: 'zero' },
  ],
};

export class PullQuotesEncoder extends EncoderFlyweight {
  constructor() { super(PullQuotesCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  quoteId(v: number): this { return this.putI64(QUOTE_ID, v); }
  sendTimeNs(v: number): this { return this.putI64(SEND_TIME_NS, v); }
  /** Empty string with `allSymbols(true)`. */
  symbol(v: string): this { putAsciiStrict(this.buffer, this.offset + SYMBOL, 16, v, 'symbol'); return this; }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  venue(v: Venue): this { return this.putU8(VENUE, v); }
  allSymbols(v: boolean): this { return this.putU8(ALL_SYMBOLS, v ? 1 : 0); }
  reason(v: PullReason): this { return this.putU8(REASON, v); }
}

export class PullQuotesDecoder extends DecoderFlyweight {
  constructor() { super(PullQuotesCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  quoteId(): number { return this.i64(QUOTE_ID); }
  sendTimeNs(): number { return this.i64(SEND_TIME_NS); }
  symbol(): string { return getAscii(this.buffer, this.offset + SYMBOL, 16); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return symbolEquals(this.buffer, this.offset + SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  venue(): number { return this.u8(VENUE); }
  allSymbols(): boolean { return this.u8(ALL_SYMBOLS) === 1; }
  reason(): number { return this.u8(REASON); }
  /** True when this pull applies to the symbol given as 16 wire bytes. */
  appliesTo(symbol: Uint8Array): boolean { return this.allSymbols() || this.symbolEquals(symbol); }
}

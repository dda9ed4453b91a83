/**
 * Stream 15, quote: a two-sided quote addressed to one venue. A side with quantity 0 is absent (one-sided quote);
 * the latest quote for (venue, symbol) supersedes the previous. quoteId increases per strategy instance.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { QUOTE_CAUSE_NAMES, VENUE_NAMES, type QuoteCause, type Venue } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const QUOTE_ID = 24;
const SEND_TIME_NS = 32;
const BID_PRICE = 40;
const BID_QTY = 48;
const ASK_PRICE = 56;
const ASK_QTY = 64;
const SYMBOL = 72;
const VENUE = 88;
const CAUSE = 89;

export const QuoteCodec: MessageSpec = {
  name: 'Quote',
  templateId: TemplateId.QUOTE,
  streamId: StreamId.QUOTES,
  blockLength: 88,
  description: 'Bid and ask addressed to a venue (strategy); qty 0 = side absent.',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the market event behind this quote' },
    { name: 'quoteId', offset: QUOTE_ID, type: 'i64', description: 'increasing quote id' },
    { name: 'sendTimeNs', offset: SEND_TIME_NS, type: 'i64', description: 'monotonic ns when published' },
    { name: 'bidPrice', offset: BID_PRICE, type: 'fixed8', description: 'bid price, 1e-8 units' },
    { name: 'bidQty', offset: BID_QTY, type: 'fixed8', description: 'bid quantity, 1e-8 units (0 = no bid)' },
    { name: 'askPrice', offset: ASK_PRICE, type: 'fixed8', description: 'ask price, 1e-8 units' },
    { name: 'askQty', offset: ASK_QTY, type: 'fixed8', description: 'ask quantity, 1e-8 units (0 = no ask)' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'venue', offset: VENUE, type: 'enum', values: VENUE_NAMES, description: 'target venue' },
    { name: 'cause', offset: CAUSE, type: 'enum', values: QUOTE_CAUSE_NAMES, description: 'why it was decided: PRICING = a new fair value (tick-to-quote counts these), REDECIDE = same pricing re-decided' },
    { name: 'padding', offset: 90, type: 'padding', length: 6, description: 'zero' },
  ],
};

export class QuoteEncoder extends EncoderFlyweight {
  constructor() { super(QuoteCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  quoteId(v: number): this { return this.putI64(QUOTE_ID, v); }
  sendTimeNs(v: number): this { return this.putI64(SEND_TIME_NS, v); }
  bidPrice(v: number): this { return this.putI64(BID_PRICE, v); }
  bidQty(v: number): this { return this.putI64(BID_QTY, v); }
  askPrice(v: number): this { return this.putI64(ASK_PRICE, v); }
  askQty(v: number): this { return this.putI64(ASK_QTY, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  venue(v: Venue): this { return this.putU8(VENUE, v); }
  cause(v: QuoteCause): this { return this.putU8(CAUSE, v); }
}

export class QuoteDecoder extends DecoderFlyweight {
  constructor() { super(QuoteCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  quoteId(): number { return this.i64(QUOTE_ID); }
  sendTimeNs(): number { return this.i64(SEND_TIME_NS); }
  bidPrice(): number { return this.i64(BID_PRICE); }
  bidQty(): number { return this.i64(BID_QTY); }
  askPrice(): number { return this.i64(ASK_PRICE); }
  askQty(): number { return this.i64(ASK_QTY); }
  hasBid(): boolean { return this.bidQty() !== 0; }
  hasAsk(): boolean { return this.askQty() !== 0; }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  venue(): number { return this.u8(VENUE); }
  cause(): number { return this.u8(CAUSE); }
}

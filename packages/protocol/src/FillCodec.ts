/**
 * Stream 16, fill: one execution of a quote at a venue. fillId is unique and increasing per venue; fills are
 * journaled before they are published and never conflated. fee is in 1e-8 quote-asset units, negative for a rebate.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { LIQUIDITY_NAMES, SIDE_NAMES, VENUE_NAMES, type Liquidity, type Side, type Venue } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const FILL_ID = 24;
const ORDER_ID = 32;
const PRICE = 40;
const QTY = 48;
const FEE = 56;
const FILL_TIME_NS = 64;
const SYMBOL = 72;
const VENUE = 88;
const SIDE = 89;
const LIQUIDITY = 90;

export const FillCodec: MessageSpec = {
  name: 'Fill',
  templateId: TemplateId.FILL,
  streamId: StreamId.FILLS,
  blockLength: 88,
  description: 'An execution at a venue (simulator, matching engine).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the event that caused the fill' },
    { name: 'fillId', offset: FILL_ID, type: 'i64', description: 'fill id, unique and increasing per venue' },
    { name: 'orderId', offset: ORDER_ID, type: 'i64', description: 'quote id (or venue order id) that filled' },
    { name: 'price', offset: PRICE, type: 'fixed8', description: 'price, 1e-8 units' },
    { name: 'qty', offset: QTY, type: 'fixed8', description: 'quantity, 1e-8 units' },
    { name: 'fee', offset: FEE, type: 'fixed8', description: 'fee, 1e-8 quote-asset units (negative = rebate)' },
    { name: 'fillTimeNs', offset: FILL_TIME_NS, type: 'i64', description: 'monotonic ns of the fill' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'venue', offset: VENUE, type: 'enum', values: VENUE_NAMES, description: 'venue' },
    { name: 'side', offset: SIDE, type: 'enum', values: SIDE_NAMES, description: 'our side' },
    { name: 'liquidity', offset: LIQUIDITY, type: 'enum', values: LIQUIDITY_NAMES, description: 'maker or taker' },
    { name: 'padding', offset: 91, type: 'padding', length: 5, description: 'zero' },
  ],
};

export class FillEncoder extends EncoderFlyweight {
  constructor() { super(FillCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  fillId(v: number): this { return this.putI64(FILL_ID, v); }
  orderId(v: number): this { return this.putI64(ORDER_ID, v); }
  price(v: number): this { return this.putI64(PRICE, v); }
  qty(v: number): this { return this.putI64(QTY, v); }
  fee(v: number): this { return this.putI64(FEE, v); }
  fillTimeNs(v: number): this { return this.putI64(FILL_TIME_NS, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  venue(v: Venue): this { return this.putU8(VENUE, v); }
  side(v: Side): this { return this.putU8(SIDE, v); }
  liquidity(v: Liquidity): this { return this.putU8(LIQUIDITY, v); }
}

export class FillDecoder extends DecoderFlyweight {
  constructor() { super(FillCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  fillId(): number { return this.i64(FILL_ID); }
  orderId(): number { return this.i64(ORDER_ID); }
  price(): number { return this.i64(PRICE); }
  qty(): number { return this.i64(QTY); }
  fee(): number { return this.i64(FEE); }
  fillTimeNs(): number { return this.i64(FILL_TIME_NS); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  venue(): number { return this.u8(VENUE); }
  side(): number { return this.u8(SIDE); }
  liquidity(): number { return this.u8(LIQUIDITY); }
}

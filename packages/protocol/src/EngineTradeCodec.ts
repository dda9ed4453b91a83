/**
 * Stream 18, matching-engine trade. Prices and quantities are the engine's integer ticks and lots (not 1e-8
 * units); user and order ids are the engine protocol's u32. The buyer is listed first, as in the engine protocol.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { SIDE_OR_NONE_NAMES, type Side } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const ENGINE_SEQUENCE = 24;
const PRICE = 32;
const QTY = 40;
const BUY_USER_ID = 48;
const BUY_ORDER_ID = 52;
const SELL_USER_ID = 56;
const SELL_ORDER_ID = 60;
const SYMBOL = 64;
const AGGRESSOR_SIDE = 80;

export const EngineTradeCodec: MessageSpec = {
  name: 'EngineTrade',
  templateId: TemplateId.ENGINE_TRADE,
  streamId: StreamId.ENGINE_TRADES,
  blockLength: 80,
  description: 'A trade in the matching engine (matching-engine).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the order that traded' },
    { name: 'engineSequence', offset: ENGINE_SEQUENCE, type: 'i64', description: 'engine market-data sequence' },
    { name: 'price', offset: PRICE, type: 'i64', description: 'price, engine ticks' },
    { name: 'qty', offset: QTY, type: 'i64', description: 'quantity, engine lots' },
    { name: 'buyUserId', offset: BUY_USER_ID, type: 'u32', description: 'buyer user id' },
    { name: 'buyOrderId', offset: BUY_ORDER_ID, type: 'u32', description: 'buyer user order id' },
    { name: 'sellUserId', offset: SELL_USER_ID, type: 'u32', description: 'seller user id' },
    { name: 'sellOrderId', offset: SELL_ORDER_ID, type: 'u32', description: 'seller user order id' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'aggressorSide', offset: AGGRESSOR_SIDE, type: 'enum', values: SIDE_OR_NONE_NAMES, description: 'aggressor side (NONE if unknown)' },
    { name: 'padding', offset: 81, type: 'padding', length: 7, description: 'zero' },
  ],
};

export class EngineTradeEncoder extends EncoderFlyweight {
  constructor() { super(EngineTradeCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  engineSequence(v: number): this { return this.putI64(ENGINE_SEQUENCE, v); }
  price(v: number): this { return this.putI64(PRICE, v); }
  qty(v: number): this { return this.putI64(QTY, v); }
  buyUserId(v: number): this { return this.putU32(BUY_USER_ID, v); }
  buyOrderId(v: number): this { return this.putU32(BUY_ORDER_ID, v); }
  sellUserId(v: number): this { return this.putU32(SELL_USER_ID, v); }
  sellOrderId(v: number): this { return this.putU32(SELL_ORDER_ID, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  aggressorSide(v: Side | 0): this { return this.putU8(AGGRESSOR_SIDE, v); }
}

export class EngineTradeDecoder extends DecoderFlyweight {
  constructor() { super(EngineTradeCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  engineSequence(): number { return this.i64(ENGINE_SEQUENCE); }
  price(): number { return this.i64(PRICE); }
  qty(): number { return this.i64(QTY); }
  buyUserId(): number { return this.u32(BUY_USER_ID); }
  buyOrderId(): number { return this.u32(BUY_ORDER_ID); }
  sellUserId(): number { return this.u32(SELL_USER_ID); }
  sellOrderId(): number { return this.u32(SELL_ORDER_ID); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  aggressorSide(): number { return this.u8(AGGRESSOR_SIDE); }
}

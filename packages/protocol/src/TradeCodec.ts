/** Stream 13, trade: one Binance trade with its aggressor side (buyer is maker → aggressor SELL). */
import type { AtomicBuffer } from '@mm/agrona';
import { SIDE_NAMES, type Side } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const TRADE_TIME_NS = 24;
const TRADE_ID = 32;
const PRICE = 40;
const QTY = 48;
const SYMBOL = 56;
const AGGRESSOR_SIDE = 72;

export const TradeCodec: MessageSpec = {
  name: 'Trade',
  templateId: TemplateId.TRADE,
  streamId: StreamId.TRADES,
  blockLength: 72,
  description: 'A Binance trade (collector).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic ns when the WS frame was received' },
    { name: 'tradeTimeNs', offset: TRADE_TIME_NS, type: 'epochNs', description: 'exchange trade time T, epoch ns' },
    { name: 'tradeId', offset: TRADE_ID, type: 'i64', description: 'exchange trade id' },
    { name: 'price', offset: PRICE, type: 'fixed8', description: 'price, 1e-8 units' },
    { name: 'qty', offset: QTY, type: 'fixed8', description: 'quantity, 1e-8 units' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'aggressorSide', offset: AGGRESSOR_SIDE, type: 'enum', values: SIDE_NAMES, description: 'side of the taker: m=true → SELL' },
    { name: 'padding', offset: 73, type: 'padding', length: 7, description: 'zero' },
  ],
};

export class TradeEncoder extends EncoderFlyweight {
  constructor() { super(TradeCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  tradeTimeNs(ms: number, nanosOfMs: number): this { return this.putEpoch(TRADE_TIME_NS, ms, nanosOfMs); }
  tradeTimeNsHiLo(hi: number, lo: number): this { return this.putHiLo(TRADE_TIME_NS, hi, lo); }
  tradeId(v: number): this { return this.putI64(TRADE_ID, v); }
  price(v: number): this { return this.putI64(PRICE, v); }
  qty(v: number): this { return this.putI64(QTY, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  aggressorSide(v: Side): this { return this.putU8(AGGRESSOR_SIDE, v); }
}

export class TradeDecoder extends DecoderFlyweight {
  constructor() { super(TradeCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  tradeTimeMs(): number { return this.epochMs(TRADE_TIME_NS); }
  tradeTimeNanosOfMs(): number { return this.epochNanosOfMs(TRADE_TIME_NS); }
  tradeTimeNsHi(): number { return this.hi(TRADE_TIME_NS); }
  tradeTimeNsLo(): number { return this.lo(TRADE_TIME_NS); }
  tradeId(): number { return this.i64(TRADE_ID); }
  price(): number { return this.i64(PRICE); }
  qty(): number { return this.i64(QTY); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  aggressorSide(): number { return this.u8(AGGRESSOR_SIDE); }
}

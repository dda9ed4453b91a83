/**
 * Stream 17, position snapshot of one symbol at one venue, including every fill up to `lastFillId`.
 *
 * Units (decision): quantity and fees are exact sums of fills, so they are int64 1e-8 units (quantity signed, base
 * asset; fees in quote asset, negative = net rebate). averagePrice, realizedPnl, unrealizedPnl and markPrice are
 * derived values, float64 in price / quote-asset units; unrealizedPnl is marked to markPrice (the mid).
 * dailyRealizedPnl and dailyFees cover the current UTC day and are rebuilt from the venue's fill journal on restart,
 * so a strategy's daily loss limit cannot be escaped by a crash.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { VENUE_NAMES, type Venue } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const TIME_NS = 24;
const LAST_FILL_ID = 32;
const QUANTITY = 40;
const FEES = 48;
const AVERAGE_PRICE = 56;
const REALIZED_PNL = 64;
const UNREALIZED_PNL = 72;
const MARK_PRICE = 80;
const SYMBOL = 88;
const VENUE = 104;
const DAILY_REALIZED_PNL = 112;
const DAILY_FEES = 120;

export const PositionCodec: MessageSpec = {
  name: 'Position',
  templateId: TemplateId.POSITION,
  streamId: StreamId.POSITIONS,
  blockLength: 120,
  description: 'Position snapshot of a symbol at a venue (simulator, matching engine).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the event behind the last change' },
    { name: 'timeNs', offset: TIME_NS, type: 'i64', description: 'monotonic ns of the snapshot' },
    { name: 'lastFillId', offset: LAST_FILL_ID, type: 'i64', description: 'last fill id included (0 = none)' },
    { name: 'quantity', offset: QUANTITY, type: 'fixed8', description: 'signed position, 1e-8 base-asset units' },
    { name: 'fees', offset: FEES, type: 'fixed8', description: 'fees paid, 1e-8 quote-asset units (negative = rebates)' },
    { name: 'averagePrice', offset: AVERAGE_PRICE, type: 'f64', description: 'average entry price of the open position, price units' },
    { name: 'realizedPnl', offset: REALIZED_PNL, type: 'f64', description: 'realized PnL before fees, quote-asset units' },
    { name: 'unrealizedPnl', offset: UNREALIZED_PNL, type: 'f64', description: 'unrealized PnL marked to markPrice, quote-asset units' },
    { name: 'markPrice', offset: MARK_PRICE, type: 'f64', description: 'mark (mid) used, price units' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'venue', offset: VENUE, type: 'enum', values: VENUE_NAMES, description: 'venue' },
    { name: 'padding', offset: 105, type: 'padding', length: 7, description: 'zero' },
    { name: 'dailyRealizedPnl', offset: DAILY_REALIZED_PNL, type: 'f64', description: 'realized PnL before fees since 00:00 UTC, from the venue journal' },
    { name: 'dailyFees', offset: DAILY_FEES, type: 'fixed8', description: 'fees since 00:00 UTC, 1e-8 quote-asset units, from the venue journal' },
  ],
};

export class PositionEncoder extends EncoderFlyweight {
  constructor() { super(PositionCodec); }
  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  timeNs(v: number): this { return this.putI64(TIME_NS, v); }
  lastFillId(v: number): this { return this.putI64(LAST_FILL_ID, v); }
  quantity(v: number): this { return this.putI64(QUANTITY, v); }
  fees(v: number): this { return this.putI64(FEES, v); }
  averagePrice(v: number): this { return this.putF64(AVERAGE_PRICE, v); }
  realizedPnl(v: number): this { return this.putF64(REALIZED_PNL, v); }
  unrealizedPnl(v: number): this { return this.putF64(UNREALIZED_PNL, v); }
  markPrice(v: number): this { return this.putF64(MARK_PRICE, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  venue(v: Venue): this { return this.putU8(VENUE, v); }
  dailyRealizedPnl(v: number): this { return this.putF64(DAILY_REALIZED_PNL, v); }
  dailyFees(v: number): this { return this.putI64(DAILY_FEES, v); }
}

export class PositionDecoder extends DecoderFlyweight {
  constructor() { super(PositionCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  timeNs(): number { return this.i64(TIME_NS); }
  lastFillId(): number { return this.i64(LAST_FILL_ID); }
  quantity(): number { return this.i64(QUANTITY); }
  fees(): number { return this.i64(FEES); }
  averagePrice(): number { return this.f64(AVERAGE_PRICE); }
  realizedPnl(): number { return this.f64(REALIZED_PNL); }
  unrealizedPnl(): number { return this.f64(UNREALIZED_PNL); }
  markPrice(): number { return this.f64(MARK_PRICE); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  venue(): number { return this.u8(VENUE); }
  dailyRealizedPnl(): number { return this.f64(DAILY_REALIZED_PNL); }
  dailyFees(): number { return this.i64(DAILY_FEES); }
}

/**
 * Stream 14, pricing: the estimators' output for one symbol. Model outputs are float64 in price units and
 * seconds; the best bid/ask travel exact (1e-8 units) for the strategy's "never cross the book" rule.
 *
 * Units: sigma in price/√s; variance in price²/s (sigma² — both carried so neither side recomputes); drift and its
 * two components in price/s; ofi in quantity/s (EWMA of order-flow imbalance);
 * tradeFlow in quantity/s (EWMA of signed aggressor volume); quantities in base-asset units (not 1e-8).
 * recvTimeNs is the triggering market event's.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { FAIR_VALUE_METHOD_NAMES, PRICING_FLAG_NAMES, type FairValueMethod } from './Enums.js';
import { DecoderFlyweight, EncoderFlyweight } from './Flyweight.js';
import type { MessageSpec } from './MessageSpec.js';
import { StreamId, TemplateId } from './Templates.js';
import type { SymbolTable } from './Symbol.js';

const RECV_TIME_NS = 16;
const PUBLISH_TIME_NS = 24;
const BOOK_AGE_NS = 32;
const BEST_BID_PRICE = 40;
const BEST_BID_QTY = 48;
const BEST_ASK_PRICE = 56;
const BEST_ASK_QTY = 64;
const MID = 72;
const WEIGHTED_MID = 80;
const MICRO_PRICE = 88;
const FAIR_VALUE = 96;
const SIGMA = 104;
const VARIANCE = 112;
const DRIFT = 120;
const OFI_DRIFT = 128;
const TRADE_FLOW_DRIFT = 136;
const OFI = 144;
const TRADE_FLOW = 152;
const VOL_SAMPLES = 160;
const MICRO_SAMPLES = 164;
const SYMBOL = 168;
const FLAGS = 184;
const FAIR_VALUE_METHOD = 185;
const FAIR_VALUE_SOURCE = 186;

export const PricingCodec: MessageSpec = {
  name: 'Pricing',
  templateId: TemplateId.PRICING,
  streamId: StreamId.PRICING,
  blockLength: 184,
  description: 'Fair value, volatility, drift and quality for one symbol (pricing).',
  fields: [
    { name: 'sequence', offset: 8, type: 'i64', description: 'publisher sequence number' },
    { name: 'recvTimeNs', offset: RECV_TIME_NS, type: 'i64', description: 'monotonic receive ns of the triggering market event' },
    { name: 'publishTimeNs', offset: PUBLISH_TIME_NS, type: 'i64', description: 'monotonic ns when computed' },
    { name: 'bookAgeNs', offset: BOOK_AGE_NS, type: 'i64', description: 'age of the last book update at publish, ns' },
    { name: 'bestBidPrice', offset: BEST_BID_PRICE, type: 'fixed8', description: 'best bid, 1e-8 units' },
    { name: 'bestBidQty', offset: BEST_BID_QTY, type: 'fixed8', description: 'best bid quantity, 1e-8 units' },
    { name: 'bestAskPrice', offset: BEST_ASK_PRICE, type: 'fixed8', description: 'best ask, 1e-8 units' },
    { name: 'bestAskQty', offset: BEST_ASK_QTY, type: 'fixed8', description: 'best ask quantity, 1e-8 units' },
    { name: 'mid', offset: MID, type: 'f64', description: '(bid + ask) / 2, price units' },
    { name: 'weightedMid', offset: WEIGHTED_MID, type: 'f64', description: 'size-weighted mid, price units' },
    { name: 'microPrice', offset: MICRO_PRICE, type: 'f64', description: 'Stoikov micro-price (weighted mid until calibrated), price units' },
    { name: 'fairValue', offset: FAIR_VALUE, type: 'f64', description: 'the configured fair value, price units' },
    { name: 'sigma', offset: SIGMA, type: 'f64', description: 'volatility, price/√s' },
    { name: 'variance', offset: VARIANCE, type: 'f64', description: 'variance rate sigma², price²/s' },
    { name: 'drift', offset: DRIFT, type: 'f64', description: 'expected drift, price/s (ofiDrift + tradeFlowDrift)' },
    { name: 'ofiDrift', offset: OFI_DRIFT, type: 'f64', description: 'order-flow-imbalance term of drift, price/s' },
    { name: 'tradeFlowDrift', offset: TRADE_FLOW_DRIFT, type: 'f64', description: 'trade-flow term of drift, price/s' },
    { name: 'ofi', offset: OFI, type: 'f64', description: 'EWMA order-flow imbalance, quantity/s' },
    { name: 'tradeFlow', offset: TRADE_FLOW, type: 'f64', description: 'EWMA signed aggressor volume, quantity/s' },
    { name: 'volSamples', offset: VOL_SAMPLES, type: 'u32', description: 'returns in the volatility estimate' },
    { name: 'microSamples', offset: MICRO_SAMPLES, type: 'u32', description: 'mid moves in the micro-price calibration window' },
    { name: 'symbol', offset: SYMBOL, type: 'char', length: 16, description: 'symbol, NUL-padded ASCII' },
    { name: 'flags', offset: FLAGS, type: 'flags', values: PRICING_FLAG_NAMES, description: 'quality bits' },
    { name: 'fairValueMethod', offset: FAIR_VALUE_METHOD, type: 'enum', values: FAIR_VALUE_METHOD_NAMES, description: 'method configured' },
    { name: 'fairValueSource', offset: FAIR_VALUE_SOURCE, type: 'enum', values: FAIR_VALUE_METHOD_NAMES, description: 'method that produced fairValue (fallback)' },
    { name: 'padding', offset: 187, type: 'padding', length: 5, description: 'zero' },
  ],
};

/**
 * Every pricing field but `sequence` and `symbol`, by name: the pricing engine's result object (models'
 * `PricingResult`) has exactly this shape, so it can be written in one call without either package importing the other.
 */
export interface PricingValues {
  readonly recvTimeNs: number;
  readonly publishTimeNs: number;
  readonly bookAgeNs: number;
  readonly bestBidPrice: number;
  readonly bestBidQty: number;
  readonly bestAskPrice: number;
  readonly bestAskQty: number;
  readonly mid: number;
  readonly weightedMid: number;
  readonly microPrice: number;
  readonly fairValue: number;
  readonly sigma: number;
  readonly variance: number;
  readonly drift: number;
  readonly ofiDrift: number;
  readonly tradeFlowDrift: number;
  readonly ofi: number;
  readonly tradeFlow: number;
  readonly volSamples: number;
  readonly microSamples: number;
  readonly flags: number;
  readonly fairValueMethod: number;
  readonly fairValueSource: number;
}

export class PricingEncoder extends EncoderFlyweight {
  constructor() { super(PricingCodec); }

  /** Writes every field of `v` (all but sequence and symbol). */
  values(v: PricingValues): this {
    const b = this.buffer;
    const o = this.offset;
    b.putInt64(o + RECV_TIME_NS, v.recvTimeNs);
    b.putInt64(o + PUBLISH_TIME_NS, v.publishTimeNs);
    b.putInt64(o + BOOK_AGE_NS, v.bookAgeNs);
    b.putInt64(o + BEST_BID_PRICE, v.bestBidPrice);
    b.putInt64(o + BEST_BID_QTY, v.bestBidQty);
    b.putInt64(o + BEST_ASK_PRICE, v.bestAskPrice);
    b.putInt64(o + BEST_ASK_QTY, v.bestAskQty);
    b.putFloat64(o + MID, v.mid);
    b.putFloat64(o + WEIGHTED_MID, v.weightedMid);
    b.putFloat64(o + MICRO_PRICE, v.microPrice);
    b.putFloat64(o + FAIR_VALUE, v.fairValue);
    b.putFloat64(o + SIGMA, v.sigma);
    b.putFloat64(o + VARIANCE, v.variance);
    b.putFloat64(o + DRIFT, v.drift);
    b.putFloat64(o + OFI_DRIFT, v.ofiDrift);
    b.putFloat64(o + TRADE_FLOW_DRIFT, v.tradeFlowDrift);
    b.putFloat64(o + OFI, v.ofi);
    b.putFloat64(o + TRADE_FLOW, v.tradeFlow);
    b.putUint32(o + VOL_SAMPLES, v.volSamples);
    b.putUint32(o + MICRO_SAMPLES, v.microSamples);
    b.putUint8(o + FLAGS, v.flags);
    b.putUint8(o + FAIR_VALUE_METHOD, v.fairValueMethod);
    b.putUint8(o + FAIR_VALUE_SOURCE, v.fairValueSource);
    return this;
  }

  recvTimeNs(v: number): this { return this.putI64(RECV_TIME_NS, v); }
  publishTimeNs(v: number): this { return this.putI64(PUBLISH_TIME_NS, v); }
  bookAgeNs(v: number): this { return this.putI64(BOOK_AGE_NS, v); }
  bestBidPrice(v: number): this { return this.putI64(BEST_BID_PRICE, v); }
  bestBidQty(v: number): this { return this.putI64(BEST_BID_QTY, v); }
  bestAskPrice(v: number): this { return this.putI64(BEST_ASK_PRICE, v); }
  bestAskQty(v: number): this { return this.putI64(BEST_ASK_QTY, v); }
  mid(v: number): this { return this.putF64(MID, v); }
  weightedMid(v: number): this { return this.putF64(WEIGHTED_MID, v); }
  microPrice(v: number): this { return this.putF64(MICRO_PRICE, v); }
  fairValue(v: number): this { return this.putF64(FAIR_VALUE, v); }
  sigma(v: number): this { return this.putF64(SIGMA, v); }
  variance(v: number): this { return this.putF64(VARIANCE, v); }
  drift(v: number): this { return this.putF64(DRIFT, v); }
  ofiDrift(v: number): this { return this.putF64(OFI_DRIFT, v); }
  tradeFlowDrift(v: number): this { return this.putF64(TRADE_FLOW_DRIFT, v); }
  ofi(v: number): this { return this.putF64(OFI, v); }
  tradeFlow(v: number): this { return this.putF64(TRADE_FLOW, v); }
  volSamples(v: number): this { return this.putU32(VOL_SAMPLES, v); }
  microSamples(v: number): this { return this.putU32(MICRO_SAMPLES, v); }
  symbol(v: string): this { return this.putSym(SYMBOL, v); }
  symbolBytes(bytes: Uint8Array): this { return this.putSymBytes(SYMBOL, bytes); }
  symbolFrom(src: AtomicBuffer, srcOffset: number): this { return this.copySym(SYMBOL, src, srcOffset); }
  flags(v: number): this { return this.putU8(FLAGS, v); }
  fairValueMethod(v: FairValueMethod): this { return this.putU8(FAIR_VALUE_METHOD, v); }
  fairValueSource(v: FairValueMethod): this { return this.putU8(FAIR_VALUE_SOURCE, v); }
}

export class PricingDecoder extends DecoderFlyweight {
  constructor() { super(PricingCodec); }
  recvTimeNs(): number { return this.i64(RECV_TIME_NS); }
  publishTimeNs(): number { return this.i64(PUBLISH_TIME_NS); }
  bookAgeNs(): number { return this.i64(BOOK_AGE_NS); }
  bestBidPrice(): number { return this.i64(BEST_BID_PRICE); }
  bestBidQty(): number { return this.i64(BEST_BID_QTY); }
  bestAskPrice(): number { return this.i64(BEST_ASK_PRICE); }
  bestAskQty(): number { return this.i64(BEST_ASK_QTY); }
  mid(): number { return this.f64(MID); }
  weightedMid(): number { return this.f64(WEIGHTED_MID); }
  microPrice(): number { return this.f64(MICRO_PRICE); }
  fairValue(): number { return this.f64(FAIR_VALUE); }
  sigma(): number { return this.f64(SIGMA); }
  variance(): number { return this.f64(VARIANCE); }
  drift(): number { return this.f64(DRIFT); }
  ofiDrift(): number { return this.f64(OFI_DRIFT); }
  tradeFlowDrift(): number { return this.f64(TRADE_FLOW_DRIFT); }
  ofi(): number { return this.f64(OFI); }
  tradeFlow(): number { return this.f64(TRADE_FLOW); }
  volSamples(): number { return this.u32(VOL_SAMPLES); }
  microSamples(): number { return this.u32(MICRO_SAMPLES); }
  symbol(): string { return this.sym(SYMBOL); }
  symbolIndex(table: SymbolTable): number { return this.symIndex(SYMBOL, table); }
  symbolEquals(bytes: Uint8Array): boolean { return this.symEquals(SYMBOL, bytes); }
  symbolOffset(): number { return this.offset + SYMBOL; }
  flags(): number { return this.u8(FLAGS); }
  fairValueMethod(): number { return this.u8(FAIR_VALUE_METHOD); }
  fairValueSource(): number { return this.u8(FAIR_VALUE_SOURCE); }
}

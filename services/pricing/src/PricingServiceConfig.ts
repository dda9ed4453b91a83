import { c } from '@mm/config';
import { DEFAULT_PRICING_CONFIG as D } from '@mm/models';

/**
 * `config/pricing.toml`: the estimators' settings (see packages/models/src/pricing/PricingConfig.ts for meanings).
 * Tick sizes come from `config/symbols.toml` overrides, else the instrument (stream 20), else (until it is known)
 * `default-tick-size`.
 */
export const pricingSchema = {
  fairValue: c.object({
    method: c.enum(['mid', 'weighted-mid', 'micro-price'], { default: D.fairValueMethod }),
  }),
  volatility: c.object({
    sampleIntervalMs: c.int({ min: 1, max: 60_000, default: D.volSampleIntervalMs }),
    halfLifeS: c.number({ min: 0.001, max: 86_400, default: D.volHalfLifeS }),
    minSamples: c.int({ min: 0, max: 1_000_000, default: D.minVolSamples }),
  }),
  drift: c.object({
    ofiHalfLifeS: c.number({ min: 0.001, max: 86_400, default: D.ofiHalfLifeS }),
    tradeFlowHalfLifeS: c.number({ min: 0.001, max: 86_400, default: D.tradeFlowHalfLifeS }),
    ofiWeight: c.number({ default: D.ofiWeight, doc: 'price per unit of base quantity' }),
    tradeFlowWeight: c.number({ default: D.tradeFlowWeight, doc: 'price per unit of base quantity' }),
  }),
  microPrice: c.object({
    imbalanceBuckets: c.int({ min: 1, max: 100, default: D.microImbalanceBuckets }),
    spreadBuckets: c.int({ min: 1, max: 20, default: D.microSpreadBuckets }),
    maxMoveHalfTicks: c.int({ min: 1, max: 100, default: D.microMaxMoveHalfTicks }),
    window: c.int({ min: 10, max: 10_000_000, default: D.microWindow }),
    recalibrateEvery: c.int({ min: 1, max: 10_000_000, default: D.microRecalibrateEvery }),
    minMoves: c.int({ min: 0, max: 10_000_000, default: D.microMinMoves }),
    minStateCount: c.int({ min: 0, max: 1_000_000, default: D.microMinStateCount }),
    horizonMoves: c.int({ min: 1, max: 100, default: D.microHorizonMoves }),
  }),
  quality: c.object({
    maxBookAgeMs: c.int({ min: 1, max: 600_000, default: D.maxBookAgeMs }),
  }),
  publish: c.object({
    minIntervalMs: c.int({ min: 0, max: 60_000, default: D.minPublishIntervalMs, doc: '0 = publish on every book change' }),
  }),
  defaultTickSize: c.number({ min: 1e-8, default: 0.01 }),
};

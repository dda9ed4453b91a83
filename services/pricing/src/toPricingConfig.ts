import type { InferShape } from '@mm/config';
import type { PricingConfig } from '@mm/models';
import type { pricingSchema } from './PricingServiceConfig.js';

type PricingServiceConfig = InferShape<typeof pricingSchema>;

/** The service's TOML settings as the pure engine's config; a symbol's tick size override wins over the default. */
export function toPricingConfig(c: PricingServiceConfig, tickSizeOverride?: string): PricingConfig {
  return {
    fairValueMethod: c.fairValue.method,
    tickSize: tickSizeOverride !== undefined ? Number(tickSizeOverride) : c.defaultTickSize,
    volSampleIntervalMs: c.volatility.sampleIntervalMs,
    volHalfLifeS: c.volatility.halfLifeS,
    minVolSamples: c.volatility.minSamples,
    ofiHalfLifeS: c.drift.ofiHalfLifeS,
    tradeFlowHalfLifeS: c.drift.tradeFlowHalfLifeS,
    ofiWeight: c.drift.ofiWeight,
    tradeFlowWeight: c.drift.tradeFlowWeight,
    microImbalanceBuckets: c.microPrice.imbalanceBuckets,
    microSpreadBuckets: c.microPrice.spreadBuckets,
    microMaxMoveHalfTicks: c.microPrice.maxMoveHalfTicks,
    microWindow: c.microPrice.window,
    microRecalibrateEvery: c.microPrice.recalibrateEvery,
    microMinMoves: c.microPrice.minMoves,
    microMinStateCount: c.microPrice.minStateCount,
    microHorizonMoves: c.microPrice.horizonMoves,
    maxBookAgeMs: c.quality.maxBookAgeMs,
    minPublishIntervalMs: c.publish.minIntervalMs,
  };
}

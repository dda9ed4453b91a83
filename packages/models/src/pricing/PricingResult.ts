/**
 * The pricing output for one symbol: every field the pricing message (stream 14) carries, in the same units, in a
 * preallocated object the engine overwrites. Enum and flag values equal @mm/protocol's (`FairValueMethod`,
 * `PricingFlags`); they are repeated here because the models package has no dependency on the wire format.
 * The field names equal the pricing codec's, so `PricingEncoder.values(result)` writes a result in one call.
 */
export const FairValueSource = { MID: 0, WEIGHTED_MID: 1, MICRO_PRICE: 2 } as const;
export type FairValueSource = (typeof FairValueSource)[keyof typeof FairValueSource];

export const PricingQuality = {
  BOOK_SYNCED: 1,
  TRADABLE: 2,
  ENOUGH_SAMPLES: 4,
  VOLATILITY_READY: 8,
  MICRO_PRICE_READY: 16,
} as const;

export class PricingResult {
  /** Monotonic receive ns of the market event that triggered this output (carried for tick-to-quote latency). */
  recvTimeNs = 0;
  /** Monotonic ns when computed. */
  publishTimeNs = 0;
  /** Age of the last book update at publishTimeNs, ns (by local receive times); -1 when there is no book. */
  bookAgeNs = 0;
  /** Best levels, 1e-8 units (exact, for "never cross the book"). */
  bestBidPrice = 0;
  bestBidQty = 0;
  bestAskPrice = 0;
  bestAskQty = 0;
  /** Price units. */
  mid = Number.NaN;
  weightedMid = Number.NaN;
  /** Micro-price, or the weighted mid while the micro-price is not calibrated for this state. */
  microPrice = Number.NaN;
  fairValue = Number.NaN;
  /** Volatility, price/√s, and variance rate sigma², price²/s. */
  sigma = Number.NaN;
  variance = Number.NaN;
  /** Drift, price/s = ofiDrift + tradeFlowDrift. */
  drift = 0;
  ofiDrift = 0;
  tradeFlowDrift = 0;
  /** Flow rates, base quantity per second. */
  ofi = 0;
  tradeFlow = 0;
  volSamples = 0;
  microSamples = 0;
  /** Bits of PricingQuality. */
  flags = 0;
  fairValueMethod: FairValueSource = FairValueSource.MID;
  fairValueSource: FairValueSource = FairValueSource.MID;

  isTradable(): boolean { return (this.flags & PricingQuality.TRADABLE) !== 0; }
}

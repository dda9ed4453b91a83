/**
 * Configuration of the pricing estimators. Times in the units their names carry; prices in price units.
 * `validatePricingConfig` fills defaults and throws a RangeError naming every bad key (the pricing service maps
 * that to exit code 78).
 */
export type FairValueMethodName = 'mid' | 'weighted-mid' | 'micro-price';

export interface PricingConfig {
  /** Which estimate becomes `fairValue`. */
  readonly fairValueMethod: FairValueMethodName;
  /** Exchange tick size, price units (BTCUSDT: 0.01). The micro-price states are counted in ticks. */
  readonly tickSize: number;
  /** Volatility: fair value sampled every this many ms; EWMA of squared log returns with this half-life. */
  readonly volSampleIntervalMs: number;
  readonly volHalfLifeS: number;
  /** Returns needed before the volatility counts as ready (ENOUGH_SAMPLES). */
  readonly minVolSamples: number;
  /** Drift: half-lives of the order-flow-imbalance and trade-flow rate EWMAs. */
  readonly ofiHalfLifeS: number;
  readonly tradeFlowHalfLifeS: number;
  /** Drift weights, price per unit of base quantity: drift (price/s) = weight × flow rate (quantity/s). */
  readonly ofiWeight: number;
  readonly tradeFlowWeight: number;
  /** Micro-price states: imbalance buckets × spread buckets (1..n ticks; wider spreads share the last). */
  readonly microImbalanceBuckets: number;
  readonly microSpreadBuckets: number;
  /** Mid moves larger than this many half ticks are clamped to it. */
  readonly microMaxMoveHalfTicks: number;
  /** Rolling window: the last N top-of-book observations calibrate the transition estimates. */
  readonly microWindow: number;
  /** Re-estimate the transition matrices every N observations. */
  readonly microRecalibrateEvery: number;
  /** Mid moves in the window before the micro-price replaces the weighted mid. */
  readonly microMinMoves: number;
  /** Observations a state needs before its own estimate is used (else weighted mid). */
  readonly microMinStateCount: number;
  /** Mid moves summed into the micro-price (Stoikov's P^n; 6 has converged in practice). */
  readonly microHorizonMoves: number;
  /** Book older than this (by local receive time) → not tradable. */
  readonly maxBookAgeMs: number;
  /** At most one publication per this interval (0 = every book change). */
  readonly minPublishIntervalMs: number;
}

export const DEFAULT_PRICING_CONFIG: PricingConfig = {
  fairValueMethod: 'micro-price',
  tickSize: 0.01,
  volSampleIntervalMs: 100,
  volHalfLifeS: 60,
  minVolSamples: 50,
  ofiHalfLifeS: 5,
  tradeFlowHalfLifeS: 5,
  ofiWeight: 0,
  tradeFlowWeight: 0,
  microImbalanceBuckets: 10,
  microSpreadBuckets: 2,
  microMaxMoveHalfTicks: 4,
  microWindow: 50_000,
  microRecalibrateEvery: 1_000,
  microMinMoves: 500,
  microMinStateCount: 20,
  microHorizonMoves: 6,
  maxBookAgeMs: 2_000,
  minPublishIntervalMs: 0,
};

const POSITIVE: readonly (keyof PricingConfig)[] = ['tickSize', 'volSampleIntervalMs', 'volHalfLifeS', 'ofiHalfLifeS',
  'tradeFlowHalfLifeS', 'maxBookAgeMs'];
const POSITIVE_INT: readonly (keyof PricingConfig)[] = ['microImbalanceBuckets', 'microSpreadBuckets',
  'microMaxMoveHalfTicks', 'microWindow', 'microRecalibrateEvery', 'microHorizonMoves'];
const NON_NEGATIVE_INT: readonly (keyof PricingConfig)[] = ['minVolSamples', 'microMinMoves', 'microMinStateCount'];
const FINITE: readonly (keyof PricingConfig)[] = ['ofiWeight', 'tradeFlowWeight', 'minPublishIntervalMs'];

/** Defaults overlaid with `overrides`, checked. Throws a RangeError listing every invalid key. */
export function validatePricingConfig(overrides: Partial<PricingConfig> = {}): PricingConfig {
  const config: PricingConfig = { ...DEFAULT_PRICING_CONFIG, ...overrides };
  const errors: string[] = [];
  if (!['mid', 'weighted-mid', 'micro-price'].includes(config.fairValueMethod)) {
    errors.push(`fairValueMethod must be mid, weighted-mid or micro-price (got ${JSON.stringify(config.fairValueMethod)})`);
  }
  for (const key of POSITIVE) {
    const v = config[key];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) errors.push(`${key} must be a positive number (got ${String(v)})`);
  }
  for (const key of POSITIVE_INT) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) errors.push(`${key} must be a positive integer (got ${String(v)})`);
  }
  for (const key of NON_NEGATIVE_INT) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) errors.push(`${key} must be a non-negative integer (got ${String(v)})`);
  }
  for (const key of FINITE) {
    const v = config[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) errors.push(`${key} must be a finite number (got ${String(v)})`);
  }
  if (config.minPublishIntervalMs < 0) errors.push(`minPublishIntervalMs must be >= 0 (got ${config.minPublishIntervalMs})`);
  if (config.microImbalanceBuckets * config.microSpreadBuckets > 200) {
    errors.push('microImbalanceBuckets × microSpreadBuckets must be at most 200 states');
  }
  if (errors.length > 0) throw new RangeError(`invalid pricing configuration: ${errors.join('; ')}`);
  return config;
}

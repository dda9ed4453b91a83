/**
 * The contract every quoting model fulfils: given the centre price, the inventory and the time, write the
 * model's bid and ask prices into a caller-owned object (no allocation per update).
 *
 * Units (docs/architecture.md): prices in price units (not 1e-8), σ in price/√s, k in 1/price, A in 1/s,
 * time in seconds. Inventory q is in model units (the caller divides its position by a configured unit,
 * normally the order size), signed: long > 0.
 */
export interface ModelQuote {
  /** Reservation (indifference) price the quotes are built around. */
  reservation: number;
  bid: number;
  ask: number;
}

export interface QuotingModel {
  /**
   * @param centre mid (or fair value) in price units
   * @param q inventory in model units relative to the target
   * @param sigma volatility, price/√s
   * @param elapsedS seconds since the session start (used by finite-horizon models only)
   */
  quote(centre: number, q: number, sigma: number, elapsedS: number, out: ModelQuote): void;
}

/** A model whose order-arrival intensity λ(δ) = A·e^{−kδ} can be recalibrated online (IntensityCalibrator). */
export interface IntensityAware {
  /** Replaces A (1/s) and k (1/price); models that do not use A ignore it. Throws on non-positive values. */
  setIntensity(A: number, k: number): void;
}

export function isIntensityAware(model: QuotingModel): model is QuotingModel & IntensityAware {
  return typeof (model as Partial<IntensityAware>).setIntensity === 'function';
}

export function newModelQuote(): ModelQuote {
  return { reservation: 0, bid: 0, ask: 0 };
}

export function requirePositive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

export function requireNonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Volatility of the fair value: an EWMA of squared log returns sampled on a fixed clock.
 *
 * - The clock: grid points every Δ; the sample at a grid point is the fair value in effect then (the caller passes
 *   the value that held up to `nowNs` before changing it). Several grid points without a change are zero returns,
 *   applied in closed form, so a long quiet spell costs O(1).
 * - The estimate: v ← (1 − α)·v + α·r²/Δ per return, α = 1 − exp(−ln2·Δ/halfLife), divided by the weight sum
 *   w ← (1 − α)·w + α so the first returns are not biased towards 0 (debiased EWMA). v/w is the variance rate of
 *   log returns per second; times price² it is price²/s, its root price/√s.
 * - `breakChain()` (book unsynced) drops the previous sample, so no return is computed across a gap in the data;
 *   the estimate itself is kept.
 */
export class VolatilityEstimator {
  private readonly intervalNs: number;
  private readonly intervalS: number;
  private readonly alpha: number;
  private v = 0;
  private w = 0;
  private samples = 0;
  private lastPrice = Number.NaN;
  private nextSampleNs = Number.NaN;

  /** True once at least one return has been folded in. */
  hasEstimate(): boolean { return this.w > 0; }

  constructor(sampleIntervalMs: number, halfLifeS: number) {
    this.intervalNs = sampleIntervalMs * 1e6;
    this.intervalS = sampleIntervalMs / 1e3;
    this.alpha = 1 - Math.exp((-Math.LN2 * this.intervalS) / halfLifeS);
    this.input[2] = Number.NaN;
  }

  /**
   * Slots for the allocation-free entry points (a double passed to or returned from a call V8 does not inline is
   * boxed): `advanceInput` reads [0] nowNs and [1] price; [2] always holds `logVariancePerS()`.
   */
  readonly input = new Float64Array(3);

  /** Moves the clock to `nowNs`; `price` is the fair value that held since the previous call. */
  advance(nowNs: number, price: number): void {
    this.input[0] = nowNs;
    this.input[1] = price;
    this.advanceInput();
  }

  /** `advance` with (nowNs, price) in `input`. */
  advanceInput(): void {
    const nowNs = this.input[0]!;
    const price = this.input[1]!;
    if (!(price > 0) || !Number.isFinite(price)) { this.breakChain(); return; }
    if (Number.isNaN(this.nextSampleNs)) {
      this.lastPrice = price;
      this.nextSampleNs = nowNs + this.intervalNs;
      return;
    }
    if (nowNs < this.nextSampleNs) return;
    const points = Math.floor((nowNs - this.nextSampleNs) / this.intervalNs) + 1;
    const r = Math.log(price / this.lastPrice);
    const keep = 1 - this.alpha;
    this.v = keep * this.v + (this.alpha * r * r) / this.intervalS;
    this.w = keep * this.w + this.alpha;
    if (points > 1) {
      const decay = keep ** (points - 1);
      this.v *= decay;
      this.w = 1 - (1 - this.w) * decay;
    }
    this.samples += points;
    this.lastPrice = price;
    this.nextSampleNs += points * this.intervalNs;
    this.input[2] = this.v / this.w;
  }

  /** Forget the previous sample (a gap in the data); the next `advance` starts a new chain. */
  breakChain(): void {
    this.lastPrice = Number.NaN;
    this.nextSampleNs = Number.NaN;
  }

  /** Variance rate of log returns, 1/s (NaN before the first return). */
  logVariancePerS(): number { return this.w > 0 ? this.v / this.w : Number.NaN; }
  /** Variance rate in price²/s at `price`. */
  variancePerS(price: number): number { return this.logVariancePerS() * price * price; }
  /** σ in price/√s at `price`. */
  sigmaPerSqrtS(price: number): number { return Math.sqrt(this.logVariancePerS()) * price; }
  /** Returns folded into the estimate. */
  sampleCount(): number { return this.samples; }

  reset(): void {
    this.v = 0;
    this.w = 0;
    this.input[2] = Number.NaN;
    this.samples = 0;
    this.breakChain();
  }
}

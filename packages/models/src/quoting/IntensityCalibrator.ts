/**
 * Online calibration of λ(δ) = A·e^{−kδ} from trade distances to the mid (method of the hftbacktest GLFT notebook,
 * see shared/reference/market-making-math.md §2): time is cut into buckets (e.g. 100 ms); each bucket keeps the
 * largest distance of a trade from the mid; over the trailing window of buckets, λ(δ_i) = number of buckets whose
 * depth exceeds δ_i, divided by the window length in seconds, on a fixed grid δ_i = i·step (i = 1..gridSize);
 * log λ = log A − k·δ is fitted by least squares over the grid points with at least minCount buckets.
 *
 * Limits: A·bucket length must stay well below 1 for the per-bucket count to estimate an intensity (a bucket
 * counts at most one arrival); distances are in price units; a trade time before the current bucket is treated as
 * the current bucket (no reordering). All storage is preallocated.
 */
export interface IntensityCalibratorConfig {
  readonly bucketNs: number;
  /** Window length in buckets. */
  readonly windowBuckets: number;
  /** Grid spacing, price units. */
  readonly gridStep: number;
  readonly gridSize: number;
  /** Grid points with fewer exceeding buckets are ignored (noise); defaults to 5. */
  readonly minCount?: number;
}

export interface IntensityEstimate {
  ok: boolean;
  A: number;
  k: number;
  /** Grid points used in the fit. */
  points: number;
}

export class IntensityCalibrator {
  readonly bucketNs: number;
  readonly windowBuckets: number;
  readonly gridStep: number;
  readonly gridSize: number;
  readonly minCount: number;
  private readonly depths: Float64Array;
  private head = 0;
  private filled = 0;
  private bucketIndex = Number.NaN;
  private currentMax = -1;

  constructor(config: IntensityCalibratorConfig) {
    if (!(config.bucketNs > 0)) throw new RangeError(`bucketNs must be > 0, got ${config.bucketNs}`);
    if (!Number.isInteger(config.windowBuckets) || config.windowBuckets < 2) {
      throw new RangeError(`windowBuckets must be an integer >= 2, got ${config.windowBuckets}`);
    }
    if (!(config.gridStep > 0)) throw new RangeError(`gridStep must be > 0, got ${config.gridStep}`);
    if (!Number.isInteger(config.gridSize) || config.gridSize < 2) {
      throw new RangeError(`gridSize must be an integer >= 2, got ${config.gridSize}`);
    }
    this.bucketNs = config.bucketNs;
    this.windowBuckets = config.windowBuckets;
    this.gridStep = config.gridStep;
    this.gridSize = config.gridSize;
    this.minCount = config.minCount ?? 5;
    this.depths = new Float64Array(config.windowBuckets);
  }

  /** Completed buckets currently in the window. */
  get bucketsInWindow(): number {
    return this.filled;
  }

  /** Records a trade at `price` when the mid was `mid` (price units) at time tNs. */
  onTrade(price: number, mid: number, tNs: number): void {
    this.advanceTo(tNs);
    const d = Math.abs(price - mid);
    if (d > this.currentMax) this.currentMax = d;
  }

  /** Closes buckets up to tNs (call on a timer or with each book update so quiet periods count). */
  advanceTo(tNs: number): void {
    const idx = Math.floor(tNs / this.bucketNs);
    if (Number.isNaN(this.bucketIndex)) {
      this.bucketIndex = idx;
      return;
    }
    if (idx <= this.bucketIndex) return;
    this.push(this.currentMax);
    this.currentMax = -1;
    // Quiet buckets: cap the loop at the window size, older ones would be overwritten anyway.
    const empty = Math.min(idx - this.bucketIndex - 1, this.windowBuckets);
    for (let i = 0; i < empty; i++) this.push(-1);
    this.bucketIndex = idx;
  }

  private push(depth: number): void {
    this.depths[this.head] = depth;
    this.head = (this.head + 1) % this.windowBuckets;
    if (this.filled < this.windowBuckets) this.filled++;
  }

  /** λ at grid point i (δ = i·gridStep), in 1/s, over the completed buckets. */
  intensityAt(delta: number): number {
    if (this.filled === 0) return 0;
    let n = 0;
    for (let j = 0; j < this.filled; j++) if ((this.depths[j] as number) > delta) n++;
    return n / ((this.filled * this.bucketNs) / 1e9);
  }

  /** Fits A and k into `out`; out.ok is false with fewer than 2 usable grid points or a non-decreasing fit. */
  estimate(out: IntensityEstimate): IntensityEstimate {
    const windowS = (this.filled * this.bucketNs) / 1e9;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    let m = 0;
    for (let i = 1; i <= this.gridSize; i++) {
      const delta = i * this.gridStep;
      let n = 0;
      for (let j = 0; j < this.filled; j++) if ((this.depths[j] as number) > delta) n++;
      if (n < this.minCount) continue;
      const y = Math.log(n / windowS);
      sx += delta;
      sy += y;
      sxx += delta * delta;
      sxy += delta * y;
      m++;
    }
    out.points = m;
    const den = m * sxx - sx * sx;
    if (m < 2 || den <= 0) {
      out.ok = false;
      return out;
    }
    const slope = (m * sxy - sx * sy) / den;
    const intercept = (sy - slope * sx) / m;
    out.k = -slope;
    out.A = Math.exp(intercept);
    out.ok = out.k > 0;
    return out;
  }
}

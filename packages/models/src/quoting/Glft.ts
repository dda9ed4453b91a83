import { type IntensityAware, type ModelQuote, type QuotingModel, requirePositive } from './QuotingModel.js';

/**
 * Guéant–Lehalle–Fernandez-Tapia closed-form asymptotic quotes (infinite horizon), general form with order size
 * Δ and ξ (ξ = γ: CARA objective), see shared/reference/market-making-math.md §2:
 *   c1 = (1/(ξΔ))·ln(1 + ξΔ/k)
 *   c2 = √( γ/(2AΔk) · (1 + ξΔ/k)^{k/(ξΔ) + 1} )
 *   δ^b(q) = c1 + ((2q + Δ)/2)·σ·c2,  δ^a(q) = c1 − ((2q − Δ)/2)·σ·c2
 * so bid = s − δ^b, ask = s + δ^a; the reservation price is s − q·σ·c2.
 * q and Δ are in the same model units (normally Δ = 1, q = position / order size).
 */
export interface GlftParams {
  readonly gamma: number;
  readonly k: number;
  readonly A: number;
  /** ξ; defaults to γ. */
  readonly xi?: number;
  /** Δ, order size in model units; defaults to 1. */
  readonly delta?: number;
}

export class Glft implements QuotingModel, IntensityAware {
  readonly gamma: number;
  k: number;
  A: number;
  readonly xi: number;
  readonly delta: number;
  /** c1 and c2 depend only on the parameters: computed when they change, not per quote. */
  c1 = 0;
  c2 = 0;

  constructor(params: GlftParams) {
    this.gamma = requirePositive('gamma', params.gamma);
    this.k = requirePositive('k', params.k);
    this.A = requirePositive('A', params.A);
    this.xi = requirePositive('xi', params.xi ?? params.gamma);
    this.delta = requirePositive('delta', params.delta ?? 1);
    this.recompute();
  }

  setIntensity(A: number, k: number): void {
    this.A = requirePositive('A', A);
    this.k = requirePositive('k', k);
    this.recompute();
  }

  private recompute(): void {
    const xd = this.xi * this.delta;
    this.c1 = Math.log(1 + xd / this.k) / xd;
    this.c2 = Math.sqrt(
      (this.gamma / (2 * this.A * this.delta * this.k)) * Math.pow(1 + xd / this.k, this.k / xd + 1),
    );
  }

  bidDistance(q: number, sigma: number): number {
    return this.c1 + ((2 * q + this.delta) / 2) * sigma * this.c2;
  }

  askDistance(q: number, sigma: number): number {
    return this.c1 - ((2 * q - this.delta) / 2) * sigma * this.c2;
  }

  quote(centre: number, q: number, sigma: number, _elapsedS: number, out: ModelQuote): void {
    out.bid = centre - this.bidDistance(q, sigma);
    out.ask = centre + this.askDistance(q, sigma);
    out.reservation = centre - q * sigma * this.c2;
  }
}

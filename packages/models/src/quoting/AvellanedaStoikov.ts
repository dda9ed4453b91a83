import { type IntensityAware, type ModelQuote, type QuotingModel, requirePositive } from './QuotingModel.js';

/**
 * Avellaneda & Stoikov (2008), "High-frequency trading in a limit order book".
 *
 * Finite horizon (session length T, τ = T − t clamped at 0, so quotes converge to the
 * spread-only form at the session end):
 *   r = s − q·γ·σ²·τ,  spread = γ·σ²·τ + (2/γ)·ln(1 + γ/k),  bid/ask = r ∓ spread/2.
 *
 * Infinite horizon (paper §2.3, discount ω): reservation ask/bid prices
 *   r^a = s + (1/γ)·ln(1 + (1 − 2q)·γ²σ² / (2ω − γ²q²σ²))
 *   r^b = s + (1/γ)·ln(1 + (−1 − 2q)·γ²σ² / (2ω − γ²q²σ²))
 * and quotes ask = r^a + (1/γ)ln(1+γ/k), bid = r^b − (1/γ)ln(1+γ/k) (the same relation between reservation
 * and quote prices that yields the finite-horizon formulas). ω defaults to ½γ²σ²(q_max+1)², the paper's choice
 * that keeps the value function bounded for |q| ≤ q_max; |q| is clamped to q_max so the logarithm stays defined.
 */
export function asReservationPrice(s: number, q: number, gamma: number, sigma: number, tauS: number): number {
  return s - q * gamma * sigma * sigma * tauS;
}

export function asSpread(gamma: number, sigma: number, k: number, tauS: number): number {
  return gamma * sigma * sigma * tauS + (2 / gamma) * Math.log(1 + gamma / k);
}

export interface AvellanedaStoikovParams {
  readonly gamma: number;
  readonly k: number;
  /** Session length T in seconds (finite horizon). */
  readonly sessionLengthS: number;
}

export class AvellanedaStoikov implements QuotingModel, IntensityAware {
  readonly gamma: number;
  k: number;
  readonly sessionLengthS: number;

  constructor(params: AvellanedaStoikovParams) {
    this.gamma = requirePositive('gamma', params.gamma);
    this.k = requirePositive('k', params.k);
    this.sessionLengthS = requirePositive('sessionLengthS', params.sessionLengthS);
  }

  setIntensity(_A: number, k: number): void {
    this.k = requirePositive('k', k);
  }

  quote(centre: number, q: number, sigma: number, elapsedS: number, out: ModelQuote): void {
    let tau = this.sessionLengthS - elapsedS;
    if (tau < 0) tau = 0;
    if (tau > this.sessionLengthS) tau = this.sessionLengthS;
    const r = asReservationPrice(centre, q, this.gamma, sigma, tau);
    const half = asSpread(this.gamma, sigma, this.k, tau) / 2;
    out.reservation = r;
    out.bid = r - half;
    out.ask = r + half;
  }
}

export interface AvellanedaStoikovInfiniteParams {
  readonly gamma: number;
  readonly k: number;
  /** Largest |q| the model must price; sets ω = ½γ²σ²(qMax+1)² unless omega is given. */
  readonly qMax: number;
  /** Discount ω (1/s). Optional: when absent it is derived from σ and qMax on every call. */
  readonly omega?: number;
}

export class AvellanedaStoikovInfinite implements QuotingModel, IntensityAware {
  readonly gamma: number;
  k: number;
  readonly qMax: number;
  readonly omega: number | undefined;

  constructor(params: AvellanedaStoikovInfiniteParams) {
    this.gamma = requirePositive('gamma', params.gamma);
    this.k = requirePositive('k', params.k);
    this.qMax = requirePositive('qMax', params.qMax);
    this.omega = params.omega === undefined ? undefined : requirePositive('omega', params.omega);
  }

  setIntensity(_A: number, k: number): void {
    this.k = requirePositive('k', k);
  }

  quote(centre: number, q: number, sigma: number, _elapsedS: number, out: ModelQuote): void {
    const g = this.gamma;
    const g2s2 = g * g * sigma * sigma;
    if (q > this.qMax) q = this.qMax;
    if (q < -this.qMax) q = -this.qMax;
    const omega = this.omega ?? 0.5 * g2s2 * (this.qMax + 1) * (this.qMax + 1);
    const denom = 2 * omega - g2s2 * q * q;
    const edge = Math.log(1 + g / this.k) / g;
    if (!(denom > 0) || g2s2 === 0) {
      // σ = 0 (or ω too small for this q): no inventory risk term can be computed; quote the spread only.
      out.reservation = centre;
      out.bid = centre - edge;
      out.ask = centre + edge;
      return;
    }
    const argA = 1 + ((1 - 2 * q) * g2s2) / denom;
    const argB = 1 + ((-1 - 2 * q) * g2s2) / denom;
    const ra = argA > 0 ? centre + Math.log(argA) / g : centre;
    const rb = argB > 0 ? centre + Math.log(argB) / g : centre;
    out.reservation = (ra + rb) / 2;
    out.ask = ra + edge;
    out.bid = rb - edge;
  }
}

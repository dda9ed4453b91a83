/**
 * Exponentially weighted rate of an event flow (quantity per second) with a half-life: each event adds its amount
 * to a sum that decays as exp(-Δt/τ), τ = halfLife/ln 2; the rate is sum/τ, so a steady flow of x per second reads
 * x. Time comes from the caller (monotonic ns); a time that goes backwards decays nothing.
 */
export class EwmaRate {
  private readonly tauNs: number;
  private sum = 0;
  private lastNs = Number.NaN;

  constructor(halfLifeS: number) {
    this.tauNs = (halfLifeS * 1e9) / Math.LN2;
  }

  add(nowNs: number, amount: number): void {
    this.decayTo(nowNs);
    this.sum += amount;
  }

  /** Rate at `nowNs`, amount per second. */
  rate(nowNs: number): number {
    const dt = nowNs - this.lastNs;
    const decayed = dt > 0 ? this.sum * Math.exp(-dt / this.tauNs) : this.sum;
    return Number.isNaN(decayed) ? 0 : decayed / (this.tauNs / 1e9);
  }

  reset(): void {
    this.sum = 0;
    this.lastNs = Number.NaN;
  }

  private decayTo(nowNs: number): void {
    if (Number.isNaN(this.lastNs)) { this.lastNs = nowNs; return; }
    const dt = nowNs - this.lastNs;
    if (dt > 0) {
      this.sum *= Math.exp(-dt / this.tauNs);
      this.lastNs = nowNs;
    }
  }
}

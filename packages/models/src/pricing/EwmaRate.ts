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

  /**
   * Slots for the allocation-free entry points: [0] nowNs, [1] amount (`addInput`), [2] the rate (`rateInput`).
   * A double passed to or returned from a call V8 does not inline is boxed on the heap.
   */
  readonly input = new Float64Array(3);

  add(nowNs: number, amount: number): void {
    this.input[0] = nowNs;
    this.input[1] = amount;
    this.addInput();
  }

  addInput(): void {
    this.decayTo(this.input[0]!);
    this.sum += this.input[1]!;
  }

  /** Rate at `nowNs`, amount per second. */
  rate(nowNs: number): number {
    this.input[0] = nowNs;
    this.rateInput();
    return this.input[2]!;
  }

  /** Writes the rate at `input[0]` to `input[2]`. */
  rateInput(): void {
    const dt = this.input[0]! - this.lastNs;
    const decayed = dt > 0 ? this.sum * Math.exp(-dt / this.tauNs) : this.sum;
    this.input[2] = Number.isNaN(decayed) ? 0 : decayed / (this.tauNs / 1e9);
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

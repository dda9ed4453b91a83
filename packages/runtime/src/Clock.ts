/**
 * Time is injected. Live services use `SystemClock`; tests and backtests use `ManualClock`, whose time only moves
 * when told to, so a run is deterministic.
 *
 * `nanoTime()` is a system-wide monotonic clock (CLOCK_MONOTONIC, the same in every process on the host), in
 * nanoseconds as a Number: exact below 2^53 ns (104 days of uptime), which is what cross-process latency tracing
 * needs. `epochMs()` is the wall clock.
 */
export interface Clock {
  nanoTime(): number;
  epochMs(): number;
}

export class SystemClock implements Clock {
  /** hrtime (CLOCK_MONOTONIC) minus performance.now() at construction, in ns. */
  private readonly offsetNs: number;

  constructor() {
    // performance.now() is a double in ms with sub-ns resolution and allocates nothing; anchor it once to the
    // system-wide monotonic clock so values compare across processes.
    const before = performance.now();
    const hr = process.hrtime.bigint();
    const after = performance.now();
    this.offsetNs = Number(hr) - ((before + after) / 2) * 1e6;
  }

  nanoTime(): number {
    return Math.round(this.offsetNs + performance.now() * 1e6);
  }

  epochMs(): number {
    return Date.now();
  }
}

export class ManualClock implements Clock {
  constructor(private nowNs = 0, private epochOriginMs = 0) {}
  nanoTime(): number { return this.nowNs; }
  epochMs(): number { return this.epochOriginMs + Math.floor(this.nowNs / 1e6); }
  setNanoTime(ns: number): void {
    if (ns < this.nowNs) throw new RangeError(`ManualClock cannot go back from ${this.nowNs} to ${ns}`);
    this.nowNs = ns;
  }
  advanceNs(deltaNs: number): void { this.setNanoTime(this.nowNs + deltaNs); }
}

/**
 * What an agent runner does after a duty cycle that found no work. JavaScript cannot block a thread politely, so
 * the Aeron idea (spin → yield → park) maps onto the event loop:
 * - SPIN: run the next duty cycle at once (cheapest latency, burns CPU; bounded so I/O callbacks still run),
 * - YIELD: continue after pending I/O callbacks (`setImmediate`),
 * - PARK: sleep `parkMs` on a timer, doubling from `minParkMs` to `maxParkMs` while idle.
 * Any cycle that did work resets the strategy to SPIN.
 */
export const IdleAction = { SPIN: 0, YIELD: 1, PARK: 2 } as const;
export type IdleAction = (typeof IdleAction)[keyof typeof IdleAction];

export interface IdleStrategyOptions {
  readonly maxSpins: number;
  readonly maxYields: number;
  readonly minParkMs: number;
  readonly maxParkMs: number;
}

export const DEFAULT_IDLE: IdleStrategyOptions = { maxSpins: 20, maxYields: 50, minParkMs: 1, maxParkMs: 4 };

export class BackoffIdleStrategy {
  private spins = 0;
  private yields = 0;
  /** Milliseconds to park for when `idle()` returns PARK. */
  parkMs: number;

  constructor(readonly options: IdleStrategyOptions = DEFAULT_IDLE) {
    if (options.maxSpins < 0 || options.maxYields < 0) throw new RangeError('idle spins/yields must be >= 0');
    if (!(options.minParkMs >= 1) || !(options.maxParkMs >= options.minParkMs)) {
      throw new RangeError(`idle park must satisfy 1 <= min-park-ms (${options.minParkMs}) <= max-park-ms (${options.maxParkMs})`);
    }
    this.parkMs = options.minParkMs;
  }

  /** Called after a duty cycle; `workCount > 0` resets the back-off. */
  idle(workCount: number): IdleAction {
    if (workCount > 0) {
      this.reset();
      return IdleAction.SPIN;
    }
    if (this.spins < this.options.maxSpins) {
      this.spins++;
      return IdleAction.SPIN;
    }
    if (this.yields < this.options.maxYields) {
      this.yields++;
      return IdleAction.YIELD;
    }
    return IdleAction.PARK;
  }

  /** After a park, lengthen the next one up to the maximum. */
  parked(): void {
    this.parkMs = Math.min(this.parkMs * 2, this.options.maxParkMs);
  }

  /** Spin (and yield) again before the next park, keeping the park time (a wake-up that may bring work). */
  rearm(): void {
    this.spins = 0;
    this.yields = 0;
  }

  reset(): void {
    this.spins = 0;
    this.yields = 0;
    this.parkMs = this.options.minParkMs;
  }
}

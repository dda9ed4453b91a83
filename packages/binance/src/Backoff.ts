/**
 * Exponential backoff with "equal jitter": attempt n waits a random time in [d/2, d] where d = min(max, initial·2^n).
 * Jitter spreads reconnects of many clients; the floor of d/2 keeps the exponential growth. `random` is injected
 * so tests are deterministic.
 */
export class Backoff {
  attempt = 0;

  constructor(readonly initialMs: number, readonly maxMs: number, private readonly random: () => number = Math.random) {
    if (!(initialMs > 0) || !(maxMs >= initialMs)) throw new RangeError(`Backoff needs 0 < initialMs ≤ maxMs, got ${initialMs}, ${maxMs}`);
  }

  /** The delay before the next attempt; each call counts as one more failure. */
  nextDelayMs(): number {
    const d = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return d / 2 + (d / 2) * this.random();
  }

  reset(): void {
    this.attempt = 0;
  }
}

/**
 * Binance closes a connection that receives more than 5 messages a second from the client (pings, pongs and
 * JSON control messages all count), and bans repeat offenders. Every outgoing message goes through `tryAcquire`:
 * a sliding one-second window over the injected monotonic clock, allocation-free (a ring of timestamps).
 */
export class OutgoingRateLimiter {
  private readonly times: Float64Array;
  private head = 0;
  private count = 0;
  denied = 0;

  constructor(private readonly nowNs: () => number, readonly maxPerSecond = 5) {
    if (!(maxPerSecond >= 1)) throw new RangeError(`maxPerSecond must be ≥ 1, got ${maxPerSecond}`);
    this.times = new Float64Array(maxPerSecond);
  }

  /** True (and the send is counted) when one more message fits in the last second. */
  tryAcquire(): boolean {
    const now = this.nowNs();
    while (this.count > 0 && this.times[this.head]! <= now - 1e9) {
      this.head = (this.head + 1) % this.times.length;
      this.count--;
    }
    if (this.count === this.times.length) {
      this.denied++;
      return false;
    }
    this.times[(this.head + this.count) % this.times.length] = now;
    this.count++;
    return true;
  }
}

/** Per-client message rate limit: `ratePerSec` tokens per second, at most `burst` saved up. Time in ms from the caller. */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Messages refused since the last accepted one (the gateway pauses a client that keeps flooding). */
  refusedInARow = 0;

  /** Time to refill the whole bucket: how long a flooding client's socket is left unread. */
  get refillMs(): number {
    return (this.burst * 1000) / this.ratePerSec;
  }

  /** Takes one token; false when the client is over its rate. */
  take(nowMs: number): boolean {
    const dt = nowMs - this.lastMs;
    if (dt > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (dt * this.ratePerSec) / 1000);
      this.lastMs = nowMs;
    }
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return true;
    }
    this.refusedInARow++;
    return false;
  }
}

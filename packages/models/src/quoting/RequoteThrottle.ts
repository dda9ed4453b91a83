import { requireNonNegative } from './QuotingModel.js';

/**
 * Decides whether a freshly built quote is worth sending.
 *
 * Rule: a quote is sent when (a) nothing was sent since the last reset, or (b) a price moved by at least
 * priceThresholdE8, or a side appeared/disappeared or changed size, or (c) refreshIntervalNs (> 0) passed since
 * the last send; and in every case only if minIntervalNs passed since the last send and fewer than
 * maxQuotesPerSecond quotes were sent in the trailing second. Pull-quotes are never throttled (not seen here).
 * The trailing-second window is a preallocated ring of send times: no allocation per call.
 */
export interface RequoteThrottleConfig {
  readonly priceThresholdE8: number;
  readonly minIntervalNs: number;
  /** Resend an unchanged quote after this long (0 disables). */
  readonly refreshIntervalNs: number;
  readonly maxQuotesPerSecond: number;
}

const SECOND_NS = 1e9;

export class RequoteThrottle {
  readonly priceThresholdE8: number;
  readonly minIntervalNs: number;
  readonly refreshIntervalNs: number;
  readonly maxQuotesPerSecond: number;
  private readonly sendTimes: Float64Array;
  private head = 0;
  private count = 0;
  private hasLast = false;
  private lastBid = 0;
  private lastBidQty = 0;
  private lastAsk = 0;
  private lastAskQty = 0;
  private lastSentNs = 0;

  constructor(config: RequoteThrottleConfig) {
    this.priceThresholdE8 = requireNonNegative('priceThresholdE8', config.priceThresholdE8);
    this.minIntervalNs = requireNonNegative('minIntervalNs', config.minIntervalNs);
    this.refreshIntervalNs = requireNonNegative('refreshIntervalNs', config.refreshIntervalNs);
    const max = config.maxQuotesPerSecond;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxQuotesPerSecond must be an integer >= 1, got ${max}`);
    this.maxQuotesPerSecond = max;
    this.sendTimes = new Float64Array(max);
  }

  /** True if the quote should go out now (does not record it; call record() when it is sent). */
  shouldSend(bidE8: number, bidQtyE8: number, askE8: number, askQtyE8: number, nowNs: number): boolean {
    if (this.hasLast) {
      const elapsed = nowNs - this.lastSentNs;
      const moved =
        bidQtyE8 !== this.lastBidQty ||
        askQtyE8 !== this.lastAskQty ||
        (bidQtyE8 > 0 && Math.abs(bidE8 - this.lastBid) >= this.priceThresholdE8) ||
        (askQtyE8 > 0 && Math.abs(askE8 - this.lastAsk) >= this.priceThresholdE8);
      const stale = this.refreshIntervalNs > 0 && elapsed >= this.refreshIntervalNs;
      if (!moved && !stale) return false;
      if (elapsed < this.minIntervalNs) return false;
    }
    return !this.rateLimited(nowNs);
  }

  /** True if maxQuotesPerSecond were already sent in the second before nowNs. */
  rateLimited(nowNs: number): boolean {
    if (this.count < this.maxQuotesPerSecond) return false;
    const oldest = this.sendTimes[this.head] as number;
    return nowNs - oldest < SECOND_NS;
  }

  record(bidE8: number, bidQtyE8: number, askE8: number, askQtyE8: number, nowNs: number): void {
    this.hasLast = true;
    this.lastBid = bidE8;
    this.lastBidQty = bidQtyE8;
    this.lastAsk = askE8;
    this.lastAskQty = askQtyE8;
    this.lastSentNs = nowNs;
    this.sendTimes[this.head] = nowNs;
    this.head = (this.head + 1) % this.maxQuotesPerSecond;
    if (this.count < this.maxQuotesPerSecond) this.count++;
  }

  /** Forget the last quote (after a pull) so the next one is sent at once; the rate window is kept. */
  reset(): void {
    this.hasLast = false;
  }
}

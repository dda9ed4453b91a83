import { KillSwitch } from './KillSwitch.js';
import { type BuiltQuote, QuoteBuilder, type QuoteBuilderConfig, newBuiltQuote } from './QuoteBuilder.js';
import { type QuotingModel, isIntensityAware } from './QuotingModel.js';
import { RequoteThrottle, type RequoteThrottleConfig } from './RequoteThrottle.js';

/**
 * The strategy's pure decision core: pricing snapshot + position + time → quote | pull | hold.
 *
 * Order of checks (the first that applies wins): kill switch (daily loss, engaged until reset) → venue problem →
 * pricing not tradable (quality flag, empty or crossed book) → pricing stale (now − recvTimeNs > maxPricingAgeNs,
 * both monotonic) → no quotable side → throttle. A pull is emitted once on entering a pulled state (and once at
 * start-up if the first decision is a pull, to clear anything left at the venue); while the condition lasts the
 * decision is hold with the same reason. After a pull the next quote goes out without waiting for a price move.
 * Every quote carries a new quote id (strictly increasing from quoteIdStart) and the receive time of the
 * market event behind the pricing snapshot. The returned decision object is reused: read it before the next call.
 */
export interface PricingInput {
  /** Mid, price units (as on stream 14). */
  readonly mid: number;
  /** Price the quotes are centred on (fair value, micro-price or mid), price units. */
  readonly fairValue: number;
  /** Volatility, price/√s. */
  readonly sigma: number;
  /** Drift, price/s. */
  readonly drift: number;
  /** Best bid/ask, 1e-8 units (0 = side empty). */
  readonly bestBidE8: number;
  readonly bestAskE8: number;
  /** Monotonic receive time of the market event behind this snapshot, ns. */
  readonly recvTimeNs: number;
  /** Pricing's quality verdict. */
  readonly tradable: boolean;
  /**
   * The market event's receive time on the caller's clock, for the staleness check. `recvTimeNs` is carried from the
   * collector's host; on another host its monotonic clock means nothing, so the caller translates it (its own
   * receipt time minus pricing's processing delay). Defaults to `recvTimeNs` (same host).
   */
  readonly ageBaseNs?: number;
}

export interface PositionInput {
  /** Signed position, 1e-8 units. */
  readonly qtyE8: number;
  /** Today's PnL (realized + unrealized − fees), quote currency. */
  readonly dailyPnl: number;
}

export const DecisionKind = { Hold: 0, Quote: 1, Pull: 2 } as const;
export type DecisionKind = (typeof DecisionKind)[keyof typeof DecisionKind];

export type DecisionReason =
  | 'ok'
  | 'throttled'
  | 'kill-switch'
  | 'venue'
  | 'not-tradable'
  | 'stale'
  | 'no-side';

/** Pull reason codes with the numbering of @mm/protocol's PullReason (stream 15). */
export const PULL_CODE: Readonly<Record<DecisionReason, number>> = {
  ok: 0,
  throttled: 0,
  'kill-switch': 3,
  venue: 6,
  'not-tradable': 2,
  stale: 1,
  'no-side': 3,
};

export interface QuoteDecision {
  kind: DecisionKind;
  reason: DecisionReason;
  /** reason as a protocol PullReason code (see PULL_CODE). */
  pullCode: number;
  /** Quote id of the quote (kind Quote) or of the last quote sent (others); 0 before the first. */
  quoteId: number;
  recvTimeNs: number;
  bidPriceE8: number;
  bidQtyE8: number;
  askPriceE8: number;
  askQtyE8: number;
}

export interface QuotingEngineConfig {
  readonly builder: QuoteBuilderConfig;
  readonly throttle: RequoteThrottleConfig;
  /** Pricing older than this (by receive time) pulls quotes. */
  readonly maxPricingAgeNs: number;
  /** Daily loss limit, quote currency (> 0). */
  readonly dailyLossLimit: number;
  /** Monotonic start of the first session; finite-horizon models see (now − start) mod sessionLengthS. */
  readonly sessionStartNs: number;
  /** Session length for the elapsed time handed to the model (seconds); 0 = no wrap. */
  readonly sessionLengthS: number;
  /** Centre quotes on the fair value (true) or on the mid (false). */
  readonly useFairValue: boolean;
  /** First quote id (lets a restarted service continue a persisted sequence); defaults to 1. */
  readonly quoteIdStart?: number;
}

export class QuotingEngine {
  readonly builder: QuoteBuilder;
  readonly throttle: RequoteThrottle;
  readonly killSwitch: KillSwitch;
  private readonly model: QuotingModel;
  private readonly config: QuotingEngineConfig;
  private readonly built: BuiltQuote = newBuiltQuote();
  private readonly decision: QuoteDecision = {
    kind: DecisionKind.Hold,
    reason: 'ok',
    pullCode: 0,
    quoteId: 0,
    recvTimeNs: 0,
    bidPriceE8: 0,
    bidQtyE8: 0,
    askPriceE8: 0,
    askQtyE8: 0,
  };
  private readonly buildInput = {
    centre: 0,
    sigma: 0,
    drift: 0,
    bestBidE8: 0,
    bestAskE8: 0,
    positionE8: 0,
    elapsedS: 0,
  };
  private nextQuoteId: number;
  private lastQuoteId = 0;
  private pulled = false;
  private pullSent = false;
  private venueOk = true;

  constructor(model: QuotingModel, config: QuotingEngineConfig) {
    if (!(config.maxPricingAgeNs > 0)) throw new RangeError(`maxPricingAgeNs must be > 0, got ${config.maxPricingAgeNs}`);
    if (!(config.sessionLengthS >= 0)) throw new RangeError(`sessionLengthS must be >= 0, got ${config.sessionLengthS}`);
    const start = config.quoteIdStart ?? 1;
    if (!Number.isSafeInteger(start) || start < 1) throw new RangeError(`quoteIdStart must be a safe integer >= 1, got ${start}`);
    this.model = model;
    this.config = config;
    this.builder = new QuoteBuilder(config.builder);
    this.throttle = new RequoteThrottle(config.throttle);
    this.killSwitch = new KillSwitch(config.dailyLossLimit);
    this.nextQuoteId = start;
  }

  /** The venue reported a problem (false) or recovered (true). */
  setVenueOk(ok: boolean): void {
    this.venueOk = ok;
  }

  /**
   * Applies an online calibration of A and k (IntensityCalibrator) to the model; returns false if the model has
   * no intensity parameters (e.g. SymmetricModel) or the estimate is not usable (non-positive or not finite).
   */
  setIntensity(A: number, k: number): boolean {
    if (!isIntensityAware(this.model) || !(A > 0) || !(k > 0) || !Number.isFinite(A) || !Number.isFinite(k)) return false;
    this.model.setIntensity(A, k);
    return true;
  }

  /** Next quote id that will be used (for persistence). */
  get nextId(): number {
    return this.nextQuoteId;
  }

  decide(pricing: PricingInput, position: PositionInput, nowNs: number): QuoteDecision {
    const d = this.decision;
    d.recvTimeNs = pricing.recvTimeNs;
    if (this.killSwitch.update(position.dailyPnl, nowNs)) return this.pull('kill-switch');
    if (!this.venueOk) return this.pull('venue');
    if (
      !pricing.tradable ||
      !(pricing.mid > 0) ||
      !(pricing.fairValue > 0) ||
      !(pricing.bestBidE8 > 0) ||
      !(pricing.bestAskE8 > 0) ||
      pricing.bestBidE8 >= pricing.bestAskE8 ||
      !Number.isFinite(pricing.sigma)
    ) {
      return this.pull('not-tradable');
    }
    if (nowNs - (pricing.ageBaseNs ?? pricing.recvTimeNs) > this.config.maxPricingAgeNs) return this.pull('stale');

    const input = this.buildInput;
    input.centre = this.config.useFairValue ? pricing.fairValue : pricing.mid;
    input.sigma = pricing.sigma;
    input.drift = Number.isFinite(pricing.drift) ? pricing.drift : 0;
    input.bestBidE8 = pricing.bestBidE8;
    input.bestAskE8 = pricing.bestAskE8;
    input.positionE8 = position.qtyE8;
    let elapsedS = (nowNs - this.config.sessionStartNs) / 1e9;
    if (this.config.sessionLengthS > 0) {
      elapsedS %= this.config.sessionLengthS;
      if (elapsedS < 0) elapsedS += this.config.sessionLengthS;
    }
    input.elapsedS = elapsedS;
    const q = this.built;
    if (!this.builder.build(this.model, input, q)) return this.pull('no-side');

    if (!this.throttle.shouldSend(q.bidPriceE8, q.bidQtyE8, q.askPriceE8, q.askQtyE8, nowNs)) {
      d.kind = DecisionKind.Hold;
      d.reason = 'throttled';
      d.pullCode = 0;
      d.quoteId = this.lastQuoteId;
      return d;
    }
    this.throttle.record(q.bidPriceE8, q.bidQtyE8, q.askPriceE8, q.askQtyE8, nowNs);
    this.pulled = false;
    this.lastQuoteId = this.nextQuoteId++;
    d.kind = DecisionKind.Quote;
    d.reason = 'ok';
    d.pullCode = 0;
    d.quoteId = this.lastQuoteId;
    d.bidPriceE8 = q.bidPriceE8;
    d.bidQtyE8 = q.bidQtyE8;
    d.askPriceE8 = q.askPriceE8;
    d.askQtyE8 = q.askQtyE8;
    return d;
  }

  private pull(reason: DecisionReason): QuoteDecision {
    const d = this.decision;
    d.reason = reason;
    d.pullCode = PULL_CODE[reason];
    d.quoteId = this.lastQuoteId;
    d.bidPriceE8 = 0;
    d.bidQtyE8 = 0;
    d.askPriceE8 = 0;
    d.askQtyE8 = 0;
    if (!this.pulled || !this.pullSent) {
      this.pulled = true;
      this.pullSent = true;
      this.throttle.reset();
      d.kind = DecisionKind.Pull;
    } else {
      d.kind = DecisionKind.Hold;
    }
    return d;
  }
}

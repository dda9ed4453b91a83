/**
 * The pricing estimators for one symbol, wired together. Pure: no I/O, no clock (every call carries the time),
 * no allocation per update. The pricing service feeds it streams 10 and 13 and publishes `result` on 14.
 *
 * Inputs: book tops as 1e-8-unit integers (best first), trades, monotonic receive times, the book's sync state.
 * Each book update: the volatility clock advances with the fair value that held until now, the micro-price chain and
 * OFI see the new best levels, then a publication is due (rate-limited by `minPublishIntervalMs`; a change held
 * back by the limit becomes due in `poll`). `poll(nowNs)` also makes a publication due when tradability flips,
 * so a book that goes stale is announced as not tradable rather than left silently old.
 *
 * Quality: TRADABLE = book synced ∧ both sides present and not crossed ∧ book age ≤ maxBookAgeMs ∧ volatility has
 * minVolSamples returns (ENOUGH_SAMPLES = VOLATILITY_READY) ∧ fair value finite. Unsyncing breaks the volatility,
 * micro-price and OFI chains so nothing is computed across a gap.
 */
import { EwmaRate } from './EwmaRate.js';
import { midPrice, weightedMid } from './FairValue.js';
import { MicroPriceEstimator } from './MicroPriceEstimator.js';
import { orderFlowImbalance } from './OrderFlowImbalance.js';
import { validatePricingConfig, type PricingConfig } from './PricingConfig.js';
import { FairValueSource, PricingQuality, PricingResult } from './PricingResult.js';
import { VolatilityEstimator } from './VolatilityEstimator.js';

const UNITS = 1e8;

export class PricingEngine {
  readonly config: PricingConfig;
  readonly result = new PricingResult();
  readonly volatility: VolatilityEstimator;
  readonly micro: MicroPriceEstimator;
  private readonly ofiRate: EwmaRate;
  private readonly tradeRate: EwmaRate;
  private readonly method: FairValueSource;
  private readonly maxBookAgeNs: number;
  private readonly minPublishIntervalNs: number;

  private synced = false;
  private hasBook = false;
  /** The previous best levels came from a synced book with no gap since: OFI, micro-price and volatility may chain. */
  private chainValid = false;
  private bid = 0;
  private bidQty = 0;
  private ask = 0;
  private askQty = 0;
  private lastBookRecvNs = 0;
  /** recvTimeNs of the latest market event (book or trade) folded in. */
  private lastEventRecvNs = 0;
  private fair = Number.NaN;
  private fairSource: FairValueSource = FairValueSource.MID;
  private mid = Number.NaN;
  private wmid = Number.NaN;
  private microPrice = Number.NaN;

  private pending = false;
  private lastPublishNs = Number.NEGATIVE_INFINITY;
  private lastPublishedTradable = false;

  constructor(config: Partial<PricingConfig> = {}) {
    this.config = validatePricingConfig(config);
    const c = this.config;
    this.volatility = new VolatilityEstimator(c.volSampleIntervalMs, c.volHalfLifeS);
    this.micro = new MicroPriceEstimator({
      tick: Math.round(c.tickSize * UNITS),
      imbalanceBuckets: c.microImbalanceBuckets,
      spreadBuckets: c.microSpreadBuckets,
      maxMoveHalfTicks: c.microMaxMoveHalfTicks,
      window: c.microWindow,
      recalibrateEvery: c.microRecalibrateEvery,
      minMoves: c.microMinMoves,
      minStateCount: c.microMinStateCount,
      horizonMoves: c.microHorizonMoves,
    });
    this.ofiRate = new EwmaRate(c.ofiHalfLifeS);
    this.tradeRate = new EwmaRate(c.tradeFlowHalfLifeS);
    this.method = c.fairValueMethod === 'mid' ? FairValueSource.MID
      : c.fairValueMethod === 'weighted-mid' ? FairValueSource.WEIGHTED_MID : FairValueSource.MICRO_PRICE;
    this.maxBookAgeNs = c.maxBookAgeMs * 1e6;
    this.minPublishIntervalNs = c.minPublishIntervalMs * 1e6;
  }

  /** The book's sync state (from the collector's state and update-id continuity). Unsyncing breaks every chain. */
  setBookSynced(synced: boolean): void {
    if (!synced) this.breakChains();
    this.synced = synced;
  }

  isBookSynced(): boolean { return this.synced; }

  /**
   * A book update (1e-8 units, best first; only the best levels are used). Returns true when a publication is due
   * now: call `publish(nowNs)` then.
   */
  onBook(recvTimeNs: number, bidPrices: ArrayLike<number>, bidQtys: ArrayLike<number>, bidCount: number,
    askPrices: ArrayLike<number>, askQtys: ArrayLike<number>, askCount: number): boolean {
    if (this.chainValid) this.volatility.advance(recvTimeNs, this.fair);
    this.lastBookRecvNs = recvTimeNs;
    this.lastEventRecvNs = recvTimeNs;
    if (bidCount < 1 || askCount < 1) {
      this.hasBook = false;
      this.breakChains();
      this.setFair(Number.NaN, Number.NaN, Number.NaN, Number.NaN, FairValueSource.MID);
      return this.markPending(recvTimeNs);
    }
    const bid = bidPrices[0]!, bidQty = bidQtys[0]!, ask = askPrices[0]!, askQty = askQtys[0]!;
    if (!this.synced) {
      // An unsynced book is shown (flags say so) but never feeds an estimator.
      this.breakChains();
    } else if (!this.chainValid) {
      this.micro.observe(bid, ask, bidQty, askQty);
      this.chainValid = true;
    } else if (bid !== this.bid || bidQty !== this.bidQty || ask !== this.ask || askQty !== this.askQty) {
      const e = orderFlowImbalance(bid, bidQty, ask, askQty, this.bid, this.bidQty, this.ask, this.askQty);
      this.ofiRate.add(recvTimeNs, e / UNITS);
      this.micro.observe(bid, ask, bidQty, askQty);
    }
    this.hasBook = true;
    this.bid = bid; this.bidQty = bidQty; this.ask = ask; this.askQty = askQty;

    const mid = midPrice(bid, ask) / UNITS;
    const wmid = weightedMid(bid, ask, bidQty, askQty) / UNITS;
    const microUnits = this.micro.estimate(bid, ask, bidQty, askQty);
    const microReady = !Number.isNaN(microUnits);
    const micro = microReady ? microUnits / UNITS : wmid;
    let fair: number;
    let source: FairValueSource;
    if (this.method === FairValueSource.MID) { fair = mid; source = FairValueSource.MID; }
    else if (this.method === FairValueSource.WEIGHTED_MID || !microReady) { fair = wmid; source = FairValueSource.WEIGHTED_MID; }
    else { fair = micro; source = FairValueSource.MICRO_PRICE; }
    this.setFair(mid, wmid, micro, fair, source);
    return this.markPending(recvTimeNs);
  }

  /** A trade: signed aggressor volume feeds the trade-flow rate. side: 1 = buy aggressor, 2 = sell. */
  onTrade(recvTimeNs: number, qty: number, aggressorSide: number): void {
    this.tradeRate.add(recvTimeNs, aggressorSide === 1 ? qty / UNITS : -qty / UNITS);
    this.lastEventRecvNs = recvTimeNs;
  }

  /**
   * Advances the volatility clock and returns true when a publication is due: a change held back by the rate limit
   * whose interval has passed, or a flip of tradability (e.g. the book went stale).
   */
  poll(nowNs: number): boolean {
    if (this.chainValid) this.volatility.advance(nowNs, this.fair);
    if (this.pending && nowNs - this.lastPublishNs >= this.minPublishIntervalNs) return true;
    return this.tradableAt(nowNs) !== this.lastPublishedTradable;
  }

  /** Fills `result` for `nowNs` and records the publication (for the rate limit). Returns `result`. */
  publish(nowNs: number): PricingResult {
    const r = this.result;
    const fair = this.fair;
    r.recvTimeNs = this.lastEventRecvNs;
    r.publishTimeNs = nowNs;
    r.bookAgeNs = this.hasBook ? nowNs - this.lastBookRecvNs : -1;
    r.bestBidPrice = this.hasBook ? this.bid : 0;
    r.bestBidQty = this.hasBook ? this.bidQty : 0;
    r.bestAskPrice = this.hasBook ? this.ask : 0;
    r.bestAskQty = this.hasBook ? this.askQty : 0;
    r.mid = this.mid;
    r.weightedMid = this.wmid;
    r.microPrice = this.microPrice;
    r.fairValue = fair;
    r.variance = this.volatility.variancePerS(fair);
    r.sigma = this.volatility.sigmaPerSqrtS(fair);
    r.ofi = this.ofiRate.rate(nowNs);
    r.tradeFlow = this.tradeRate.rate(nowNs);
    r.ofiDrift = this.config.ofiWeight * r.ofi;
    r.tradeFlowDrift = this.config.tradeFlowWeight * r.tradeFlow;
    r.drift = r.ofiDrift + r.tradeFlowDrift;
    r.volSamples = this.volatility.sampleCount();
    r.microSamples = this.micro.moveCount();
    r.fairValueMethod = this.method;
    r.fairValueSource = this.fairSource;
    r.flags = this.flagsAt(nowNs);
    this.pending = false;
    this.lastPublishNs = nowNs;
    this.lastPublishedTradable = (r.flags & PricingQuality.TRADABLE) !== 0;
    return r;
  }

  private breakChains(): void {
    this.chainValid = false;
    this.volatility.breakChain();
    this.micro.breakChain();
  }

  private markPending(nowNs: number): boolean {
    this.pending = true;
    return nowNs - this.lastPublishNs >= this.minPublishIntervalNs;
  }

  private setFair(mid: number, wmid: number, micro: number, fair: number, source: FairValueSource): void {
    this.mid = mid;
    this.wmid = wmid;
    this.microPrice = micro;
    this.fair = fair;
    this.fairSource = source;
  }

  private volReady(): boolean {
    return this.volatility.sampleCount() >= this.config.minVolSamples && !Number.isNaN(this.volatility.logVariancePerS());
  }

  private tradableAt(nowNs: number): boolean {
    return this.synced && this.hasBook && this.bid < this.ask && Number.isFinite(this.fair)
      && nowNs - this.lastBookRecvNs <= this.maxBookAgeNs && this.volReady();
  }

  private flagsAt(nowNs: number): number {
    let flags = 0;
    if (this.synced) flags |= PricingQuality.BOOK_SYNCED;
    if (this.volReady()) flags |= PricingQuality.ENOUGH_SAMPLES | PricingQuality.VOLATILITY_READY;
    if (this.fairSource === FairValueSource.MICRO_PRICE || (this.hasBook && this.microReadyNow())) flags |= PricingQuality.MICRO_PRICE_READY;
    if (this.tradableAt(nowNs)) flags |= PricingQuality.TRADABLE;
    return flags;
  }

  private microReadyNow(): boolean {
    return !Number.isNaN(this.micro.estimate(this.bid, this.ask, this.bidQty, this.askQty));
  }
}

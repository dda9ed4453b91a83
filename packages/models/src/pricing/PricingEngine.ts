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
 * Allocation: none inside the engine (heap-sampled in test/pricing/pricing.bench.mjs); see `now` for call arguments.
 *
 * Quality: TRADABLE = book synced ∧ both sides present and not crossed ∧ book age ≤ maxBookAgeMs ∧ volatility has
 * minVolSamples returns (ENOUGH_SAMPLES = VOLATILITY_READY) ∧ fair value finite. Unsyncing breaks the volatility,
 * micro-price and OFI chains so nothing is computed across a gap.
 */
import { EwmaRate } from './EwmaRate.js';
import { MicroPriceEstimator } from './MicroPriceEstimator.js';
import { validatePricingConfig, type PricingConfig } from './PricingConfig.js';
import { FairValueSource, PricingQuality, PricingResult } from './PricingResult.js';
import { VolatilityEstimator } from './VolatilityEstimator.js';

const UNITS = 1e8;
// Slots of PricingEngine.v: the engine's own doubles live in a Float64Array so no store ever boxes a number.
const BID = 0;
const BID_QTY = 1;
const ASK = 2;
const ASK_QTY = 3;
const LAST_BOOK_RECV_NS = 4;
const LAST_EVENT_RECV_NS = 5;
const FAIR = 6;
const MID = 7;
const WMID = 8;
const MICRO_PRICE = 9;
const LAST_PUBLISH_NS = 10;

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

  /** Doubles of the engine's state, indexed by the slot constants above (best levels in 1e-8 units, times in ns). */
  private readonly v = new Float64Array(11);
  private synced = false;
  private hasBook = false;
  /** The previous best levels came from a synced book with no gap since: OFI, micro-price and volatility may chain. */
  private chainValid = false;
  private fairSource: FairValueSource = FairValueSource.MID;

  /**
   * Time (and trade quantity) slots of the `*AtNow` entry points. A double passed as an argument to a call V8 does
   * not inline is boxed on the heap (16 B); a caller that must allocate nothing writes `now[0]` (ns) and calls the
   * `*AtNow` variant. The plain methods are the same with the time as an argument.
   */
  readonly now = new Float64Array(2);
  private pending = false;
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
    const v = this.v;
    v[FAIR] = Number.NaN; v[MID] = Number.NaN; v[WMID] = Number.NaN; v[MICRO_PRICE] = Number.NaN;
    v[LAST_PUBLISH_NS] = Number.NEGATIVE_INFINITY;
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
    this.now[0] = recvTimeNs;
    return this.onBookAtNow(bidPrices, bidQtys, bidCount, askPrices, askQtys, askCount);
  }

  /** `onBook` with recvTimeNs in `now[0]` (no double argument: see `now`). */
  onBookAtNow(bidPrices: ArrayLike<number>, bidQtys: ArrayLike<number>, bidCount: number,
    askPrices: ArrayLike<number>, askQtys: ArrayLike<number>, askCount: number): boolean {
    const recvTimeNs = this.now[0]!;
    if (this.chainValid) this.advanceVolatilityNow();
    this.v[LAST_BOOK_RECV_NS] = recvTimeNs;
    this.v[LAST_EVENT_RECV_NS] = recvTimeNs;
    if (bidCount < 1 || askCount < 1) {
      this.hasBook = false;
      this.breakChains();
      this.v[MID] = Number.NaN; this.v[WMID] = Number.NaN; this.v[MICRO_PRICE] = Number.NaN; this.v[FAIR] = Number.NaN;
      this.fairSource = FairValueSource.MID;
      return this.markPendingNow();
    }
    const bid = bidPrices[0]!, bidQty = bidQtys[0]!, ask = askPrices[0]!, askQty = askQtys[0]!;
    // The micro-price estimator reads this top from its input slots (observeInput, estimateInput below).
    const microInput = this.micro.input;
    microInput[0] = bid; microInput[1] = ask; microInput[2] = bidQty; microInput[3] = askQty;
    let chainStarts = false;
    if (!this.synced) {
      // An unsynced book is shown (flags say so) but never feeds an estimator.
      this.breakChains();
    } else if (!this.chainValid) {
      this.micro.observeInput();
      this.chainValid = true;
      chainStarts = true;
    } else if (bid !== this.v[BID] || bidQty !== this.v[BID_QTY] || ask !== this.v[ASK] || askQty !== this.v[ASK_QTY]) {
      // Order-flow imbalance (the formula of orderFlowImbalance, inlined: no double arguments on the hot path).
      let e = 0;
      if (bid >= this.v[BID]) e += bidQty;
      if (bid <= this.v[BID]) e -= this.v[BID_QTY];
      if (ask <= this.v[ASK]) e -= askQty;
      if (ask >= this.v[ASK]) e += this.v[ASK_QTY];
      const ofiInput = this.ofiRate.input;
      ofiInput[0] = recvTimeNs;
      ofiInput[1] = e / UNITS;
      this.ofiRate.addInput();
      this.micro.observeInput();
    }
    this.hasBook = true;
    this.v[BID] = bid; this.v[BID_QTY] = bidQty; this.v[ASK] = ask; this.v[ASK_QTY] = askQty;

    // midPrice and weightedMid of FairValue.ts, inlined.
    const mid = (bid + ask) / 2 / UNITS;
    const totalQty = bidQty + askQty;
    const wmid = totalQty > 0 ? (bid * askQty + ask * bidQty) / totalQty / UNITS : Number.NaN;
    const microReady = this.micro.estimateInput(); // input still holds this top (set above)
    const micro = microReady ? this.micro.input[4]! / UNITS : wmid;
    let fair: number;
    let source: FairValueSource;
    if (this.method === FairValueSource.MID) { fair = mid; source = FairValueSource.MID; }
    else if (this.method === FairValueSource.WEIGHTED_MID || !microReady) { fair = wmid; source = FairValueSource.WEIGHTED_MID; }
    else { fair = micro; source = FairValueSource.MICRO_PRICE; }
    this.v[MID] = mid; this.v[WMID] = wmid; this.v[MICRO_PRICE] = micro; this.v[FAIR] = fair; this.fairSource = source;
    // The volatility clock starts at the first synced fair value.
    if (chainStarts) this.advanceVolatilityNow();
    return this.markPendingNow();
  }

  /** A trade: signed aggressor volume feeds the trade-flow rate. side: 1 = buy aggressor, 2 = sell. */
  onTrade(recvTimeNs: number, qty: number, aggressorSide: number): void {
    this.now[0] = recvTimeNs;
    this.now[1] = qty;
    this.onTradeAtNow(aggressorSide);
  }

  /** `onTrade` with recvTimeNs in `now[0]` and qty (1e-8 units) in `now[1]`. */
  onTradeAtNow(aggressorSide: number): void {
    const recvTimeNs = this.now[0]!;
    const qty = this.now[1]!;
    const input = this.tradeRate.input;
    input[0] = recvTimeNs;
    input[1] = aggressorSide === 1 ? qty / UNITS : -qty / UNITS;
    this.tradeRate.addInput();
    this.v[LAST_EVENT_RECV_NS] = recvTimeNs;
  }

  /**
   * Advances the volatility clock and returns true when a publication is due: a change held back by the rate limit
   * whose interval has passed, or a flip of tradability (e.g. the book went stale).
   */
  poll(nowNs: number): boolean {
    this.now[0] = nowNs;
    return this.pollAtNow();
  }

  /** `poll` at `now[0]`. */
  pollAtNow(): boolean {
    const nowNs = this.now[0]!;
    if (this.chainValid) this.advanceVolatilityNow();
    if (this.pending && nowNs - this.v[LAST_PUBLISH_NS] >= this.minPublishIntervalNs) return true;
    return this.tradableNow() !== this.lastPublishedTradable;
  }

  /** Fills `result` for `nowNs` and records the publication (for the rate limit). Returns `result`. */
  publish(nowNs: number): PricingResult {
    this.now[0] = nowNs;
    return this.publishAtNow();
  }

  /** `publish` at `now[0]`. */
  publishAtNow(): PricingResult {
    const nowNs = this.now[0]!;
    const r = this.result;
    const fair = this.v[FAIR];
    r.recvTimeNs = this.v[LAST_EVENT_RECV_NS];
    r.publishTimeNs = nowNs;
    r.bookAgeNs = this.hasBook ? nowNs - this.v[LAST_BOOK_RECV_NS] : -1;
    r.bestBidPrice = this.hasBook ? this.v[BID] : 0;
    r.bestBidQty = this.hasBook ? this.v[BID_QTY] : 0;
    r.bestAskPrice = this.hasBook ? this.v[ASK] : 0;
    r.bestAskQty = this.hasBook ? this.v[ASK_QTY] : 0;
    r.mid = this.v[MID];
    r.weightedMid = this.v[WMID];
    r.microPrice = this.v[MICRO_PRICE];
    r.fairValue = fair;
    const logVariance = this.volatility.input[2]!; // = logVariancePerS(), read from the slot (no boxed return)
    r.variance = logVariance * fair * fair;
    r.sigma = Math.sqrt(logVariance) * fair;
    this.ofiRate.input[0] = nowNs;
    this.ofiRate.rateInput();
    r.ofi = this.ofiRate.input[2]!;
    this.tradeRate.input[0] = nowNs;
    this.tradeRate.rateInput();
    r.tradeFlow = this.tradeRate.input[2]!;
    r.ofiDrift = this.config.ofiWeight * r.ofi;
    r.tradeFlowDrift = this.config.tradeFlowWeight * r.tradeFlow;
    r.drift = r.ofiDrift + r.tradeFlowDrift;
    r.volSamples = this.volatility.sampleCount();
    r.microSamples = this.micro.moveCount();
    r.fairValueMethod = this.method;
    r.fairValueSource = this.fairSource;
    r.flags = this.flagsNow();
    this.pending = false;
    this.v[LAST_PUBLISH_NS] = nowNs;
    this.lastPublishedTradable = (r.flags & PricingQuality.TRADABLE) !== 0;
    return r;
  }

  // Helpers take no numeric arguments: a double passed to (or returned from) a call V8 does not inline is boxed
  // on the heap, so the current time travels in `now` and estimator inputs in their typed-array slots.
  private advanceVolatilityNow(): void {
    const input = this.volatility.input;
    input[0] = this.now[0]!;
    input[1] = this.v[FAIR];
    this.volatility.advanceInput();
  }

  private breakChains(): void {
    this.chainValid = false;
    this.volatility.breakChain();
    this.micro.breakChain();
  }

  private markPendingNow(): boolean {
    this.pending = true;
    return this.now[0]! - this.v[LAST_PUBLISH_NS] >= this.minPublishIntervalNs;
  }

  private volReady(): boolean {
    return this.volatility.sampleCount() >= this.config.minVolSamples && this.volatility.hasEstimate();
  }

  private tradableNow(): boolean {
    return this.synced && this.hasBook && this.v[BID] < this.v[ASK] && Number.isFinite(this.v[FAIR])
      && this.now[0]! - this.v[LAST_BOOK_RECV_NS] <= this.maxBookAgeNs && this.volReady();
  }

  private flagsNow(): number {
    let flags = 0;
    if (this.synced) flags |= PricingQuality.BOOK_SYNCED;
    if (this.volReady()) flags |= PricingQuality.ENOUGH_SAMPLES | PricingQuality.VOLATILITY_READY;
    if (this.fairSource === FairValueSource.MICRO_PRICE || (this.hasBook && this.microReadyNow())) flags |= PricingQuality.MICRO_PRICE_READY;
    if (this.tradableNow()) flags |= PricingQuality.TRADABLE;
    return flags;
  }

  private microReadyNow(): boolean {
    const input = this.micro.input;
    input[0] = this.v[BID]; input[1] = this.v[ASK]; input[2] = this.v[BID_QTY]; input[3] = this.v[ASK_QTY];
    return this.micro.estimateInput();
  }
}

/**
 * The engine as the market maker's venue (`engine`): quotes (15) addressed to Venue.ENGINE replace the market
 * maker's one bid and one ask per symbol in the engine's books (through a LocalQuoter, so they match like any
 * client's orders); pull-quotes cancel them. Fills of those orders go to the journal, then 16, then the positions
 * (17); every trade and top-of-book change of every book, whoever traded, goes to 18 and 19 for the dashboard.
 *
 * Durability and ordering, per fill (synchronous in the quoter's callback): journal append (fsync per policy) →
 * fill message queued and offered (16, never conflated; refused messages stay queued in order) → position update
 * and invariant → the symbol marked dirty; snapshots (17) go out at the end of the duty cycle and at least every
 * `positionIntervalNs`. A fill that cannot be journaled is never published: the venue goes HALTED and pulls its
 * quotes. Fill ids are unique and increasing per venue and continue the journal's sequence after a restart.
 *
 * Quote rules: prices and quantities are scaled per symbol (QuoteVenueSymbols.ts) and rounded toward passivity
 * (bid down, ask up, quantity down); a side with zero lots (or a bid below one tick) is cancelled. A price off the
 * venue's grid is counted (`offGridQuotes`) and warned (at most once a second): the strategy rounds to the
 * instrument's tick (stream 20), so it means `[venue.symbols.*]` and the instrument disagree. A quote
 * cancels both previous orders before entering the new ones, so the market maker never trades with itself when
 * the market moves through its old quote. Quotes sent before this process started are ignored (an IPC subscriber
 * can join at a predecessor's position); orders resting before a restart are gone with the engine's books, which
 * is announced on 11 (per symbol SYNCING, "restart: resting orders cancelled") so the strategy re-quotes.
 *
 * Liquidity and fees: a fill of a resting quote is MAKER, a quote that crossed a resting order on entry is TAKER (the
 * core reports the incoming order's side); fees are the simulator's (FeeModel: bps of notional per liquidity, 1e-8
 * quote units, rounded half away from zero) at `[venue.fees]`, journaled with the fill, so positions (17) and the
 * daily PnL include them and survive a restart. Trades on 18 carry the aggressor side.
 *
 * Known limits: fills journaled just before a crash may not have reached 16: the last `republishOnStart` journaled fills are
 * published again at start (same ids). The quote-id map (engine order id → quote id) allocates per quote, not per
 * fill; it keeps the last
 * QUOTE_ID_MEMORY orders, enough for fills that arrive after a replacement in threaded mode.
 */
import { AtomicBuffer } from '@mm/agrona';
import type { FsyncPolicy, FillRecord } from '@mm/journal';
import {
  FeeModel,
  FillIdCounter,
  FillLiquidity,
  OrderSide,
  Position,
  newFillEvent,
  type FillEvent,
} from '@mm/models/fills';
import {
  DecodeResult,
  EngineTopOfBookEncoder,
  EngineTradeEncoder,
  MessageHeader,
  PullQuotesDecoder,
  QuoteDecoder,
  ServiceState,
  Side,
  SymbolTable,
  TemplateId,
  Venue,
  getSymbol,
  symbolBytes,
} from '@mm/protocol';
import { MalformedMessages, type Clock, type Publisher, type ServiceStatus, type Subscriber } from '@mm/runtime';
import {
  DailyPnl, FillJournal, FillPublisher, FillTail, PositionSnapshotPublisher, VenuePositions, announceRestartCancelledOrders, reportJournalRecovery, type PositionSnapshotSource,
  type VenueLog,
} from '@mm/venue';
import type { QuoteListener } from './LocalQuoter.js';
import type { MarketDataListener } from './OutputRouter.js';
import { MAX_ENGINE_U32, askTicks, bidTicks, lots, type VenueSymbol } from './QuoteVenueSymbols.js';

const BID = 0x42;
const ASK = 0x53;
const QUOTE_ID_MEMORY = 4096;
const MAX_JOURNAL_SYMBOLS = 64;

/** What the venue needs of the engine's in-process client (LocalQuoter has this shape). */
export interface QuoteTarget {
  replaceQuote(symbol: string, side: number, priceTicks: number, qtyLots: number): number;
  cancelAll(): void;
}

export interface QuoteVenueIo {
  readonly quotes: Subscriber;
  readonly fills: Publisher;
  readonly positions: Publisher;
  readonly trades: Publisher;
  readonly topOfBook: Publisher;
}

export interface QuoteVenueSettings {
  readonly symbols: readonly VenueSymbol[];
  readonly positionIntervalNs: number;
  readonly journalDir: string;
  readonly fsync: FsyncPolicy;
  /** Maker and taker fees, basis points of notional (negative = rebate), as the simulator's `[fees]`. */
  readonly fees: { readonly makerBps: number; readonly takerBps: number };
  /** At start, publish the last this-many journaled fills again (same ids; consumers skip ids they have). */
  readonly republishOnStart?: number;
}

export type { VenueLog };

export interface QuoteVenueCounters {
  quotes: number;
  pulls: number;
  ignoredOtherVenue: number;
  staleQuotes: number;
  unknownSymbol: number;
  badQuotes: number;
  /** Quotes with a price off the symbol's venue grid (rounded toward passivity, warned). */
  offGridQuotes: number;
  rejects: number;
  fills: number;
  fillsUnpublished: number;
  positionsPublished: number;
  trades: number;
  tops: number;
  marketDataDropped: number;
  recoveredFills: number;
  republishedFills: number;
}

interface SymbolState extends PositionSnapshotSource {
  readonly name: string;
  readonly index: number;
  /** 0 for symbols known only from the journal (positions kept, not tradable). */
  readonly tickE8: number;
  readonly lotE8: number;
  readonly symHi: number;
  readonly symLo: number;
  bestBidTicks: number;
  bestAskTicks: number;
  sumQtyE8: number;
  sumFeesE8: number;
}

export class QuoteVenue implements QuoteListener, MarketDataListener {
  readonly roleName = 'quote-venue';
  readonly counters: QuoteVenueCounters = {
    quotes: 0, pulls: 0, ignoredOtherVenue: 0, staleQuotes: 0, unknownSymbol: 0, badQuotes: 0, offGridQuotes: 0, rejects: 0, fills: 0,
    fillsUnpublished: 0, positionsPublished: 0, trades: 0, tops: 0, marketDataDropped: 0, recoveredFills: 0, republishedFills: 0,
  };
  private readonly table: SymbolTable;
  private readonly symbols: SymbolState[] = [];
  private readonly byName = new Map<string, SymbolState>();
  private readonly configuredCount: number;
  private readonly quoteIds = new Map<number, number>();
  private fillIds = new FillIdCounter(0);
  private journal: FillJournal | null = null;
  private target: QuoteTarget | null = null;
  private halted = false;
  /** Set by halt(): the quotes are pulled from the next duty cycle, never from inside a matcher callback. */
  private pullPending = false;
  private startNs = 0;
  /** After a restart: when to go LIVE (0 = not pending). */
  private liveAtNs = 0;
  private nextSnapshotNs = 0;
  private lastWarnNs = Number.NEGATIVE_INFINITY;
  private tradeSequence = 0;
  private topSequence = 0;
  private engineSequence = 0;

  private readonly quote = new QuoteDecoder();
  private readonly pull = new PullQuotesDecoder();
  private readonly fill: FillEvent = newFillEvent();
  private readonly feeModel: FeeModel;
  private readonly fillOut: FillPublisher;
  private readonly positionOut: PositionSnapshotPublisher;
  private readonly tradeEncoder = new EngineTradeEncoder();
  private readonly topEncoder = new EngineTopOfBookEncoder();
  private readonly mdBuffer = AtomicBuffer.allocate(128);
  private readonly malformed: MalformedMessages;
  private readonly onQuoteFragment: (b: AtomicBuffer, o: number, l: number) => void;

  constructor(
    private readonly settings: QuoteVenueSettings,
    private readonly io: QuoteVenueIo,
    private readonly clock: Clock,
    private readonly status: ServiceStatus,
    private readonly log: VenueLog,
  ) {
    this.feeModel = new FeeModel(settings.fees.makerBps, settings.fees.takerBps);
    this.table = new SymbolTable(settings.symbols.length + MAX_JOURNAL_SYMBOLS);
    for (const s of settings.symbols) this.addSymbol(s.symbol, s.tickE8, s.lotE8);
    this.configuredCount = settings.symbols.length;
    this.fillOut = new FillPublisher(io.fills, Venue.ENGINE);
    this.positionOut = new PositionSnapshotPublisher(io.positions, Venue.ENGINE, clock);
    this.malformed = new MalformedMessages(status, clock, log);
    this.onQuoteFragment = (b, o, l) => this.onQuoteMessage(b, o, l);
  }

  get isHalted(): boolean {
    return this.halted;
  }

  /** The last fill id issued or recovered (0 = none). */
  get lastFillId(): number {
    return this.fillIds.last;
  }

  /** The position of a symbol (undefined if unknown). */
  position(symbol: string): Position | undefined {
    return this.byName.get(symbol)?.position;
  }

  /**
   * Recovers the journal into the positions and the fill id sequence, publishes every position, announces that
   * orders resting before a restart are cancelled, then goes LIVE and acts on quotes through `target`.
   */
  start(target: QuoteTarget): void {
    if (this.target !== null) throw new Error('QuoteVenue.start called twice');
    this.target = target;
    this.startNs = this.clock.nanoTime();
    const tail = new FillTail(Math.max(0, Math.min(this.settings.republishOnStart ?? 0, this.fillOut.capacity)));
    try {
      this.journal = FillJournal.open(this.settings.journalDir, this.settings.fsync, (r) => {
        const s = this.replay(r);
        tail.keep(this.fill, s.bytes);
      }, this.clock.epochMs.bind(this.clock));
    } catch (error) {
      this.halt(`journal recovery failed: ${(error as Error).message}`);
      return;
    }
    const j = this.journal;
    const rec = j.recovery;
    this.fillIds = new FillIdCounter(j.lastFillId);
    this.counters.republishedFills += reportJournalRecovery(j, tail, this.fillOut, this.log);
    const nowNs = this.clock.nanoTime();
    this.positionOut.publishAll(this.symbols, nowNs, true);
    this.nextSnapshotNs = nowNs + this.settings.positionIntervalNs;
    if (!rec.created) {
      announceRestartCancelledOrders(this.status, this.symbols, this.configuredCount, this.log);
      // Not LIVE for one snapshot interval, so a strategy that missed the restart still sees its venue drop out
      // (heartbeats repeat the state) and re-quotes when it is LIVE again.
      this.status.setState(ServiceState.SYNCING, 'restart: resting orders cancelled');
      this.liveAtNs = nowNs + this.settings.positionIntervalNs;
    } else {
      this.goLive();
    }
  }

  private goLive(): void {
    this.liveAtNs = 0;
    this.status.setState(ServiceState.LIVE, `quoting venue ready (${this.configuredCount} symbols)`);
  }

  doWork(): number {
    let work = this.drainFills();
    if (this.target === null) return work;
    if (this.pullPending) {
      this.pullPending = false;
      this.target.cancelAll();
      work++;
    }
    if (!this.halted) work += this.io.quotes.poll(this.onQuoteFragment, 64);
    const nowNs = this.clock.nanoTime();
    if (this.liveAtNs > 0 && nowNs >= this.liveAtNs && !this.halted) this.goLive();
    const periodic = nowNs >= this.nextSnapshotNs;
    if (periodic) this.nextSnapshotNs = nowNs + this.settings.positionIntervalNs;
    const sent = this.positionOut.publishAll(this.symbols, nowNs, periodic);
    this.counters.positionsPublished += sent;
    this.status.messagesOut += sent;
    work += sent;
    if (this.journal !== null) work += this.journal.maybeSync();
    return work;
  }

  /** Pulls the quotes, publishes what is queued and closes the journal. */
  stop(): void {
    if (!this.halted) this.target?.cancelAll();
    this.drainFills();
    this.log('info', 'quote venue stopping', { lastFillId: this.fillIds.last, pendingFills: this.fillOut.pending, ...this.counters });
    this.journal?.close();
    this.journal = null;
  }

  // ---- stream 15 ----

  private onQuoteMessage(buffer: AtomicBuffer, offset: number, length: number): void {
    const template = length >= 8 ? MessageHeader.templateId(buffer, offset) : -1;
    if (template === TemplateId.QUOTE) {
      if (this.quote.wrapChecked(buffer, offset, length) !== DecodeResult.OK) return this.malformed.report('quote', buffer, offset, length);
      this.status.messagesIn++;
      this.onQuote(this.quote);
      return;
    }
    if (template === TemplateId.PULL_QUOTES) {
      if (this.pull.wrapChecked(buffer, offset, length) !== DecodeResult.OK) return this.malformed.report('pull-quotes', buffer, offset, length);
      this.status.messagesIn++;
      const p = this.pull;
      if (p.venue() !== Venue.ENGINE) {
        this.counters.ignoredOtherVenue++;
        return;
      }
      this.counters.pulls++;
      for (let i = 0; i < this.configuredCount; i++) {
        const s = this.symbols[i]!;
        if (p.appliesTo(s.bytes)) this.cancelBoth(s);
      }
      return;
    }
    this.malformed.report('quote stream', buffer, offset, length);
  }

  private onQuote(q: QuoteDecoder): void {
    if (q.venue() !== Venue.ENGINE) {
      this.counters.ignoredOtherVenue++;
      return;
    }
    const index = q.symbolIndex(this.table);
    if (index < 0 || index >= this.configuredCount) {
      this.counters.unknownSymbol++;
      this.warn(`quote ${q.quoteId()} for a symbol without venue scaling ([venue.symbols]): ${q.symbol()}`);
      return;
    }
    const sent = q.sendTimeNs();
    if (sent !== 0 && sent < this.startNs) {
      this.counters.staleQuotes++;
      return;
    }
    const s = this.symbols[index]!;
    const bp = q.bidPrice(), bq = q.bidQty(), ap = q.askPrice(), aq = q.askQty();
    const bidLots = bq > 0 ? lots(bq, s.lotE8) : 0;
    const askLots = aq > 0 ? lots(aq, s.lotE8) : 0;
    const bt = bidLots > 0 ? bidTicks(bp, s.tickE8) : 0;
    const at = askLots > 0 ? askTicks(ap, s.tickE8) : 0;
    if (bq < 0 || aq < 0 || (bq > 0 && !(bp > 0)) || (aq > 0 && !(ap > 0)) || (bq > 0 && aq > 0 && bp >= ap)
      || bt > MAX_ENGINE_U32 || at > MAX_ENGINE_U32 || bidLots > MAX_ENGINE_U32 || askLots > MAX_ENGINE_U32) {
      this.counters.badQuotes++;
      this.status.errors++;
      this.warn(`quote ${q.quoteId()} rejected: bid ${bq}@${bp} ask ${aq}@${ap} (negative size, non-positive price, crossed or beyond the engine's u32)`);
      return;
    }
    this.counters.quotes++;
    if ((bidLots > 0 && bp % s.tickE8 !== 0) || (askLots > 0 && ap % s.tickE8 !== 0)) {
      this.counters.offGridQuotes++;
      // The text is built only when the rate-limited warning will be logged.
      if (this.clock.nanoTime() - this.lastWarnNs > 1e9) {
        this.warn(`quote ${q.quoteId()} ${s.name}: price off the venue's grid (tick ${s.tickE8}e-8 from [venue.symbols.${s.name}]): `
          + `bid ${bidLots > 0 ? `${bp}e-8 → ${bt} ticks` : '-'}, ask ${askLots > 0 ? `${ap}e-8 → ${at} ticks` : '-'}, rounded toward passivity; `
          + `the instrument's tick (stream 20) and the venue's grid disagree (${this.counters.offGridQuotes} such quotes)`);
      }
    }
    const t = this.target!;
    // Both old orders go first: the new bid may cross the old ask when the market moved.
    this.cancelBoth(s);
    const quoteId = q.quoteId();
    if (bidLots > 0 && bt >= 1) this.remember(t.replaceQuote(s.name, BID, bt, bidLots), quoteId);
    if (askLots > 0) this.remember(t.replaceQuote(s.name, ASK, at, askLots), quoteId);
  }

  private cancelBoth(s: SymbolState): void {
    const t = this.target!;
    t.replaceQuote(s.name, BID, 1, 0);
    t.replaceQuote(s.name, ASK, 1, 0);
  }

  private remember(orderId: number, quoteId: number): void {
    if (orderId === 0) return;
    this.quoteIds.set(orderId, quoteId);
    if (this.quoteIds.size > QUOTE_ID_MEMORY) {
      const oldest = this.quoteIds.keys().next();
      if (oldest.done !== true) this.quoteIds.delete(oldest.value);
    }
  }

  // ---- the quoter's callbacks: our fills ----

  onFill(symbol: string, side: number, price: number, qty: number, userOrderId: number, taker: boolean): void {
    const s = this.byName.get(symbol);
    if (s === undefined || this.halted || this.journal === null) return;
    const f = this.fill;
    const nowNs = this.clock.nanoTime();
    f.fillId = this.fillIds.next();
    f.venueId = Venue.ENGINE;
    f.symbolId = s.index;
    f.orderId = userOrderId;
    f.quoteId = this.quoteIds.get(userOrderId) ?? 0;
    f.side = side === BID ? OrderSide.BUY : OrderSide.SELL;
    f.priceE8 = price * s.tickE8;
    f.qtyE8 = qty * s.lotE8;
    f.liquidity = taker ? FillLiquidity.TAKER : FillLiquidity.MAKER;
    f.feeE8 = this.feeModel.feeE8(f.priceE8, f.qtyE8, f.liquidity);
    f.fillTimeNs = nowNs;
    f.recvTimeNs = nowNs;
    const epochMs = this.clock.epochMs();
    try {
      this.journal.append(f, s.bytes, epochMs);
    } catch (error) {
      this.halt(`fill ${f.fillId} could not be journaled: ${(error as Error).message}`);
      return;
    }
    this.counters.fills++;
    // Journaled means it happened: publish it even if the position check below halts the venue.
    const before = this.fillOut.pending;
    if (this.fillOut.enqueue(f, s.bytes)) {
      this.status.messagesOut += before + 1 - this.fillOut.pending;
    } else {
      this.counters.fillsUnpublished++;
      this.status.errors++;
      this.warn(`fill ${f.fillId} journaled but not published: fill queue full (stream 16 back-pressured or unsubscribed)`);
    }
    if (!this.applyToPosition(s, f, epochMs)) return;
    s.lastRecvNs = nowNs;
    s.dirty = true;
  }

  onReject(symbol: string, userOrderId: number, reason: number): void {
    this.counters.rejects++;
    this.status.errors++;
    this.warn(`engine refused quote order ${userOrderId} in ${symbol}: reason ${reason}`);
  }

  // ---- the router's market data: every book ----

  onTrade(symHi: number, symLo: number, buyUserId: number, buyOrderId: number, sellUserId: number, sellOrderId: number, price: number, qty: number, aggressorSide: number): void {
    this.counters.trades++;
    const e = this.tradeEncoder.wrap(this.mdBuffer, 0);
    e.sequence(this.tradeSequence)
      .recvTimeNs(this.clock.nanoTime())
      .engineSequence(this.engineSequence++)
      .price(price)
      .qty(qty)
      .buyUserId(buyUserId)
      .buyOrderId(buyOrderId)
      .sellUserId(sellUserId)
      .sellOrderId(sellOrderId)
      .symbolBytes(this.symbolBytesOf(symHi, symLo))
      .aggressorSide(aggressorSide === BID ? Side.BUY : Side.SELL);
    if (this.io.trades.offer(this.mdBuffer, 0, e.encodedLength()) < 0) this.counters.marketDataDropped++;
    else {
      this.tradeSequence++;
      this.status.messagesOut++;
    }
  }

  onTopOfBook(symHi: number, symLo: number, side: number, price: number, qty: number): void {
    this.counters.tops++;
    const e = this.topEncoder.wrap(this.mdBuffer, 0);
    e.sequence(this.topSequence)
      .recvTimeNs(this.clock.nanoTime())
      .engineSequence(this.engineSequence++)
      .price(price)
      .totalQty(qty)
      .symbolBytes(this.symbolBytesOf(symHi, symLo))
      .side(side === BID ? Side.BUY : Side.SELL)
      .empty(qty === 0);
    if (this.io.topOfBook.offer(this.mdBuffer, 0, e.encodedLength()) < 0) this.counters.marketDataDropped++;
    else {
      this.topSequence++;
      this.status.messagesOut++;
    }
    this.mark(symHi, symLo, side, qty === 0 ? 0 : price);
  }

  // ---- positions ----

  /** Marks a symbol's position to the engine's mid (when both sides are quoted). */
  private mark(symHi: number, symLo: number, side: number, priceTicks: number): void {
    for (let i = 0; i < this.configuredCount; i++) {
      const s = this.symbols[i]!;
      if (s.symHi !== symHi || s.symLo !== symLo) continue;
      if (side === BID) s.bestBidTicks = priceTicks;
      else s.bestAskTicks = priceTicks;
      if (s.bestBidTicks > 0 && s.bestAskTicks > 0) {
        const mid = ((s.bestBidTicks + s.bestAskTicks) / 2) * (s.tickE8 / 1e8);
        if (mid !== s.position.markPrice) {
          s.position.mark(mid);
          if (s.position.qtyE8 !== 0) s.dirty = true;
        }
      }
      return;
    }
  }

  /** The venue position rules (@mm/venue VenuePositions); false (and HALTED) on a violation. */
  private applyToPosition(s: SymbolState, f: Readonly<FillEvent>, epochMs: number): boolean {
    const violation = VenuePositions.apply(s, f, epochMs);
    if (violation === undefined) return true;
    this.halt(violation);
    return false;
  }

  private replay(r: FillRecord): SymbolState {
    if (r.venue() !== Venue.ENGINE) throw new RangeError(`fill ${r.fillId()} in the journal is for venue ${r.venue()}, not ENGINE`);
    let idx = this.table.indexOf(r.wrappedBuffer(), r.symbolOffset());
    if (idx < 0) {
      // Traded before but not configured now: keep its position (published, never traded).
      const name = getSymbol(r.wrappedBuffer(), r.symbolOffset());
      if (name.length === 0 || name.length > 8) throw new RangeError(`fill ${r.fillId()} in the journal has no valid symbol`);
      idx = this.addSymbol(name, 0, 0).index;
    }
    const s = this.symbols[idx]!;
    const f = VenuePositions.fromRecord(r, s.index, this.fill);
    if (!this.applyToPosition(s, f, r.fillEpochMs())) throw new RangeError(`fill ${f.fillId} breaks the positions`);
    this.counters.recoveredFills++;
    return s;
  }

  // ---- helpers ----

  private addSymbol(name: string, tickE8: number, lotE8: number): SymbolState {
    const index = this.table.register(name);
    const bytes = symbolBytes(name);
    const s: SymbolState = {
      name, index, bytes, tickE8, lotE8, symHi: word(bytes, 0), symLo: word(bytes, 4), position: new Position(Venue.ENGINE, index),
      daily: new DailyPnl(), sequence: 0, lastRecvNs: 0, dirty: true, bestBidTicks: 0, bestAskTicks: 0, sumQtyE8: 0, sumFeesE8: 0,
    };
    this.symbols.push(s);
    this.byName.set(name, s);
    return s;
  }

  private readonly scratchSymbol = new Uint8Array(8);

  /** The engine's packed symbol as NUL-padded bytes, into one reused array. */
  private symbolBytesOf(hi: number, lo: number): Uint8Array {
    const b = this.scratchSymbol;
    for (let i = 0; i < 4; i++) {
      b[i] = (hi >>> (24 - 8 * i)) & 0xff;
      b[4 + i] = (lo >>> (24 - 8 * i)) & 0xff;
    }
    return b;
  }

  private drainFills(): number {
    const sent = this.fillOut.drain();
    this.status.messagesOut += sent;
    return sent;
  }

  private halt(reason: string): void {
    if (this.halted) return;
    this.halted = true;
    this.status.errors++;
    this.log('error', `quote venue HALTED: ${reason}`, { lastFillId: this.fillIds.last });
    this.status.setState(ServiceState.HALTED, reason.slice(0, 64));
    // No fill may happen that cannot be journaled: take our orders out of the books (halt can run inside a fill
    // callback, i.e. inside the matcher, which must not be re-entered).
    this.pullPending = true;
  }

  private warn(msg: string): void {
    const now = this.clock.nanoTime();
    if (now - this.lastWarnNs > 1e9) {
      this.lastWarnNs = now;
      this.log('warn', msg, { badQuotes: this.counters.badQuotes, unknownSymbol: this.counters.unknownSymbol, rejects: this.counters.rejects });
    }
  }
}

/** Big-endian word of the engine's symbol packing (symbolHi/symbolLo of @mm/matching) from NUL-padded bytes. */
function word(bytes: Uint8Array, from: number): number {
  return (((bytes[from] ?? 0) << 24) | ((bytes[from + 1] ?? 0) << 16) | ((bytes[from + 2] ?? 0) << 8) | (bytes[from + 3] ?? 0)) >>> 0;
}

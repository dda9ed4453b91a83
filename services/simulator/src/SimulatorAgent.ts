import { AtomicBuffer } from '@mm/agrona';
import { FragmentAssembler } from '@mm/aeron-client';
import type { FsyncPolicy, FillRecord } from '@mm/journal';
import {
  ConstantLatency,
  FeeModel,
  FillEngine,
  FillIdCounter,
  Positions,
  VENUE_SIMULATOR,
  createQueueModel,
  newFillEvent,
  type FillEvent,
  type FillSink,
  OrderSide,
  type Position,
} from '@mm/models/fills';
import {
  BookSnapshotDecoder,
  DecodeResult,
  MessageHeader,
  PullQuotesDecoder,
  QuoteDecoder,
  ServiceState,
  SymbolTable,
  TemplateId,
  TradeDecoder,
  Venue,
  getSymbol,
  symbolBytes,
} from '@mm/protocol';
import type { Clock, FragmentHeader, Publisher, ServiceStatus, Subscriber } from '@mm/runtime';
import { MalformedMessages } from '@mm/runtime';
import {
  DailyPnl, FillJournal, FillPublisher, FillTail, PositionSnapshotPublisher, VenuePositions, announceRestartCancelledOrders, reportJournalRecovery, type VenueLog,
} from '@mm/venue';
import { HeldMessages } from './HeldMessages.js';
import type { SimulatorSettings } from './SimulatorConfig.js';

/**
 * The `simulator` venue: quotes (15) addressed to it become simulated orders filled against the real market's
 * books (10) and trades (13), one FillEngine per symbol (latencies, queue model and fees from the config); fills go
 * to 16 and position snapshots to 17, both stamped venue SIMULATOR.
 *
 * Durability and ordering, per fill (all synchronous inside the engine's sink call):
 *   journal append (fsync per policy) → fill message queued and offered (16) → position update + invariant check
 *   → the symbol's position marked dirty, its snapshot (17) published at the end of the duty cycle.
 * A fill that cannot be journaled is never published: the venue goes HALTED. Fill messages that meet back
 * pressure wait in a bounded ring (in order) and are retried every cycle; they are never conflated. Snapshots are
 * conflatable: a refused one stays dirty and the next cycle retries with the latest state.
 *
 * Time: every model decision runs on EVENT time, never on this process's clock, so the fills do not depend on how
 * fast the pipeline runs (a live run on Aeron gives the fills of `mm backtest`; packages/backtest/README.md):
 * - a book or trade happens at its carried receive time (the Binance frame's local receive time, stamped by the
 *   collector); a quote or pull happens at its carried `recvTimeNs` (the receive time of the market event behind
 *   the strategy's decision), clamped into [last event time, newest market event received] (a quote cannot be
 *   caused by a market event not yet seen; a far-off clock cannot move the venue's time). Untimed quotes (0) use
 *   this host's clock (tools and tests); orders go live `entry latency` after that time, cancels take effect
 *   `cancel latency` after it, fills carry the time of the market event that caused them;
 * - quotes (15), books (10) and trades (13) are applied in one event-time order (ties: quote, book, trade), and a
 *   market event at t is applied only after the strategy has reacted to everything before it, as in the one-process
 *   backtest, whose pipeline settles after every event: to the pricing of t itself (its quote travels collector →
 *   pricing → strategy → here, so it arrives AFTER the event) and to the fills of the event before. So events are
 *   held (copied into HeldMessages) and released one at a time, in order: the head goes once a quote or pull
 *   carrying a time ≥ t has arrived (the strategy's times only increase: it has decided through t), or once it has
 *   been the head for `holdNs` of this host's clock (the strategy decided to send nothing). The hold bounds how late
 *   fills are published, never what they are, as long as the strategy reacts within it; its cost is throughput:
 *   an event the strategy does not answer waits the whole hold, so at most 1/holdNs such events per second.
 *   holdNs = 0 applies everything on arrival (in order); the backtest holds without a time limit and releases the
 *   head itself once its pipeline is idle (releaseNextHeld). Held messages live in preallocated rings (4 MiB of
 *   books, 1 MiB of trades, 256 KiB of quotes); when one is full the oldest held messages are applied early
 *   (releasedByOverflow). A quote whose time is before the venue's event time is applied at the event time
 *   (lateQuotes): normal for a decision on fills, which carries its pricing's time.
 * - progress: every position snapshot (17) carries in `timeNs` the venue's progress X — every market event before
 *   X has been applied and its fills published (X = the held head's time, or the newest event applied + 1 ns) —
 *   and a snapshot goes out whenever X moves. The strategy decides on pricing for t only once X ≥ t, so it has
 *   seen exactly the fills of the events before t, whatever the processes' speeds.
 * - a quote whose time is more than `staleQuoteNs` older than the venue's event time is dropped (staleQuotes):
 *   sent to a predecessor that died before reading it, or by a strategy that fell far behind. Judged on carried
 *   times only, so it holds across hosts whose clocks differ. A timed quote read before this process has seen any
 *   market data cannot be judged and is dropped too: it was sent to a predecessor (the strategy quotes only a LIVE
 *   venue, which needs books).
 * - daily PnL is attributed to the UTC day of the fill's event time; periodic snapshots, staleness of books and
 *   log rate limits are operational and stay on this host's clock.
 *
 * Start: the journal is replayed into the positions and the fill id counter, so positions equal the sum of
 * journaled fills and ids continue without repeat or skip; orders resting before a restart are gone (they lived
 * only in memory), which is announced on 11 so the strategy re-quotes.
 *
 * Invariant (asserted on every fill): for every symbol, quantity and fees equal the sums of its journaled fills,
 * counted here independently of the Position model (which also checks its own). A violation is logged at error
 * and the venue goes HALTED: it stops acting on quotes and market data and publishes nothing new.
 *
 * State: SYNCING until every symbol has a book, then LIVE; DEGRADED while some symbol has had no book for
 * `staleBookNs`; HALTED is final. Nothing is allocated per message on the hot path.
 */
export interface SimulatorIo {
  readonly quotes: Subscriber;
  readonly books: Subscriber;
  readonly trades: Subscriber;
  readonly fills: Publisher;
  readonly positions: Publisher;
}

export interface SimulatorJournalSettings {
  readonly dir: string;
  readonly fsync: FsyncPolicy;
  /**
   * At start, publish the last this-many journaled fills again (same ids and content) before the position
   * snapshots. A fill journaled just before a kill -9 or a driver loss may never have reached stream 16 (queued,
   * or written into the dead driver's log); consumers skip ids they already have, so a repeat is harmless and a
   * loss is not. 0 = off.
   */
  readonly republishOnStart?: number;
}

export type SimulatorLog = VenueLog;

export interface SimulatorCounters {
  quotes: number;
  pulls: number;
  ignoredOtherVenue: number;
  /** Quotes older than the venue's event time by more than staleQuoteNs (see the module comment). */
  staleQuotes: number;
  unknownSymbol: number;
  badQuotes: number;
  poolFull: number;
  books: number;
  trades: number;
  fills: number;
  fillsQueued: number;
  fillsUnpublished: number;
  positionsPublished: number;
  positionsDeferred: number;
  bad: number;
  recoveredFills: number;
  /** Journaled fills published again at start (see SimulatorJournalSettings.republishOnStart). */
  republishedFills: number;
  /** Market events released by the strategy's watermark / by the hold timeout / because the hold was full. */
  releasedByWatermark: number;
  releasedByTimeout: number;
  releasedByOverflow: number;
  /** Quotes applied later than their event time because market events after it were already applied. */
  lateQuotes: number;
}

const SOURCE_QUOTES = 0;
const SOURCE_BOOKS = 1;
const SOURCE_TRADES = 2;

interface SymbolVenue {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly index: number;
  readonly position: Position;
  /** Independent sums for the runtime invariant (VenuePositions). */
  sumQtyE8: number;
  sumFeesE8: number;
  /** Undefined for symbols known only from the journal (not configured now): positions kept, no trading. */
  engine: FillEngine | undefined;
  lastBookNs: number;
  lastRecvNs: number;
  dirty: boolean;
  sequence: number;
  /** This symbol's realized PnL and fees per UTC day (published on 17 so the strategy's loss limit survives crashes). */
  readonly daily: DailyPnl;
}

const MAX_JOURNAL_SYMBOLS = 64;

export class SimulatorAgent implements FillSink {
  readonly roleName = 'simulator';
  readonly counters: SimulatorCounters = {
    quotes: 0, pulls: 0, ignoredOtherVenue: 0, staleQuotes: 0, unknownSymbol: 0, badQuotes: 0, poolFull: 0, books: 0, trades: 0,
    fills: 0, fillsQueued: 0, fillsUnpublished: 0, positionsPublished: 0, positionsDeferred: 0, bad: 0, recoveredFills: 0, republishedFills: 0,
    releasedByWatermark: 0, releasedByTimeout: 0, releasedByOverflow: 0, lateQuotes: 0,
  };
  readonly positions = new Positions(VENUE_SIMULATOR);
  readonly dailyPnl = new DailyPnl();
  private readonly table: SymbolTable;
  private readonly symbols: SymbolVenue[] = [];
  private readonly configuredCount: number;
  /** Created in start(), continuing the journaled sequence; shared by every symbol's engine (ids are per venue). */
  private fillIds = new FillIdCounter(0);
  private journal: FillJournal | null = null;
  private halted = false;
  private started = false;

  private readonly quote = new QuoteDecoder();
  private readonly pull = new PullQuotesDecoder();
  private readonly book = new BookSnapshotDecoder();
  private readonly trade = new TradeDecoder();
  private readonly positionOut: PositionSnapshotPublisher;
  private readonly fillOut: FillPublisher;
  private nextSnapshotNs = 0;
  private lastWarnLogNs = Number.NEGATIVE_INFINITY;
  private everBooked = false;
  private lastFresh = -1;
  /** Event time: of the last quote or market event applied. */
  private eventNs = Number.NEGATIVE_INFINITY;
  /** Newest market event time received (held or applied). */
  private newestMarketNs = Number.NEGATIVE_INFINITY;
  /** The strategy's watermark: the largest time carried by a timed quote or pull received. */
  private quoteWatermarkNs = Number.NEGATIVE_INFINITY;
  private cycle = 0;
  /** This host's clock when the last market event was released (a head's hold starts then, or at its arrival). */
  private lastReleaseNs = Number.NEGATIVE_INFINITY;
  /** Progress (see the module comment) last published on 17. */
  private progressNs = 0;
  private publishedProgressNs = -1;
  private readonly holdNs: number;
  private readonly staleQuoteNs: number;
  private readonly heldQuotes = new HeldMessages(1 << 18, 4096);
  private readonly heldBooks = new HeldMessages(1 << 22, 8192);
  private readonly heldTrades = new HeldMessages(1 << 20, 16384);
  private lastFillErrorLogNs = Number.NEGATIVE_INFINITY;

  private readonly onQuoteFragment: (b: AtomicBuffer, o: number, l: number) => void;
  private readonly onBookFragment: (b: AtomicBuffer, o: number, l: number) => void;
  private readonly bookAssembler: FragmentAssembler<FragmentHeader>;
  private readonly onTradeFragment: (b: AtomicBuffer, o: number, l: number) => void;

  private readonly malformed: MalformedMessages;
  constructor(
    private readonly settings: SimulatorSettings,
    private readonly io: SimulatorIo,
    private readonly journalSettings: SimulatorJournalSettings,
    private readonly clock: Clock,
    private readonly status: ServiceStatus,
    private readonly log: SimulatorLog,
  ) {
    this.malformed = new MalformedMessages(status, clock, log);
    this.configuredCount = settings.symbols.length;
    this.table = new SymbolTable(settings.symbols.length + MAX_JOURNAL_SYMBOLS);
    for (const s of settings.symbols) this.addSymbol(s.symbol);
    this.fillOut = new FillPublisher(io.fills, Venue.SIMULATOR);
    // Snapshots report the day of the venue's event time (daily PnL boundaries follow the data, as in a backtest).
    const eventClock: Clock = { nanoTime: () => this.eventNs, epochMs: () => this.eventEpochMs(this.eventNs > Number.NEGATIVE_INFINITY ? this.eventNs : clock.nanoTime()) };
    this.positionOut = new PositionSnapshotPublisher(io.positions, Venue.SIMULATOR, eventClock);
    this.holdNs = settings.holdNs ?? 0;
    this.staleQuoteNs = settings.staleQuoteNs ?? 1e9;
    if (!(this.holdNs >= 0)) throw new RangeError(`holdNs must be >= 0, got ${settings.holdNs}`);
    if (!(this.staleQuoteNs > 0)) throw new RangeError(`staleQuoteNs must be > 0, got ${settings.staleQuoteNs}`);
    this.onQuoteFragment = (b, o, l) => this.receiveQuote(b, o, l);
    this.onBookFragment = (b, o, l) => this.receiveBook(b, o, l);
    this.bookAssembler = new FragmentAssembler<FragmentHeader>((b, o, l) => this.onBookFragment(b, o, l));
    this.onTradeFragment = (b, o, l) => this.receiveTrade(b, o, l);
  }

  get isHalted(): boolean {
    return this.halted;
  }

  /** The last fill id issued or recovered (0 = none). */
  get lastFillId(): number {
    return this.fillIds.last;
  }

  /**
   * Recovers the journal into positions and the fill id sequence, publishes a snapshot of every position, and
   * announces that orders resting before a restart are cancelled. A journal that cannot be recovered halts the
   * venue (logged at error) instead of trading on positions that would not equal the sum of fills.
   */
  start(): void {
    if (this.started) throw new Error('SimulatorAgent.start called twice');
    this.started = true;
    const replay = newFillEvent();
    // The journal's tail, kept while it is replayed (allocated once, at start only).
    const tail = new FillTail(Math.max(0, Math.min(this.journalSettings.republishOnStart ?? 0, this.fillOut.capacity)));
    const onRecord = (r: FillRecord): void => {
      this.replay(r, replay);
      tail.keep(replay, this.symbols[replay.symbolId]!.bytes);
    };
    try {
      this.journal = FillJournal.open(this.journalSettings.dir, this.journalSettings.fsync, onRecord, this.clock.epochMs.bind(this.clock));
    } catch (error) {
      this.halt(`journal recovery failed: ${(error as Error).message}`);
      return;
    }
    const j = this.journal;
    const rec = j.recovery;
    this.fillIds = new FillIdCounter(j.lastFillId);
    this.createEngines();
    const today = this.dailyPnl.forDay(this.clock.epochMs());
    this.counters.republishedFills += reportJournalRecovery(j, tail, this.fillOut, this.log, {
      dailyRealizedPnl: today.realizedPnl, dailyFeesE8: today.feesE8, day: today.day,
    });
    const nowNs = this.clock.nanoTime();
    for (let i = 0; i < this.symbols.length; i++) this.symbols[i]!.dirty = true;
    this.publishPositions(this.progressNs, true);
    this.nextSnapshotNs = nowNs + this.settings.positionIntervalNs;
    if (!rec.created) {
      // Orders lived only in memory: after a restart none rest. Say so per symbol so the strategy re-quotes.
      announceRestartCancelledOrders(this.status, this.symbols, this.configuredCount, this.log);
      this.status.setState(ServiceState.SYNCING, 'restart: orders cancelled; waiting for books');
    } else {
      this.status.setState(ServiceState.SYNCING, 'waiting for books');
    }
  }

  doWork(): number {
    if (!this.started || this.halted) return this.drainFills();
    this.cycle++;
    let work = this.io.quotes.poll(this.onQuoteFragment, 64);
    work += this.io.books.poll(this.bookAssembler.handler, 64);
    work += this.io.trades.poll(this.onTradeFragment, 64);
    const nowNs = this.clock.nanoTime();
    work += this.release(nowNs);
    work += this.drainFills();
    const periodic = nowNs >= this.nextSnapshotNs;
    if (periodic) this.nextSnapshotNs = nowNs + this.settings.positionIntervalNs;
    this.progressNs = this.progress();
    if (this.progressNs !== this.publishedProgressNs && this.configuredCount > 0) this.symbols[0]!.dirty = true;
    work += this.publishPositions(this.progressNs, periodic);
    if (this.journal !== null) work += this.journal.maybeSync();
    this.updateState(nowNs);
    return work;
  }

  /**
   * Flushes the journal and stops; pending fill messages are already journaled. Held messages are dropped like
   * unread ones: applying them now could make fills after the last position snapshot.
   */
  stop(): void {
    this.drainFills();
    const today = this.dailyPnl.forDay(this.clock.epochMs());
    this.log('info', 'simulator stopping', {
      lastFillId: this.fillIds.last, pendingFills: this.pendingFills, day: today.day,
      dailyRealizedPnl: today.realizedPnl, dailyFeesE8: today.feesE8, dailyFills: today.fills,
    });
    this.journal?.close();
    this.journal = null;
  }

  // ---- the engines' sink: every fill, synchronously ----

  onFill(fill: Readonly<FillEvent>): void {
    const s = this.symbols[fill.symbolId]!;
    if (this.halted || this.journal === null) return;
    const epochMs = this.eventEpochMs(fill.recvTimeNs);
    try {
      this.journal.append(fill, s.bytes, epochMs);
    } catch (error) {
      this.halt(`fill ${fill.fillId} could not be journaled: ${(error as Error).message}`);
      return;
    }
    this.counters.fills++;
    // Journaled means it happened: publish it even if the position check below halts the venue.
    this.enqueueFill(s, fill);
    if (!this.applyToPosition(s, fill, epochMs)) return;
    s.lastRecvNs = fill.recvTimeNs;
    s.dirty = true;
  }

  // ---- inbound: received messages are checked, then held until their event time is due ----

  private receiveQuote(buffer: AtomicBuffer, offset: number, length: number): void {
    const template = length >= 2 ? MessageHeader.templateId(buffer, offset) : -1;
    let carried: number;
    if (template === TemplateId.QUOTE) {
      if (this.quote.wrapChecked(buffer, offset, length) !== DecodeResult.OK) return this.bad('quote', buffer, offset, length);
      carried = this.quote.recvTimeNs();
    } else if (template === TemplateId.PULL_QUOTES) {
      if (this.pull.wrapChecked(buffer, offset, length) !== DecodeResult.OK) return this.bad('pull-quotes', buffer, offset, length);
      carried = this.pull.recvTimeNs();
    } else {
      return this.bad('quote stream', buffer, offset, length);
    }
    this.status.messagesIn++;
    let t: number;
    if (carried > 0 && this.newestMarketNs === Number.NEGATIVE_INFINITY) {
      this.counters.staleQuotes++;
      return;
    }
    if (carried > 0) {
      // The strategy's times only increase: nothing it decides later can carry an earlier time.
      if (carried > this.quoteWatermarkNs) this.quoteWatermarkNs = carried;
      t = this.newestMarketNs > Number.NEGATIVE_INFINITY ? Math.min(carried, this.newestMarketNs) : carried;
    } else {
      t = Math.max(this.clock.nanoTime(), this.eventNs);
    }
    this.hold(this.heldQuotes, buffer, offset, length, t);
  }

  private receiveBook(buffer: AtomicBuffer, offset: number, length: number): void {
    if (length < 2 || MessageHeader.templateId(buffer, offset) !== TemplateId.BOOK_SNAPSHOT || this.book.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('book', buffer, offset, length);
    }
    this.status.messagesIn++;
    this.hold(this.heldBooks, buffer, offset, length, this.marketTime(this.book.recvTimeNs()));
  }

  private receiveTrade(buffer: AtomicBuffer, offset: number, length: number): void {
    if (length < 2 || MessageHeader.templateId(buffer, offset) !== TemplateId.TRADE || this.trade.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('trade', buffer, offset, length);
    }
    this.status.messagesIn++;
    this.hold(this.heldTrades, buffer, offset, length, this.marketTime(this.trade.recvTimeNs()));
  }

  private marketTime(carried: number): number {
    const t = carried > 0 ? carried : this.clock.nanoTime();
    if (t > this.newestMarketNs) this.newestMarketNs = t;
    return t;
  }

  private hold(fifo: HeldMessages, buffer: AtomicBuffer, offset: number, length: number, timeNs: number): void {
    const now = this.clock.nanoTime();
    if (fifo.push(buffer, offset, length, timeNs, now, this.cycle)) return;
    // Full: make room by applying the oldest held messages (in order), then hold this one; apply it if it cannot be.
    while (fifo.size > 0 && !fifo.push(buffer, offset, length, timeNs, now, this.cycle)) {
      this.counters.releasedByOverflow++;
      this.applyNext();
    }
    if (fifo.size === 0 && !fifo.push(buffer, offset, length, timeNs, now, this.cycle)) {
      this.counters.releasedByOverflow++;
      this.apply(fifo === this.heldQuotes ? SOURCE_QUOTES : fifo === this.heldBooks ? SOURCE_BOOKS : SOURCE_TRADES, buffer, offset, length, timeNs);
    }
  }

  /**
   * Applies held messages in event-time order while the oldest is due: a quote as soon as
   * it is the oldest; a market event at t once the strategy's watermark is past t − min latency, or it has waited
   * holdNs. With a hold, only messages received in an earlier duty cycle go: the other market stream is then read
   * past everything the collector published before them.
   */
  private release(nowNs: number): number {
    let work = 0;
    while (!this.halted) {
      const source = this.nextSource();
      if (source < 0) break;
      if (source !== SOURCE_QUOTES && this.holdNs > 0) {
        const fifo = source === SOURCE_BOOKS ? this.heldBooks : this.heldTrades;
        if (fifo.headCycle() === this.cycle) break;
        if (this.quoteWatermarkNs >= fifo.headTimeNs()) this.counters.releasedByWatermark++;
        else if (nowNs - Math.max(fifo.headArrivalNs(), this.lastReleaseNs) >= this.holdNs) this.counters.releasedByTimeout++;
        else break;
        this.lastReleaseNs = nowNs;
        this.applyNext();
        work++;
        // One market event per cycle: its fills and progress go out, and the strategy reacts, before the next.
        break;
      } else if (source === SOURCE_QUOTES && this.holdNs > 0 && this.heldQuotes.headCycle() === this.cycle) {
        break;
      }
      this.applyNext();
      work++;
    }
    return work;
  }

  /**
   * Applies the next held message whatever the hold (the backtest calls this when its pipeline is idle: the
   * strategy has reacted to everything); false when nothing is held.
   */
  releaseNextHeld(): boolean {
    if (this.halted || this.nextSource() < 0) return false;
    this.lastReleaseNs = this.clock.nanoTime();
    this.applyNext();
    return true;
  }

  /** Every market event before this time has been applied (see the module comment); 0 before any. */
  private progress(): number {
    const head = Math.min(this.heldBooks.headTimeNs(), this.heldTrades.headTimeNs());
    if (head !== Number.POSITIVE_INFINITY) return head;
    return this.newestMarketNs > 0 ? this.newestMarketNs + 1 : 0;
  }

  /** The FIFO whose head is next in event time (ties: quotes, books, trades); −1 when all are empty. */
  private nextSource(): number {
    const q = this.heldQuotes.headTimeNs();
    const b = this.heldBooks.headTimeNs();
    const t = this.heldTrades.headTimeNs();
    if (q === Number.POSITIVE_INFINITY && b === Number.POSITIVE_INFINITY && t === Number.POSITIVE_INFINITY) return -1;
    if (q <= b && q <= t) return SOURCE_QUOTES;
    return b <= t ? SOURCE_BOOKS : SOURCE_TRADES;
  }

  private applyNext(): void {
    const source = this.nextSource();
    if (source < 0) return;
    const fifo = source === SOURCE_QUOTES ? this.heldQuotes : source === SOURCE_BOOKS ? this.heldBooks : this.heldTrades;
    this.apply(source, fifo.buffer, fifo.headOffset(), fifo.headLength(), fifo.headTimeNs());
    fifo.pop();
  }

  private apply(source: number, buffer: AtomicBuffer, offset: number, length: number, timeNs: number): void {
    if (this.halted) return;
    if (source === SOURCE_QUOTES) this.applyQuote(buffer, offset, length, timeNs);
    else if (source === SOURCE_BOOKS) this.applyBook(buffer, offset, length, timeNs);
    else this.applyTrade(buffer, offset, length, timeNs);
  }

  private applyQuote(buffer: AtomicBuffer, offset: number, length: number, timeNs: number): void {
    const isQuote = MessageHeader.templateId(buffer, offset) === TemplateId.QUOTE;
    const carried = isQuote ? this.quote.wrap(buffer, offset).recvTimeNs() : this.pull.wrap(buffer, offset).recvTimeNs();
    if ((isQuote ? this.quote.venue() : this.pull.venue()) !== Venue.SIMULATOR) {
      this.counters.ignoredOtherVenue++;
      return;
    }
    if (carried > 0 && timeNs < this.eventNs - this.staleQuoteNs) {
      // Sent to a predecessor that died before reading it (an IPC subscriber can rejoin at its position), or by a
      // strategy far behind the market: orders from before a restart do not rest, neither do such quotes.
      this.counters.staleQuotes++;
      return;
    }
    if (timeNs < this.eventNs) this.counters.lateQuotes++;
    const nowNs = this.advanceTo(timeNs);
    if (!isQuote) {
      this.counters.pulls++;
      const p = this.pull;
      for (let i = 0; i < this.configuredCount; i++) {
        const s = this.symbols[i]!;
        if (p.appliesTo(s.bytes)) s.engine!.pullAll(nowNs);
      }
      return;
    }
    const q = this.quote;
    const s = this.tradable(q.symbolIndex(this.table));
    if (s === undefined) return;
    const bp = q.bidPrice(), bq = q.bidQty(), ap = q.askPrice(), aq = q.askQty();
    if (bq < 0 || aq < 0 || (bq > 0 && !(bp > 0)) || (aq > 0 && !(ap > 0)) || (bq > 0 && aq > 0 && bp >= ap)) {
      this.counters.badQuotes++;
      this.status.errors++;
      this.warn(`quote ${q.quoteId()} rejected: bid ${bq}@${bp} ask ${aq}@${ap} (negative size, non-positive price or crossed)`);
      return;
    }
    this.counters.quotes++;
    if (s.engine!.quote(nowNs, q.quoteId(), bp, bq, ap, aq) < 0) {
      this.counters.poolFull++;
      this.warn(`${s.name}: order pool full, quote ${q.quoteId()} not (fully) placed`);
    }
  }

  private applyBook(buffer: AtomicBuffer, offset: number, length: number, timeNs: number): void {
    const b = this.book.wrap(buffer, offset);
    const s = this.tradable(b.symbolIndex(this.table));
    if (s === undefined) return;
    this.counters.books++;
    const nowNs = this.advanceTo(timeNs);
    s.lastBookNs = this.clock.nanoTime();
    this.everBooked = true;
    if (b.bidCount() > 0 && b.askCount() > 0) {
      const mid = (b.bidPrice(0) + b.askPrice(0)) / 2 / 1e8;
      if (mid !== s.position.markPrice) {
        s.position.mark(mid);
        if (s.position.qtyE8 !== 0) s.dirty = true;
      }
    }
    s.engine!.onBook(nowNs, b);
  }

  private applyTrade(buffer: AtomicBuffer, offset: number, length: number, timeNs: number): void {
    const t = this.trade.wrap(buffer, offset);
    const s = this.tradable(t.symbolIndex(this.table));
    if (s === undefined) return;
    this.counters.trades++;
    const nowNs = this.advanceTo(timeNs);
    s.engine!.onTrade(nowNs, t.price(), t.qty(), t.aggressorSide() as OrderSide);
  }

  /** Moves event time forward to `timeNs` (never back); every engine applies activations and cancels due by then. */
  private advanceTo(timeNs: number): number {
    if (timeNs > this.eventNs) {
      this.eventNs = timeNs;
      for (let i = 0; i < this.configuredCount && !this.halted; i++) this.symbols[i]!.engine!.advance(timeNs);
    }
    return this.eventNs;
  }

  /** UTC epoch ms of an event time, through this host's clock (exact in the backtest, whose clock is data time). */
  private eventEpochMs(eventNs: number): number {
    return Math.floor(this.clock.epochMs() - (this.clock.nanoTime() - eventNs) / 1e6);
  }

  /** The venue's event time (ns; −Infinity before the first message applied). */
  get eventTimeNs(): number {
    return this.eventNs;
  }

  /** Messages held for event-time order (diagnostics, tests). */
  get heldCount(): number {
    return this.heldQuotes.size + this.heldBooks.size + this.heldTrades.size;
  }

  // ---- positions ----

  /** Applies a fill to its position and checks the invariant (VenuePositions); false (and HALTED) on a violation. */
  private applyToPosition(s: SymbolVenue, fill: Readonly<FillEvent>, epochMs: number): boolean {
    const violation = VenuePositions.apply(s, fill, epochMs, this.dailyPnl);
    if (violation === undefined) return true;
    this.halt(violation);
    return false;
  }

  private replay(r: FillRecord, into: FillEvent): void {
    if (r.venue() !== Venue.SIMULATOR) throw new RangeError(`fill ${r.fillId()} in the journal is for venue ${r.venue()}`);
    const s = this.symbolForRecord(r);
    VenuePositions.fromRecord(r, s.index, into);
    if (!this.applyToPosition(s, into, r.fillEpochMs())) throw new RangeError(`fill ${into.fillId} breaks the positions`);
    this.counters.recoveredFills++;
  }

  private symbolForRecord(r: FillRecord): SymbolVenue {
    const idx = this.table.indexOf(r.wrappedBuffer(), r.symbolOffset());
    if (idx >= 0) return this.symbols[idx]!;
    // A symbol traded before but not configured now: keep its position (published, never traded).
    const name = getSymbol(r.wrappedBuffer(), r.symbolOffset());
    if (name.length === 0) throw new RangeError(`fill ${r.fillId()} in the journal has no symbol`);
    return this.addSymbol(name);
  }

  /** Snapshots of the dirty symbols (all when `all`), each carrying the venue's progress as its time. */
  private publishPositions(progressNs: number, all: boolean): number {
    let sent = 0;
    for (let i = 0; i < this.symbols.length; i++) {
      const s = this.symbols[i]!;
      if (!s.dirty && !all) continue;
      if (!this.positionOut.publish(s, progressNs)) {
        // Conflatable: stays dirty, the next cycle sends the then-current snapshot.
        this.counters.positionsDeferred++;
        continue;
      }
      this.counters.positionsPublished++;
      this.status.messagesOut++;
      if (i === 0) this.publishedProgressNs = progressNs;
      sent++;
    }
    return sent;
  }

  // ---- fills out ----

  private enqueueFill(s: SymbolVenue, f: Readonly<FillEvent>): void {
    const before = this.fillOut.pending;
    if (this.fillOut.enqueue(f, s.bytes)) {
      if (before > 0) this.counters.fillsQueued++;
      this.status.messagesOut += before + 1 - this.fillOut.pending;
      return;
    }
    this.counters.fillsUnpublished++;
    this.status.errors++;
    if (this.status.state !== ServiceState.DEGRADED) this.status.setState(ServiceState.DEGRADED, 'fill stream back-pressured');
    const now = this.clock.nanoTime();
    if (now - this.lastFillErrorLogNs > 1e9) {
      this.lastFillErrorLogNs = now;
      this.log('error', `fill ${f.fillId} journaled but not published: fill queue full (stream 16 back-pressured or unsubscribed)`, {
        fillId: f.fillId, fillsUnpublished: this.counters.fillsUnpublished,
      });
    }
  }

  private drainFills(): number {
    const sent = this.fillOut.drain();
    this.status.messagesOut += sent;
    return sent;
  }

  /** Fill messages journaled but not yet accepted by stream 16. */
  get pendingFills(): number {
    return this.fillOut.pending;
  }

  // ---- helpers ----

  private addSymbol(name: string): SymbolVenue {
    const index = this.table.register(name);
    const v: SymbolVenue = {
      name, bytes: symbolBytes(name), index, position: this.positions.get(index), sumQtyE8: 0, sumFeesE8: 0,
      engine: undefined, lastBookNs: Number.NEGATIVE_INFINITY, lastRecvNs: 0, dirty: true, sequence: 0,
      daily: new DailyPnl(),
    };
    this.symbols.push(v);
    return v;
  }

  private createEngines(): void {
    const st = this.settings;
    const queue = createQueueModel(st.queue);
    const latency = new ConstantLatency(st.entryLatencyNs, st.cancelLatencyNs);
    const fees = new FeeModel(st.makerBps, st.takerBps);
    for (let i = 0; i < this.configuredCount; i++) {
      const v = this.symbols[i]!;
      // One queue model instance serves every engine: the models keep their state in the orders, not in themselves.
      v.engine = new FillEngine({ symbolId: v.index, lotE8: st.symbols[i]!.lotE8, maxOrders: st.maxOrders }, queue, latency, fees, this.fillIds, this);
    }
  }

  /** A configured symbol, or undefined (counted) for unknown symbols and journal-only ones. */
  private tradable(index: number): SymbolVenue | undefined {
    if (index < 0 || index >= this.configuredCount) {
      this.counters.unknownSymbol++;
      return undefined;
    }
    return this.symbols[index];
  }

  private updateState(nowNs: number): void {
    if (this.halted || this.counters.fillsUnpublished > 0) return;
    let fresh = 0;
    for (let i = 0; i < this.configuredCount; i++) {
      if (nowNs - this.symbols[i]!.lastBookNs < this.settings.staleBookNs) fresh++;
    }
    // Reasons are strings: build them only when the count changes, not every duty cycle.
    if (fresh === this.lastFresh || !this.everBooked) return;
    this.lastFresh = fresh;
    const n = this.configuredCount;
    if (fresh === n) this.status.setState(ServiceState.LIVE, `all ${n} symbols have books`);
    else this.status.setState(ServiceState.DEGRADED, `${n - fresh} of ${n} symbols without a recent book`);
  }

  private halt(reason: string): void {
    if (this.halted) return;
    this.halted = true;
    this.status.errors++;
    this.log('error', `simulator HALTED: ${reason}`, { lastFillId: this.fillIds.last });
    this.status.setState(ServiceState.HALTED, reason.slice(0, 64));
  }

  private warn(msg: string): void {
    const now = this.clock.nanoTime();
    if (now - this.lastWarnLogNs > 1e9) {
      this.lastWarnLogNs = now;
      this.log('warn', msg, { badQuotes: this.counters.badQuotes, poolFull: this.counters.poolFull });
    }
  }

  private bad(what: string, buffer: AtomicBuffer, offset: number, length: number): void {
    this.counters.bad++;
    this.malformed.report(what, buffer, offset, length);
  }
}

import { AtomicBuffer } from '@mm/agrona';
import { FragmentAssembler } from '@mm/aeron-client';
import { PricingEngine, type PricingConfig } from '@mm/models';
import {
  BookSnapshotDecoder, DecodeResult, InstrumentDecoder, PricingEncoder, ServiceState, StateDecoder, SymbolTable, TemplateId,
  TradeDecoder, MessageHeader, symbolBytes,
} from '@mm/protocol';
import type { Clock, FragmentHeader, Publisher, ServiceStatus, Subscriber } from '@mm/runtime';
import { MalformedMessages, Stage, stageTrace } from '@mm/runtime';

/**
 * Streams 10 (books), 13 (trades) and 11 (the collector's per-symbol state) → one PricingEngine per symbol → 14.
 *
 * A symbol's book counts as synced from its first snapshot (the collector publishes only LIVE books) until the
 * collector reports that symbol SYNCING or the update ids show a hole (a snapshot whose first id is not the previous
 * last id + 1: a lost or conflated snapshot, or a collector restart); the next snapshot re-syncs it, and the
 * estimators never chain across the hole. The service is LIVE while every symbol is tradable, DEGRADED while some
 * are not, SYNCING before any book. Nothing is allocated per message.
 *
 * Time: the engines run on EVENT time — the largest receive time carried by the books and trades read so far —
 * never on this process's clock, so the rate limit, volatility sampling and book age give the same pricing however
 * fast the process runs (live on Aeron = `mm backtest`). One exception keeps a silent feed from looking fresh:
 * once nothing has arrived for longer than the smallest max-book-age, event time moves on with this host's clock
 * from the last event (so the book goes stale and a not-tradable pricing goes out); the next event resumes the
 * carried times. `publishTimeNs` is this host's clock (operational: the strategy subtracts pricing's processing
 * delay with it).
 *
 * Tick size (the micro-price's grid): a symbol's configured tick (symbols.toml override) is fixed; otherwise it is
 * the configured fallback until the symbol's INSTRUMENT (stream 20, optional) says otherwise, when its engine is
 * rebuilt on that tick (estimators start over: rare, normally before the first book).
 */
export interface PricingCounters {
  books: number;
  trades: number;
  published: number;
  dropped: number;
  bad: number;
  unknownSymbol: number;
  holes: number;
}

interface SymbolPricing {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly config: Partial<PricingConfig>;
  /** The tick is configured (an override): stream 20 does not change it. */
  readonly fixedTick: boolean;
  engine: PricingEngine;
  lastUpdateId: number;
  sequence: number;
}

const LEVELS = 64;

export class PricingAgent {
  readonly roleName = 'pricing';
  readonly counters: PricingCounters = { books: 0, trades: 0, published: 0, dropped: 0, bad: 0, unknownSymbol: 0, holes: 0 };
  private readonly table: SymbolTable;
  private readonly symbols: SymbolPricing[];
  private readonly book = new BookSnapshotDecoder();
  private readonly trade = new TradeDecoder();
  private readonly state = new StateDecoder();
  private readonly instrument = new InstrumentDecoder();
  private readonly encoder = new PricingEncoder();
  private readonly out = AtomicBuffer.allocate(512);
  private readonly bidPrices = new Float64Array(LEVELS);
  private readonly bidQtys = new Float64Array(LEVELS);
  private readonly askPrices = new Float64Array(LEVELS);
  private readonly askQtys = new Float64Array(LEVELS);
  private readonly onBookFragment: (b: AtomicBuffer, o: number, l: number) => void;
  private readonly bookAssembler: FragmentAssembler<FragmentHeader>;
  private readonly onTradeFragment: (b: AtomicBuffer, o: number, l: number) => void;
  private readonly onStateFragment: (b: AtomicBuffer, o: number, l: number) => void;
  private readonly onInstrumentFragment: (b: AtomicBuffer, o: number, l: number) => void;

  private readonly malformed: MalformedMessages;
  /** Event time: the largest receive time of the books and trades read (ns; 0 before the first). */
  private eventNs = 0;
  /** This host's clock when the last book or trade arrived. */
  private lastArrivalNs = 0;
  /** Silence on this host's clock after which event time follows the clock (the smallest max-book-age). */
  private readonly silenceNs: number;
  constructor(
    symbols: readonly { symbol: string; config: Partial<PricingConfig>; fixedTick?: boolean }[],
    private readonly books: Subscriber,
    private readonly trades: Subscriber,
    private readonly states: Subscriber,
    private readonly publisher: Publisher,
    private readonly clock: Clock,
    private readonly status: ServiceStatus,
    private readonly log: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void,
    /** Stream 20 (the collector's INSTRUMENT messages); without it the configured ticks stay. */
    private readonly instruments?: Subscriber,
  ) {
    this.malformed = new MalformedMessages(status, clock, log);
    this.table = new SymbolTable(Math.max(1, symbols.length));
    for (const s of symbols) this.table.register(s.symbol);
    this.symbols = symbols.map((s) => ({
      name: s.symbol, bytes: symbolBytes(s.symbol), config: s.config, fixedTick: s.fixedTick ?? false, engine: new PricingEngine(s.config), lastUpdateId: -1, sequence: 0,
    }));
    this.onBookFragment = (b, o, l) => this.onBook(b, o, l);
    this.bookAssembler = new FragmentAssembler<FragmentHeader>((b, o, l) => this.onBookFragment(b, o, l));
    this.onTradeFragment = (b, o, l) => this.onTrade(b, o, l);
    this.onStateFragment = (b, o, l) => this.onState(b, o, l);
    this.onInstrumentFragment = (b, o, l) => this.onInstrument(b, o, l);
    this.silenceNs = Math.min(...this.symbols.map((s) => s.engine.config.maxBookAgeMs * 1e6));
  }

  /** The tick size a symbol's engine runs on (price units); undefined for a symbol it does not price. */
  tickSizeOf(symbol: string): number | undefined {
    return this.symbols.find((x) => x.name === symbol)?.engine.config.tickSize;
  }

  doWork(): number {
    let work = this.books.poll(this.bookAssembler.handler, 64);
    work += this.trades.poll(this.onTradeFragment, 64);
    work += this.states.poll(this.onStateFragment, 16);
    if (this.instruments !== undefined) work += this.instruments.poll(this.onInstrumentFragment, 16);
    let now = this.eventNs;
    if (now > 0) {
      const silent = this.clock.nanoTime() - this.lastArrivalNs;
      if (silent > this.silenceNs) now += silent;
    }
    for (let i = 0; i < this.symbols.length; i++) {
      const s = this.symbols[i]!;
      if (s.engine.poll(now)) work += this.publish(s, now);
    }
    return work;
  }

  private onBook(buffer: AtomicBuffer, offset: number, length: number): void {
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.BOOK_SNAPSHOT || this.book.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('book', buffer, offset, length);
    }
    this.status.messagesIn++;
    const s = this.lookup(this.book.symbolIndex(this.table));
    if (!s) return;
    stageTrace.mark(Stage.PRICING_BOOK, this.book.recvTimeNs());
    this.counters.books++;
    const first = this.book.firstUpdateId();
    if (s.lastUpdateId >= 0 && first > s.lastUpdateId + 1) {
      // A hole in the ids: never chain estimators across it; this snapshot itself is a correct book. (A depth
      // event after a bookTicker's top overlaps the ids that top already covered: that is no hole.)
      this.counters.holes++;
      s.engine.setBookSynced(false);
    }
    s.lastUpdateId = this.book.lastUpdateId();
    s.engine.setBookSynced(true);
    const bids = Math.min(this.book.bidCount(), LEVELS);
    const asks = Math.min(this.book.askCount(), LEVELS);
    for (let i = 0; i < bids; i++) { this.bidPrices[i] = this.book.bidPrice(i); this.bidQtys[i] = this.book.bidQty(i); }
    for (let i = 0; i < asks; i++) { this.askPrices[i] = this.book.askPrice(i); this.askQtys[i] = this.book.askQty(i); }
    const recv = this.book.recvTimeNs();
    if (recv > this.eventNs) this.eventNs = recv;
    this.lastArrivalNs = this.clock.nanoTime();
    if (s.engine.onBook(recv, this.bidPrices, this.bidQtys, bids, this.askPrices, this.askQtys, asks)) {
      this.publish(s, this.eventNs);
    }
  }

  private onTrade(buffer: AtomicBuffer, offset: number, length: number): void {
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.TRADE || this.trade.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('trade', buffer, offset, length);
    }
    this.status.messagesIn++;
    const s = this.lookup(this.trade.symbolIndex(this.table));
    if (!s) return;
    this.counters.trades++;
    const recv = this.trade.recvTimeNs();
    if (recv > this.eventNs) this.eventNs = recv;
    this.lastArrivalNs = this.clock.nanoTime();
    s.engine.onTrade(recv, this.trade.qty(), this.trade.aggressorSide());
  }

  private onState(buffer: AtomicBuffer, offset: number, length: number): void {
    // Every service publishes on 11; only the collector's per-symbol SYNCING matters here.
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.STATE || this.state.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('state', buffer, offset, length);
    }
    if (this.state.state() !== ServiceState.SYNCING || this.state.service() !== 'mm_collector') return;
    // State messages are rare: a string lookup is fine here.
    const name = this.state.symbol();
    const s = this.symbols.find((x) => x.name === name);
    if (s) {
      s.engine.setBookSynced(false);
      s.lastUpdateId = -1;
    }
  }

  private onInstrument(buffer: AtomicBuffer, offset: number, length: number): void {
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.INSTRUMENT || this.instrument.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      return this.bad('instrument', buffer, offset, length);
    }
    // Rare (a few per republish period): a string lookup and, on a new tick, a new engine are fine here.
    const name = this.instrument.symbol();
    const s = this.symbols.find((x) => x.name === name);
    const tickE8 = this.instrument.tickSize();
    if (s === undefined || s.fixedTick || !(tickE8 > 0) || Math.round(s.engine.config.tickSize * 1e8) === tickE8) return;
    const tickSize = tickE8 / 1e8;
    this.log('info', `${s.name}: tick size ${tickSize} from the instrument (stream 20; was ${s.engine.config.tickSize})`, { symbol: s.name });
    s.engine = new PricingEngine({ ...s.config, tickSize });
    s.lastUpdateId = -1;
  }

  private publish(s: SymbolPricing, nowNs: number): number {
    const r = s.engine.publish(nowNs);
    r.publishTimeNs = this.clock.nanoTime();
    // The engine's result has the pricing message's fields and units, so it is written in one call.
    const enc = this.encoder.wrap(this.out, 0).sequence(s.sequence).symbolBytes(s.bytes).values(r);
    const result = this.publisher.offer(this.out, 0, enc.encodedLength());
    stageTrace.mark(Stage.PRICING_OFFERED, r.recvTimeNs);
    if (result < 0) {
      // Pricing is conflatable: the next publication supersedes this one.
      this.counters.dropped++;
      return 0;
    }
    s.sequence++;
    this.counters.published++;
    this.status.messagesOut++;
    this.updateState();
    return 1;
  }

  /** Tradable count and whether books were seen, as of the last state set (-1: none yet). */
  private stateKey = -1;

  private updateState(): void {
    let tradable = 0;
    for (let i = 0; i < this.symbols.length; i++) if (this.symbols[i]!.engine.result.isTradable()) tradable++;
    const n = this.symbols.length;
    // Called per publication: the reason text is built only when what it says changes.
    const key = tradable * 2 + (this.counters.books === 0 ? 0 : 1);
    if (key === this.stateKey) return;
    this.stateKey = key;
    if (tradable === n) this.status.setState(ServiceState.LIVE, `all ${n} symbols tradable`);
    else if (this.counters.books === 0) this.status.setState(ServiceState.SYNCING, 'waiting for books');
    else this.status.setState(ServiceState.DEGRADED, `${n - tradable} of ${n} symbols not tradable`);
  }

  private lookup(index: number): SymbolPricing | undefined {
    if (index < 0) {
      this.counters.unknownSymbol++;
      return undefined;
    }
    return this.symbols[index];
  }

  private bad(what: string, buffer: AtomicBuffer, offset: number, length: number): void {
    this.counters.bad++;
    this.malformed.report(what, buffer, offset, length);
  }
}

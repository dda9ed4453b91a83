import { AtomicBuffer } from '@mm/agrona';
import type { BinanceMarketDataSink, BookTicker, DepthUpdate, OrderBook, Trade } from '@mm/binance';
import { SyncState } from '@mm/binance';
import { BookSnapshotEncoder, BookTopSource, ServiceState, Side, TradeEncoder, symbolBytes } from '@mm/protocol';
import { Stage, stageTrace, type Publisher, type ServiceStatus } from '@mm/runtime';

/**
 * Turns the Binance adapter's output into streams 10 and 13.
 *
 * - A book snapshot (top N levels) is published after every applied depth event, only while the symbol is LIVE
 *   (the adapter guarantees that). Snapshots are conflatable: one that meets back pressure is dropped and counted,
 *   the next supersedes it.
 * - With `bookTicker` on, a `@bookTicker` newer than the book is published at once as the book's levels under the
 *   ticker's best bid and ask (topSource BOOK_TICKER): Binance sends tickers in real time but depth diffs every
 *   100 ms, so the top moves up to 100 ms sooner. Published update ids never go back: a depth event older than a
 *   ticker already out is applied to the book but not published (its top is stale; the next event publishes the
 *   levels it changed), and a ticker snapshot's firstUpdateId follows on from the last one published.
 * - Trades are not conflatable: one that meets back pressure waits in a bounded queue retried from the duty cycle,
 *   in order; if the queue overflows the service goes DEGRADED and the loss is counted and logged.
 * - Per-symbol SYNCING/LIVE goes to stream 11; the service is LIVE when every symbol is, SYNCING when none is, and
 *   DEGRADED in between. A symbol Binance does not report TRADING (exchangeInfo status, `onTradingStatus`) is
 *   reported HALTED on 11 and keeps the service DEGRADED while it lasts.
 * Nothing is allocated per message: encoders, scratch buffers and level arrays are created once.
 */
export interface CollectorCounters {
  books: number;
  booksDropped: number;
  trades: number;
  tradesQueued: number;
  tradesLost: number;
  badFrames: number;
  /** Snapshots published with a bookTicker's top (included in `books`). */
  tickerBooks: number;
  /** Depth events applied but not published because a newer ticker's top was already out. */
  booksBehindTicker: number;
  /** Tickers ignored: not newer than the last snapshot out, or a crossed or empty top. */
  tickersIgnored: number;
}

/** Per symbol: its bytes on the wire and the last update id published on 10 (-1: none since it went LIVE). */
class SymbolSlot {
  lastPublishedId = -1;
  constructor(readonly bytes: Uint8Array) {}
}

const TRADE_QUEUE = 4096;
const TRADE_MESSAGE_MAX = 128;

export class CollectorPublisher implements BinanceMarketDataSink {
  readonly counters: CollectorCounters = {
    books: 0, booksDropped: 0, trades: 0, tradesQueued: 0, tradesLost: 0, badFrames: 0, tickerBooks: 0, booksBehindTicker: 0,
    tickersIgnored: 0,
  };
  private readonly bookEncoder = new BookSnapshotEncoder();
  private readonly tradeEncoder = new TradeEncoder();
  private readonly bookBuffer: AtomicBuffer;
  private readonly bidPrices: Float64Array;
  private readonly bidQtys: Float64Array;
  private readonly askPrices: Float64Array;
  private readonly askQtys: Float64Array;
  private readonly slots = new Map<string, SymbolSlot>();
  private readonly symbolState = new Map<string, ServiceState>();
  /** Ring of encoded trades waiting for the publication to accept them. */
  private readonly tradeQueue = AtomicBuffer.allocate(TRADE_QUEUE * TRADE_MESSAGE_MAX);
  private readonly tradeQueueLength = new Int32Array(TRADE_QUEUE);
  private queueHead = 0;
  private queueTail = 0;
  /** Symbols whose Binance status is not TRADING, with the reason. */
  private readonly notTrading = new Map<string, string>();
  private bookSequence = 0;
  private tradeSequence = 0;

  constructor(
    symbols: readonly string[],
    private readonly levels: number,
    private readonly bookPublisher: Publisher,
    private readonly tradePublisher: Publisher,
    private readonly status: ServiceStatus,
    private readonly log: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void,
    /** Publish a `@bookTicker` top newer than the book (see above); off, tickers are ignored. */
    private readonly bookTicker = false,
  ) {
    this.bookBuffer = AtomicBuffer.allocate(BookSnapshotEncoder.lengthFor(levels, levels));
    this.bidPrices = new Float64Array(levels);
    this.bidQtys = new Float64Array(levels);
    this.askPrices = new Float64Array(levels);
    this.askQtys = new Float64Array(levels);
    for (const s of symbols) {
      const sym = s.toUpperCase();
      this.slots.set(sym, new SymbolSlot(symbolBytes(sym)));
      this.symbolState.set(sym, ServiceState.SYNCING);
    }
  }

  /** It publishes the best `levels`: the adapter applies the rest of a diff after the book is out. */
  get bookDepth(): number {
    return this.levels;
  }

  onBook(book: OrderBook, event: DepthUpdate): void {
    const slot = this.slots.get(event.symbol);
    if (slot === undefined) return;
    stageTrace.mark(Stage.BOOK_APPLIED, event.recvNs);
    if (event.finalUpdateId < slot.lastPublishedId) {
      this.counters.booksBehindTicker++;
      return;
    }
    const bids = book.bids.copyTop(this.levels, this.bidPrices, this.bidQtys);
    const asks = book.asks.copyTop(this.levels, this.askPrices, this.askQtys);
    const enc = this.bookEncoder.wrap(this.bookBuffer, 0);
    enc.eventTimeNs(event.eventTimeMs, 0).firstUpdateId(event.firstUpdateId).topSource(BookTopSource.DEPTH);
    this.publishBook(slot, event.recvNs, event.finalUpdateId, bids, asks);
  }

  onTopAhead(book: OrderBook, ticker: BookTicker, recvNs: number): void {
    if (!this.bookTicker) return;
    const slot = this.slots.get(ticker.symbol);
    if (slot === undefined) return;
    stageTrace.mark(Stage.BOOK_APPLIED, recvNs);
    const bid = ticker.bidPrice, ask = ticker.askPrice;
    if (ticker.updateId <= slot.lastPublishedId || !(bid < ask && ticker.bidQty > 0 && ticker.askQty > 0)) {
      this.counters.tickersIgnored++;
      return;
    }
    this.bidPrices[0] = bid;
    this.bidQtys[0] = ticker.bidQty;
    this.askPrices[0] = ask;
    this.askQtys[0] = ticker.askQty;
    const bids = 1 + book.bids.copyTopBehind(bid, this.levels - 1, this.bidPrices, this.bidQtys, 1);
    const asks = 1 + book.asks.copyTopBehind(ask, this.levels - 1, this.askPrices, this.askQtys, 1);
    const enc = this.bookEncoder.wrap(this.bookBuffer, 0);
    // A bookTicker has no event time; the first id follows on from the snapshot before (the book's, after a resync).
    const first = (slot.lastPublishedId >= 0 ? slot.lastPublishedId : book.updateId) + 1;
    enc.eventTimeNs(0, 0).firstUpdateId(first).topSource(BookTopSource.BOOK_TICKER);
    if (this.publishBook(slot, recvNs, ticker.updateId, bids, asks)) this.counters.tickerBooks++;
  }

  /** Finishes the snapshot `onBook` or `onTopAhead` began in the encoder, and offers it. */
  private publishBook(slot: SymbolSlot, recvNs: number, lastUpdateId: number, bids: number, asks: number): boolean {
    const enc = this.bookEncoder;
    enc
      .sequence(this.bookSequence)
      .recvTimeNs(recvNs)
      .lastUpdateId(lastUpdateId)
      .symbolBytes(slot.bytes)
      .levels(this.bidPrices, this.bidQtys, bids, this.askPrices, this.askQtys, asks);
    this.status.messagesIn++;
    const result = this.bookPublisher.offer(this.bookBuffer, 0, enc.encodedLength());
    stageTrace.mark(Stage.BOOK_OFFERED, recvNs);
    // Dropped or not, later snapshots must not go back behind this id: a consumer may have seen an earlier one.
    slot.lastPublishedId = lastUpdateId;
    if (result > 0) {
      this.bookSequence++;
      this.counters.books++;
      this.status.messagesOut++;
      return true;
    }
    this.counters.booksDropped++;
    return false;
  }

  onTrade(trade: Trade, recvNs: number): void {
    const sym = this.slots.get(trade.symbol)?.bytes;
    if (!sym) return;
    this.status.messagesIn++;
    // Queue behind earlier trades still waiting, so order is kept.
    const slot = this.queueTail % TRADE_QUEUE;
    if (this.queueTail - this.queueHead >= TRADE_QUEUE) {
      this.counters.tradesLost++;
      this.status.errors++;
      if (this.status.state !== ServiceState.DEGRADED) {
        this.status.setState(ServiceState.DEGRADED, 'trade stream back-pressured: trades lost');
      }
      this.log('error', 'trade queue full: trade lost', { symbol: trade.symbol, tradeId: trade.tradeId });
      return;
    }
    const enc = this.tradeEncoder.wrap(this.tradeQueue, slot * TRADE_MESSAGE_MAX);
    enc
      .sequence(this.tradeSequence++)
      .recvTimeNs(recvNs)
      .tradeTimeNs(trade.tradeTimeMs, 0)
      .tradeId(trade.tradeId)
      .price(trade.price)
      .qty(trade.qty)
      .symbolBytes(sym)
      .aggressorSide(trade.buyerIsMaker ? Side.SELL : Side.BUY);
    this.tradeQueueLength[slot] = enc.encodedLength();
    this.queueTail++;
    if (this.queueTail - this.queueHead > 1) this.counters.tradesQueued++;
    this.drainTrades();
  }

  /** Duty-cycle work: publish trades that met back pressure. */
  doWork(): number {
    return this.queueTail > this.queueHead ? this.drainTrades() : 0;
  }

  private drainTrades(): number {
    let sent = 0;
    while (this.queueHead < this.queueTail) {
      const slot = this.queueHead % TRADE_QUEUE;
      const result = this.tradePublisher.offer(this.tradeQueue, slot * TRADE_MESSAGE_MAX, this.tradeQueueLength[slot]!);
      if (result < 0) break;
      this.queueHead++;
      this.counters.trades++;
      this.status.messagesOut++;
      sent++;
    }
    return sent;
  }

  onSymbolState(symbol: string, state: SyncState, reason: string): void {
    const next = state === SyncState.LIVE ? ServiceState.LIVE : ServiceState.SYNCING;
    const previous = this.symbolState.get(symbol);
    if (previous === undefined) return;
    this.symbolState.set(symbol, next);
    // A new sync starts a new chain of update ids.
    const slot = this.slots.get(symbol);
    if (slot !== undefined) slot.lastPublishedId = -1;
    this.status.setSymbolState(symbol, next, previous, reason);
    this.log(next === ServiceState.LIVE ? 'info' : 'warn', `${symbol} ${next === ServiceState.LIVE ? 'live' : 'syncing'}: ${reason}`, { symbol });
    this.updateServiceState();
  }

  /** Binance's trading status of a symbol changed (exchangeInfo); anything but TRADING is reported. */
  onTradingStatus(symbol: string, trading: boolean, reason: string): void {
    const sync = this.symbolState.get(symbol);
    if (sync === undefined || trading === !this.notTrading.has(symbol)) return;
    if (trading) this.notTrading.delete(symbol);
    else this.notTrading.set(symbol, reason);
    this.status.setSymbolState(symbol, trading ? sync : ServiceState.HALTED, trading ? ServiceState.HALTED : sync, reason);
    this.log(trading ? 'info' : 'warn', `${symbol}: ${reason}`, { symbol });
    this.updateServiceState();
  }

  onBadFrame(reason: string): void {
    this.counters.badFrames++;
    this.status.errors++;
    // Bad frames are expected now and then; the counter tells the rate, the log gets a sample.
    if (this.counters.badFrames <= 10 || this.counters.badFrames % 1000 === 0) {
      this.log('warn', `bad frame ignored: ${reason}`, { badFrames: this.counters.badFrames });
    }
  }

  onSourceEvent(event: string, detail: string): void {
    this.log('info', `binance: ${event}${detail ? `: ${detail}` : ''}`, { event });
  }

  private updateServiceState(): void {
    if (this.counters.tradesLost > 0 && this.status.state === ServiceState.DEGRADED) return;
    let live = 0;
    for (const s of this.symbolState.values()) if (s === ServiceState.LIVE) live++;
    const total = this.symbolState.size;
    if (this.notTrading.size > 0) {
      this.status.setState(ServiceState.DEGRADED, `not trading on Binance: ${[...this.notTrading.entries()].map(([sym, why]) => `${sym} (${why})`).join(', ')}`);
    } else if (live === total) this.status.setState(ServiceState.LIVE, `all ${total} symbols live`);
    else if (live === 0) this.status.setState(ServiceState.SYNCING, 'no symbol synced');
    else this.status.setState(ServiceState.DEGRADED, `${total - live} of ${total} symbols syncing`);
  }
}

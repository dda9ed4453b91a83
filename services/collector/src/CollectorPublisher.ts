import { AtomicBuffer } from '@mm/agrona';
import type { BinanceMarketDataSink, DepthUpdate, OrderBook, Trade } from '@mm/binance';
import { SyncState } from '@mm/binance';
import { BookSnapshotEncoder, ServiceState, Side, TradeEncoder, symbolBytes } from '@mm/protocol';
import { Stage, stageTrace, type Publisher, type ServiceStatus } from '@mm/runtime';

/**
 * Turns the Binance adapter's output into streams 10 and 13.
 *
 * - A book snapshot (top N levels) is published after every applied depth event, only while the symbol is LIVE
 *   (the adapter guarantees that). Snapshots are conflatable: one that meets back pressure is dropped and counted,
 *   the next supersedes it.
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
}

const TRADE_QUEUE = 4096;
const TRADE_MESSAGE_MAX = 128;

export class CollectorPublisher implements BinanceMarketDataSink {
  readonly counters: CollectorCounters = { books: 0, booksDropped: 0, trades: 0, tradesQueued: 0, tradesLost: 0, badFrames: 0 };
  private readonly bookEncoder = new BookSnapshotEncoder();
  private readonly tradeEncoder = new TradeEncoder();
  private readonly bookBuffer: AtomicBuffer;
  private readonly bidPrices: Float64Array;
  private readonly bidQtys: Float64Array;
  private readonly askPrices: Float64Array;
  private readonly askQtys: Float64Array;
  private readonly symbolBytesOf = new Map<string, Uint8Array>();
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
  ) {
    this.bookBuffer = AtomicBuffer.allocate(BookSnapshotEncoder.lengthFor(levels, levels));
    this.bidPrices = new Float64Array(levels);
    this.bidQtys = new Float64Array(levels);
    this.askPrices = new Float64Array(levels);
    this.askQtys = new Float64Array(levels);
    for (const s of symbols) {
      const sym = s.toUpperCase();
      this.symbolBytesOf.set(sym, symbolBytes(sym));
      this.symbolState.set(sym, ServiceState.SYNCING);
    }
  }

  /** It publishes the best `levels`: the adapter applies the rest of a diff after the book is out. */
  get bookDepth(): number {
    return this.levels;
  }

  onBook(book: OrderBook, event: DepthUpdate): void {
    const sym = this.symbolBytesOf.get(event.symbol);
    if (!sym) return;
    stageTrace.mark(Stage.BOOK_APPLIED, event.recvNs);
    const bids = book.bids.copyTop(this.levels, this.bidPrices, this.bidQtys);
    const asks = book.asks.copyTop(this.levels, this.askPrices, this.askQtys);
    const enc = this.bookEncoder.wrap(this.bookBuffer, 0);
    enc
      .sequence(this.bookSequence)
      .recvTimeNs(event.recvNs)
      .eventTimeNs(event.eventTimeMs, 0)
      .firstUpdateId(event.firstUpdateId)
      .lastUpdateId(event.finalUpdateId)
      .symbolBytes(sym)
      .levels(this.bidPrices, this.bidQtys, bids, this.askPrices, this.askQtys, asks);
    this.status.messagesIn++;
    const result = this.bookPublisher.offer(this.bookBuffer, 0, enc.encodedLength());
    stageTrace.mark(Stage.BOOK_OFFERED, event.recvNs);
    if (result > 0) {
      this.bookSequence++;
      this.counters.books++;
      this.status.messagesOut++;
    } else {
      this.counters.booksDropped++;
    }
  }

  onTrade(trade: Trade, recvNs: number): void {
    const sym = this.symbolBytesOf.get(trade.symbol);
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

import { FrameKind, FrameParser } from './FrameParser.js';
import { DepthSync, SyncState, type DepthSyncListener } from './DepthSync.js';
import type { BookTicker, DepthUpdate, Trade } from './MarketEvents.js';
import type { OrderBook } from './OrderBook.js';
import { Stage, stageTrace } from '@mm/runtime';

/**
 * The shared inbound path of every Binance source (live, replay, fake): raw frame text + local receive time →
 * parse → per-symbol `DepthSync` / trade de-duplication → sink. Live and replay differ only in where frames and
 * snapshots come from, so both are checked by the same code.
 *
 * Invariants: a symbol's book reaches the sink only while that symbol is LIVE, once per applied depth event, in
 * update-id order with no duplicates; other symbols are unaffected by one symbol's gap. Trades are delivered once
 * per trade id, in increasing id order (a trade id ≤ the last delivered one is a duplicate from an overlapping or
 * re-established connection). Malformed and unknown frames are counted and reported, never thrown.
 */

export interface BinanceMarketDataSink {
  /**
   * The book after an applied depth event (`event.finalUpdateId === book.updateId`). Valid during the call only; with
   * `bookDepth` set, only its best `bookDepth` levels per side are (the rest of the event is applied after the call).
   * It must not feed the adapter.
   */
  onBook(book: OrderBook, event: DepthUpdate): void;
  /**
   * How many best levels per side `onBook` reads. Set, the adapter applies a large event top first, so `onBook` runs
   * before the levels that cannot change those (measured: about half of a real diff that moves the top).
   */
  readonly bookDepth?: number;
  onTrade(trade: Trade, recvNs: number): void;
  /** Binance's own best bid/ask (only when the `@bookTicker` stream is subscribed, e.g. in recordings). */
  onBookTicker?(ticker: BookTicker, recvNs: number): void;
  /**
   * A bookTicker newer than the symbol's book (`ticker.updateId > book.updateId`, the symbol LIVE): Binance sends
   * tickers in real time and depth diffs every 100 ms, so this is the top the next diff will bring. Valid during the
   * call only; the book is not changed by it.
   */
  onTopAhead?(book: OrderBook, ticker: BookTicker, recvNs: number): void;
  /** SYNCING ↔ LIVE transitions per symbol, with a human-readable reason. */
  onSymbolState?(symbol: string, state: SyncState, reason: string): void;
  /** A frame that could not be parsed (counted and otherwise ignored). */
  onBadFrame?(reason: string, recvNs: number): void;
  /** Connection-level happenings of a live source (connected, closed, reconnecting, rollover, rate limited, …). */
  onSourceEvent?(event: string, detail: string): void;
}

export interface AdapterCounters {
  frames: number;
  depth: number;
  trades: number;
  duplicateTrades: number;
  bookTickers: number;
  /** Tickers newer than their symbol's book (see `onTopAhead`). */
  tickersAhead: number;
  snapshots: number;
  unknown: number;
  malformed: number;
  serverShutdowns: number;
  unknownSymbol: number;
}

export interface AdapterHooks {
  /** A symbol needs a REST snapshot; the live source fetches one, a replay waits for it in the recording. */
  onSnapshotNeeded(symbol: string): void;
  onServerShutdown?(recvNs: number): void;
}

class SymbolFeed {
  lastTradeId = -1;
  constructor(readonly sync: DepthSync) {}
}

export class MarketDataAdapter {
  readonly parser = new FrameParser();
  readonly counters: AdapterCounters = {
    frames: 0, depth: 0, trades: 0, duplicateTrades: 0, bookTickers: 0, tickersAhead: 0, snapshots: 0,
    unknown: 0, malformed: 0, serverShutdowns: 0, unknownSymbol: 0,
  };
  /** Most recent malformed-frame reason (for logs). */
  lastError = '';
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly listener: DepthSyncListener;

  /** `symbols` in any case; Binance uses upper case in payloads. */
  constructor(symbols: readonly string[], private sink: BinanceMarketDataSink, private readonly hooks: AdapterHooks,
    maxBuffered = 10_000) {
    const self = this;
    this.listener = {
      onSnapshotNeeded(sync) { self.hooks.onSnapshotNeeded(sync.symbol); },
      onApplied(sync, event) { self.sink.onBook(sync.book, event); },
      onLive(sync) { self.sink.onSymbolState?.(sync.symbol, SyncState.LIVE, `snapshot ${sync.book.updateId} loaded`); },
      onGap(sync, expected, received) {
        self.sink.onSymbolState?.(sync.symbol, SyncState.SYNCING, `gap: expected U ≤ ${expected}, got U = ${received}`);
      },
    };
    for (const s of symbols) {
      const sym = s.toUpperCase();
      const sync = new DepthSync(sym, this.listener, maxBuffered);
      sync.topDepth = topDepthOf(sink);
      this.feeds.set(sym, new SymbolFeed(sync));
    }
  }

  setSink(sink: BinanceMarketDataSink): void {
    this.sink = sink;
    for (const f of this.feeds.values()) f.sync.topDepth = topDepthOf(sink);
  }

  symbols(): string[] {
    return [...this.feeds.keys()];
  }

  syncOf(symbol: string): DepthSync | undefined {
    return this.feeds.get(symbol.toUpperCase())?.sync;
  }

  /** Feeds one text frame (combined or raw stream, or an unwrapped REST depth body with `snapshotSymbol`). */
  onFrame(text: string, recvNs: number, snapshotSymbol = ''): FrameKind {
    return this.dispatch(this.parser.parse(text), recvNs, snapshotSymbol);
  }

  /** Feeds one frame as the UTF-8 bytes received (the live path: no string is made); see `onFrame`. */
  onFrameBytes(bytes: Uint8Array, recvNs: number, snapshotSymbol = ''): FrameKind {
    return this.dispatch(this.parser.parseBytes(bytes), recvNs, snapshotSymbol);
  }

  private dispatch(kind: FrameKind, recvNs: number, snapshotSymbol: string): FrameKind {
    this.counters.frames++;
    const p = this.parser;
    stageTrace.mark(Stage.FRAME_PARSED, recvNs);
    switch (kind) {
      case FrameKind.DEPTH: {
        const feed = this.feeds.get(p.depth.symbol);
        if (feed === undefined) { this.counters.unknownSymbol++; break; }
        this.counters.depth++;
        p.depth.recvNs = recvNs;
        feed.sync.onDepth(p.depth);
        break;
      }
      case FrameKind.TRADE: {
        const feed = this.feeds.get(p.trade.symbol);
        if (feed === undefined) { this.counters.unknownSymbol++; break; }
        if (p.trade.tradeId <= feed.lastTradeId) { this.counters.duplicateTrades++; break; }
        feed.lastTradeId = p.trade.tradeId;
        this.counters.trades++;
        this.sink.onTrade(p.trade, recvNs);
        break;
      }
      case FrameKind.BOOK_TICKER: {
        this.counters.bookTickers++;
        this.sink.onBookTicker?.(p.bookTicker, recvNs);
        const feed = this.feeds.get(p.bookTicker.symbol);
        if (feed === undefined) { this.counters.unknownSymbol++; break; }
        const sync = feed.sync;
        if (sync.state === SyncState.LIVE && p.bookTicker.updateId > sync.book.updateId) {
          this.counters.tickersAhead++;
          this.sink.onTopAhead?.(sync.book, p.bookTicker, recvNs);
        }
        break;
      }
      case FrameKind.SNAPSHOT: {
        const feed = this.feeds.get(snapshotSymbol.toUpperCase());
        if (feed === undefined) { this.counters.unknownSymbol++; break; }
        this.counters.snapshots++;
        p.snapshot.symbol = feed.sync.symbol;
        feed.sync.onSnapshot(p.snapshot);
        break;
      }
      case FrameKind.SERVER_SHUTDOWN:
        this.counters.serverShutdowns++;
        this.hooks.onServerShutdown?.(recvNs);
        break;
      case FrameKind.UNKNOWN:
        this.counters.unknown++;
        break;
      default:
        this.counters.malformed++;
        this.lastError = p.error;
        this.sink.onBadFrame?.(p.error, recvNs);
    }
    return kind;
  }

  /** Feeds a REST depth body for `symbol`; returns false (counted as malformed) when it is not one. */
  onSnapshotText(symbol: string, text: string, recvNs: number): boolean {
    return this.onFrame(text, recvNs, symbol) === FrameKind.SNAPSHOT;
  }

  /** Every symbol LIVE? */
  allLive(): boolean {
    for (const f of this.feeds.values()) if (f.sync.state !== SyncState.LIVE) return false;
    return true;
  }
}

function topDepthOf(sink: BinanceMarketDataSink): number {
  const d = sink.bookDepth;
  if (d === undefined) return Infinity;
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`bookDepth must be an integer ≥ 1, got ${d}`);
  return d;
}

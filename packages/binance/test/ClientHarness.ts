import { expect } from 'vitest';
import { SystemClock } from '@mm/runtime';
// Test-only relative import: @mm/fake-binance depends on @mm/binance, so a package dependency back would be a cycle.
import { FakeBinanceServer, type FakeBinanceOptions } from '../../fake-binance/src/index.js';
import { BinanceMarketDataClient, type BinanceClientOptions } from '../src/BinanceMarketDataClient.js';
import type { BinanceMarketDataSink } from '../src/MarketDataAdapter.js';
import { SyncState } from '../src/DepthSync.js';

export interface PublishedBook {
  symbol: string;
  U: number;
  u: number;
  bids: [number, number][];
  asks: [number, number][];
  /** Buffered events still to apply when the snapshot went LIVE (recorded on the LIVE transition). */
}

/** Waits for a condition with a deadline (polling, never a fixed sleep standing in for synchronisation). */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export class ClientHarness {
  readonly books: PublishedBook[] = [];
  readonly trades: { symbol: string; id: number }[] = [];
  readonly states: { symbol: string; state: SyncState; reason: string; booksSoFar: number }[] = [];
  readonly events: string[] = [];
  readonly badFrames: string[] = [];
  readonly bufferedAtLive: number[] = [];
  server!: FakeBinanceServer;
  client!: BinanceMarketDataClient;

  async start(serverOptions: FakeBinanceOptions = {}, clientOptions: Partial<BinanceClientOptions> = {},
    beforeClient?: (s: FakeBinanceServer) => void): Promise<this> {
    this.server = new FakeBinanceServer({ depthIntervalMs: 10, opsPerEvent: 12, seed: 7, ...serverOptions });
    await this.server.start();
    beforeClient?.(this.server);
    this.client = new BinanceMarketDataClient({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      clock: new SystemClock(),
      wsBaseUrl: this.server.wsBaseUrl,
      restBaseUrl: this.server.restBaseUrl,
      reconnectInitialMs: 20,
      reconnectMaxMs: 200,
      minSnapshotIntervalMs: 20,
      staleDataTimeoutMs: 2000,
      snapshotTimeoutMs: 3000,
      random: () => 0.5,
      ...clientOptions,
    });
    const self = this;
    const sink: BinanceMarketDataSink = {
      onBook(book, ev) {
        const bids: [number, number][] = [];
        const asks: [number, number][] = [];
        for (let k = 0; k < book.bids.count; k++) bids.push([book.bids.priceAt(k), book.bids.qtyAt(k)]);
        for (let k = 0; k < book.asks.count; k++) asks.push([book.asks.priceAt(k), book.asks.qtyAt(k)]);
        self.books.push({ symbol: book.symbol, U: ev.firstUpdateId, u: book.updateId, bids, asks });
      },
      onTrade(t) { self.trades.push({ symbol: t.symbol, id: t.tradeId }); },
      onSymbolState(symbol, state, reason) {
        self.states.push({ symbol, state, reason, booksSoFar: self.books.length });
        if (state === SyncState.LIVE) self.bufferedAtLive.push(self.client.adapterOrNull!.syncOf(symbol)!.bufferedCount);
      },
      onBadFrame(reason) { self.badFrames.push(reason); },
      onSourceEvent(kind, detail) { self.events.push(`${kind}: ${detail}`); },
    };
    await this.client.start(sink);
    return this;
  }

  async stop(): Promise<void> {
    await this.client?.stop();
    await this.server?.stop();
  }

  booksOf(symbol: string): PublishedBook[] {
    return this.books.filter((b) => b.symbol === symbol);
  }

  async waitForBooks(symbol: string, n: number, timeoutMs = 10_000): Promise<void> {
    const start = this.booksOf(symbol).length;
    await waitFor(`${n} more ${symbol} books`, () => this.booksOf(symbol).length >= start + n, timeoutMs);
  }

  sync(symbol: string) {
    return this.client.adapterOrNull!.syncOf(symbol)!;
  }

  /** Every published book equals the exchange's true book at the same update id; ids strictly increase. */
  assertBooksTrue(): void {
    expect(this.books.length).toBeGreaterThan(0);
    const lastU = new Map<string, number>();
    for (const b of this.books) {
      const truth = this.server.trueBookAt(b.symbol, b.u);
      expect(truth, `${b.symbol} has no event ending at ${b.u}`).toBeDefined();
      expect(b.bids, `${b.symbol} bids @${b.u}`).toEqual(truth!.bids);
      expect(b.asks, `${b.symbol} asks @${b.u}`).toEqual(truth!.asks);
      const prev = lastU.get(b.symbol);
      if (prev !== undefined) expect(b.u, `${b.symbol} ids must increase`).toBeGreaterThan(prev);
      lastU.set(b.symbol, b.u);
    }
  }

  /** Between resyncs, each book follows the previous one: U = previous u + 1 (no event skipped, none twice). */
  assertContiguous(symbol: string): void {
    const bs = this.booksOf(symbol);
    for (let i = 1; i < bs.length; i++) expect(bs[i]!.U, `${symbol} book ${i}`).toBeLessThanOrEqual(bs[i - 1]!.u + 1);
    for (let i = 1; i < bs.length; i++) expect(bs[i]!.U).toBe(bs[i - 1]!.u + 1);
  }

  assertTradesUniqueAndOrdered(): void {
    const last = new Map<string, number>();
    for (const t of this.trades) {
      const prev = last.get(t.symbol);
      if (prev !== undefined) expect(t.id, `${t.symbol} trade ids`).toBeGreaterThan(prev);
      last.set(t.symbol, t.id);
    }
  }
}

import { afterEach, describe, expect, it } from 'vitest';
import { ClientHarness, waitFor } from './ClientHarness.js';
import { SyncState } from '../src/DepthSync.js';

describe('BinanceMarketDataClient against the fake Binance over loopback sockets', () => {
  let h: ClientHarness;
  afterEach(async () => { await h?.stop(); });

  it('clean sync: every published book equals the true book; trades contiguous', async () => {
    h = await new ClientHarness().start();
    await h.waitForBooks('BTCUSDT', 40);
    await h.waitForBooks('ETHUSDT', 40);
    h.assertBooksTrue();
    h.assertContiguous('BTCUSDT');
    h.assertContiguous('ETHUSDT');
    h.assertTradesUniqueAndOrdered();
    expect(h.trades.length).toBeGreaterThan(0);
    const btcTrades = h.trades.filter((t) => t.symbol === 'BTCUSDT').map((t) => t.id);
    for (let i = 1; i < btcTrades.length; i++) expect(btcTrades[i]).toBe(btcTrades[i - 1]! + 1);
    expect(h.sync('BTCUSDT').gaps + h.sync('ETHUSDT').gaps).toBe(0);
    expect(h.server.requestLog.filter((r) => r.path.startsWith('/api/v3/depth')).every((r) => r.path.includes('limit=5000'))).toBe(true);
  });

  it('snapshot older than the first buffered event is fetched again', async () => {
    h = await new ClientHarness().start({}, {}, (s) => s.serveStaleSnapshots(3));
    await h.waitForBooks('BTCUSDT', 20);
    await h.waitForBooks('ETHUSDT', 20);
    expect(h.sync('BTCUSDT').snapshotsTooOld + h.sync('ETHUSDT').snapshotsTooOld).toBe(3);
    expect(h.server.stats.depthRequests).toBe(5);
    h.assertBooksTrue();
  });

  it('gap mid-stream: that symbol resyncs (nothing published meanwhile), the other keeps flowing', async () => {
    h = await new ClientHarness().start();
    await h.waitForBooks('BTCUSDT', 20);
    h.server.setSnapshotDelayMs(100); // keeps BTC syncing long enough for ETH events to flow meanwhile
    h.server.injectGap('BTCUSDT', 2);
    await waitFor('BTC gap', () => h.sync('BTCUSDT').gaps === 1);
    await waitFor('BTC live again', () => h.sync('BTCUSDT').state === SyncState.LIVE);
    await h.waitForBooks('BTCUSDT', 20);
    h.assertBooksTrue();
    expect(h.sync('ETHUSDT').gaps).toBe(0);
    const down = h.states.find((s) => s.symbol === 'BTCUSDT' && s.state === SyncState.SYNCING)!;
    const up = h.states.find((s) => s.symbol === 'BTCUSDT' && s.state === SyncState.LIVE && s.booksSoFar >= down.booksSoFar)!;
    const during = h.books.slice(down.booksSoFar, up.booksSoFar);
    expect(during.some((b) => b.symbol === 'ETHUSDT')).toBe(true);
    expect(during.some((b) => b.symbol === 'BTCUSDT')).toBe(false);
    h.assertContiguous('ETHUSDT');
  });

  it('disconnect mid-stream: reconnects with backoff and publishes only true books', async () => {
    h = await new ClientHarness().start();
    await h.waitForBooks('BTCUSDT', 20);
    h.server.disconnectAll(true);
    await waitFor('reconnected', () => h.server.stats.connectionsOpened >= 2);
    await h.waitForBooks('BTCUSDT', 20);
    await h.waitForBooks('ETHUSDT', 20);
    expect(h.client.counters.reconnects).toBe(1);
    h.assertBooksTrue();
    h.assertTradesUniqueAndOrdered();
  });

  it('malformed JSON and unknown events are logged, counted and ignored', async () => {
    h = await new ClientHarness().start();
    await h.waitForBooks('BTCUSDT', 10);
    h.server.sendMalformed();
    h.server.sendUnknownEvent();
    await waitFor('counted', () => h.client.adapterOrNull!.counters.malformed === 1 && h.client.adapterOrNull!.counters.unknown === 1);
    await h.waitForBooks('BTCUSDT', 10);
    expect(h.badFrames).toHaveLength(1);
    expect(h.badFrames[0]).toMatch(/offset/);
    expect(h.server.stats.connectionsOpened).toBe(1);
    expect(h.sync('BTCUSDT').gaps).toBe(0);
    h.assertBooksTrue();
  });

  it('429 with Retry-After: the next snapshot request waits at least that long', async () => {
    h = await new ClientHarness().start({ symbols: [{ symbol: 'BTCUSDT', tickSize: 1_000_000, lotSize: 1000, initialMid: 6_700_000_000_000 }] },
      { symbols: ['BTCUSDT'] }, (s) => s.failWith429(1, 1));
    await h.waitForBooks('BTCUSDT', 10);
    const depth = h.server.requestLog.filter((r) => r.path.startsWith('/api/v3/depth'));
    expect(depth.map((r) => r.status)).toEqual([429, 200]);
    expect(depth[1]!.atMs - depth[0]!.atMs).toBeGreaterThanOrEqual(990);
    expect(h.client.counters.rateLimited429).toBe(1);
    h.assertBooksTrue();
  });

  it('418 backs off hard (at least banBackoffMs) before asking again', async () => {
    h = await new ClientHarness().start({ symbols: [{ symbol: 'BTCUSDT', tickSize: 1_000_000, lotSize: 1000, initialMid: 6_700_000_000_000 }] },
      { symbols: ['BTCUSDT'], banBackoffMs: 600 }, (s) => s.failWith418(1, 0));
    await h.waitForBooks('BTCUSDT', 10);
    const depth = h.server.requestLog.filter((r) => r.path.startsWith('/api/v3/depth'));
    expect(depth.map((r) => r.status)).toEqual([418, 200]);
    expect(depth[1]!.atMs - depth[0]!.atMs).toBeGreaterThanOrEqual(590);
    h.assertBooksTrue();
  });

  it('slow snapshot: events buffer meanwhile and those after the snapshot id are applied', async () => {
    h = await new ClientHarness().start({}, {}, (s) => s.setSnapshotDelayMs(300));
    await h.waitForBooks('BTCUSDT', 10);
    await h.waitForBooks('ETHUSDT', 10);
    expect(h.bufferedAtLive.length).toBe(2);
    for (const n of h.bufferedAtLive) expect(n).toBeGreaterThanOrEqual(5);
    h.assertBooksTrue();
    h.assertContiguous('BTCUSDT');
  });

  it('24 h rollover (compressed): next connection overlaps, no gap, no duplicate', async () => {
    h = await new ClientHarness().start({}, { maxConnectionAgeMs: 300, rolloverTimeoutMs: 2000 });
    // Each old connection lags 40 ms (4 events) behind the new one, so the switch must use the new one's queue.
    const lagger = setInterval(() => h.server.lagOpenConnections(40), 20);
    await waitFor('3 rollovers', () => h.client.counters.rollovers >= 3, 15_000);
    clearInterval(lagger);
    expect(h.events.filter((e) => e.includes('overlap reached')).length).toBe(h.client.counters.rollovers);
    await h.waitForBooks('BTCUSDT', 10);
    expect(h.sync('BTCUSDT').gaps + h.sync('ETHUSDT').gaps).toBe(0);
    expect(h.server.stats.connectionsOpened).toBeGreaterThanOrEqual(4);
    expect(h.client.counters.reconnects).toBe(0);
    h.assertBooksTrue();
    h.assertContiguous('BTCUSDT');
    h.assertContiguous('ETHUSDT');
    h.assertTradesUniqueAndOrdered();
    for (const sym of ['BTCUSDT', 'ETHUSDT']) {
      const ids = h.trades.filter((t) => t.symbol === sym).map((t) => t.id);
      for (let i = 1; i < ids.length; i++) expect(ids[i], `${sym} trade after ${ids[i - 1]}`).toBe(ids[i - 1]! + 1);
    }
  });

  it('serverShutdown event: switches to a new connection without a gap', async () => {
    h = await new ClientHarness().start();
    await h.waitForBooks('BTCUSDT', 10);
    h.server.sendServerShutdown();
    await waitFor('rollover', () => h.client.counters.rollovers === 1);
    await h.waitForBooks('BTCUSDT', 10);
    expect(h.client.adapterOrNull!.counters.serverShutdowns).toBe(1);
    expect(h.sync('BTCUSDT').gaps).toBe(0);
    h.assertBooksTrue();
    h.assertContiguous('BTCUSDT');
  });

  it('duplicates across reconnect are dropped by update id and trade id', async () => {
    h = await new ClientHarness().start({}, { reconnectInitialMs: 5, reconnectMaxMs: 10 });
    await h.waitForBooks('BTCUSDT', 20);
    h.server.setReplayOnConnect(30);
    const staleBefore = h.sync('BTCUSDT').stale;
    h.server.disconnectAll(true);
    await waitFor('reconnected', () => h.server.stats.connectionsOpened >= 2);
    await h.waitForBooks('BTCUSDT', 20);
    expect(h.sync('BTCUSDT').stale - staleBefore).toBeGreaterThan(0);
    expect(h.client.adapterOrNull!.counters.duplicateTrades).toBeGreaterThan(0);
    h.assertBooksTrue();
    h.assertTradesUniqueAndOrdered();
  });

  it('scripted market: exact levels arrive as scripted, including removing an absent level', async () => {
    h = await new ClientHarness().start();
    await h.waitForBooks('BTCUSDT', 5);
    h.server.pause();
    const best = h.server.trueBookAt('BTCUSDT', h.booksOf('BTCUSDT').at(-1)!.u)!;
    await waitFor('no more events in flight', () => h.booksOf('BTCUSDT').at(-1)!.u === h.server.markets.get('BTCUSDT')!.history.at(-1)!.u);
    const bidTop = best.bids[0]![0];
    const u1 = h.server.scriptDepth('BTCUSDT', [[bidTop + 1_000_000, 123_000]], []);
    const u2 = h.server.scriptDepth('BTCUSDT', [[bidTop + 1_000_000, 0], [1_000_000, 0]], [[best.asks[0]![0], 0]]);
    await waitFor('scripted events', () => h.booksOf('BTCUSDT').at(-1)!.u === u2);
    const b1 = h.booksOf('BTCUSDT').find((b) => b.u === u1)!;
    expect(b1.bids[0]).toEqual([bidTop + 1_000_000, 123_000]);
    const b2 = h.booksOf('BTCUSDT').at(-1)!;
    expect(b2.bids[0]![0]).toBe(bidTop);
    expect(b2.asks[0]![0]).toBeGreaterThan(best.asks[0]![0]);
    h.assertBooksTrue();
    h.assertContiguous('BTCUSDT');
  });

  it('answers pings (rate-limited) and is not dropped for missing pongs', async () => {
    h = await new ClientHarness().start({ pingIntervalMs: 50, pongTimeoutMs: 150 });
    await waitFor('pongs', () => h.server.stats.pongsReceived >= 5);
    expect(h.server.stats.pongTimeouts).toBe(0);
    expect(h.server.stats.rateLimitDisconnects).toBe(0);
    expect(h.server.stats.connectionsOpened).toBe(1);
  });

  it('stale data: no frames for staleDataTimeoutMs → reconnect', async () => {
    h = await new ClientHarness().start({}, { staleDataTimeoutMs: 200 });
    await h.waitForBooks('BTCUSDT', 5);
    h.server.pause();
    await waitFor('stale detected', () => h.client.counters.staleDisconnects >= 1);
    h.server.resume();
    await waitFor('reconnected', () => h.server.stats.connectionsOpened >= 2);
    await h.waitForBooks('BTCUSDT', 5);
    h.assertBooksTrue();
  });
});

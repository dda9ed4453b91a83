import { afterEach, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SystemClock } from '@mm/runtime';
import { FakeBinanceServer } from '../../fake-binance/src/index.js';
import { BinanceMarketDataClient } from '../src/BinanceMarketDataClient.js';
import { BookTickerChecker } from './BookTickerChecker.js';
import { waitFor } from './ClientHarness.js';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/binance-spot');

describe('real Binance traffic served by the fake Binance to the live client (end to end over loopback)', () => {
  let server: FakeBinanceServer | undefined;
  let client: BinanceMarketDataClient | undefined;
  afterEach(async () => {
    await client?.stop();
    await server?.stop();
  });

  it('the published book equals every recorded bookTicker at an applied depth event (BTC 1072, ETH 1056)', async () => {
    const files = ['btcusdt', 'ethusdt'].flatMap((s) => ['20240808', '20240809'].map((d) => ({ path: join(dataDir, `${s}_${d}.gz`), symbol: s })));
    server = new FakeBinanceServer({ recorded: { files, speed: 0 }, pingIntervalMs: 0 });
    await server.start();
    const checker = new BookTickerChecker();
    let books = 0;
    let ahead = 0;
    client = new BinanceMarketDataClient({
      symbols: ['BTCUSDT', 'ETHUSDT'],
      extraStreams: ['btcusdt@bookTicker', 'ethusdt@bookTicker'],
      clock: new SystemClock(),
      wsBaseUrl: server.wsBaseUrl,
      restBaseUrl: server.restBaseUrl,
      snapshotLimit: 1000,
      staleDataTimeoutMs: 60_000,
      maxBufferedEvents: 20_000,
    });
    await client.start({
      onBook(book, ev) { books++; checker.onBook(book, ev); },
      onTrade() {},
      onBookTicker(t) { checker.onTicker(t); },
      onTopAhead(book, t) { if (t.updateId > book.updateId) ahead++; },
    });
    const adapter = client.adapterOrNull!;
    // 6495 BTC + 6470 ETH depth events are in the recording.
    await waitFor('all recorded depth events', () => adapter.counters.depth >= 6495 + 6470, 60_000);
    expect(adapter.counters.malformed).toBe(0);
    expect(adapter.syncOf('BTCUSDT')!.gaps + adapter.syncOf('ETHUSDT')!.gaps).toBe(0);
    expect(checker.mismatches).toEqual([]);
    expect(checker.matchedOf('BTCUSDT')).toBe(1072);
    expect(checker.matchedOf('ETHUSDT')).toBe(1056);
    expect(books).toBeGreaterThan(12_000);
    // Over the socket as in the recording, the tickers are ahead of the depth diffs (all but 3 per symbol once a
    // book is LIVE; those that come while the REST snapshot is fetched are ahead of nothing: 93 % here).
    expect(ahead).toBe(adapter.counters.tickersAhead);
    expect(ahead).toBeGreaterThan(adapter.counters.bookTickers * 0.8);
  }, 90_000);
});

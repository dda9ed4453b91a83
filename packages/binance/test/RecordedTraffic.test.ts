import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@mm/runtime';
import { ReplaySource } from '../src/ReplaySource.js';
import type { BinanceMarketDataSink } from '../src/MarketDataAdapter.js';
import { BookTickerChecker } from './BookTickerChecker.js';

// Real Binance spot traffic (hftbacktest example data, see ../shared/data/binance-spot/SOURCES.md).
const dataDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/binance-spot');

describe('replay of recorded Binance spot traffic through parse + DepthSync + OrderBook', () => {
  for (const [sym, expected] of [['btcusdt', 1072], ['ethusdt', 1056]] as const) {
    it(`${sym}: the book equals every recorded bookTicker at an applied depth event's final id (${expected})`, async () => {
      expect(existsSync(join(dataDir, `${sym}_20240808.gz`))).toBe(true);
      const files = ['20240808', '20240809'].map((d) => ({ path: join(dataDir, `${sym}_${d}.gz`), symbol: sym }));
      const checker = new BookTickerChecker();
      let crossed = 0;
      const sink: BinanceMarketDataSink = {
        onBook(book, event) {
          checker.onBook(book, event);
          if (book.isCrossed()) crossed++;
        },
        onTrade() {},
        onBookTicker(t) { checker.onTicker(t); },
      };
      const replay = new ReplaySource({ files, symbols: [sym], pace: 'fast', clock: new ManualClock() });
      await replay.start(sink);
      replay.runToEnd();
      const c = replay.adapterOrNull!.counters;
      const sync = replay.adapterOrNull!.syncOf(sym)!;
      expect(replay.badLines).toBe(0);
      expect(c.malformed).toBe(0);
      expect(c.snapshots).toBe(1);
      expect(sync.gaps).toBe(0);
      expect(crossed).toBe(0);
      expect(checker.mismatches).toEqual([]);
      expect(checker.matched).toBe(expected);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@mm/runtime';
import { ReplaySource } from '../src/ReplaySource.js';
import type { BinanceMarketDataSink } from '../src/MarketDataAdapter.js';
import { BookTickerChecker } from './BookTickerChecker.js';
import { FrameKind, FrameParser } from '../src/FrameParser.js';

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

describe('the scanner on the received bytes against JSON.parse', () => {
  it('every recorded frame: same ids, levels and trade fields', () => {
    const text = gunzipSync(readFileSync(join(dataDir, 'btcusdt_20240808.gz'))).toString();
    const p = new FrameParser();
    const pad = Buffer.alloc(64 * 1024);
    const fixed = (s: string): number => Math.round(Number(s) * 1e8);
    let depth = 0;
    let trades = 0;
    for (const line of text.split('\n')) {
      const at = line.indexOf(' ');
      if (at < 0) continue;
      const frame = line.slice(at + 1);
      // The bytes sit at an offset in a larger buffer, as a frame can in a socket read.
      const n = pad.write(frame, 7);
      const kind = p.parseBytes(pad, 7, 7 + n);
      const j = JSON.parse(frame) as { data?: Record<string, unknown> };
      const d = j.data;
      if (d === undefined) {
        expect(kind).toBe(FrameKind.SNAPSHOT); // the recording's REST depth body
      } else if (d.e === 'depthUpdate') {
        depth++;
        expect(kind).toBe(FrameKind.DEPTH);
        const got = p.depth;
        expect([got.symbol, got.firstUpdateId, got.finalUpdateId, got.eventTimeMs]).toEqual([d.s, d.U, d.u, d.E]);
        for (const [side, levels] of [[got.bids, d.b], [got.asks, d.a]] as const) {
          const want = levels as [string, string][];
          expect(side.count).toBe(want.length);
          want.forEach(([price, qty], i) => expect([side.prices[i], side.qtys[i]]).toEqual([fixed(price), fixed(qty)]));
        }
      } else if (d.e === 'trade') {
        trades++;
        expect(kind).toBe(FrameKind.TRADE);
        const t = p.trade;
        expect([t.symbol, t.tradeId, t.price, t.qty, t.tradeTimeMs, t.buyerIsMaker]).toEqual([d.s, d.t, fixed(d.p as string), fixed(d.q as string), d.T, d.m]);
      }
    }
    expect(depth).toBeGreaterThan(3000);
    expect(trades).toBeGreaterThan(9000);
  });
});

describe('top first on recorded traffic', () => {
  it('a sink reading the best 20 levels sees, event by event, exactly what it sees with every level applied first', async () => {
    const files = [{ path: join(dataDir, 'btcusdt_20240808.gz'), symbol: 'btcusdt' }];
    const run = async (bookDepth: number | undefined): Promise<number[][]> => {
      const tops: number[][] = [];
      const p = new Float64Array(20), q = new Float64Array(20);
      const sink: BinanceMarketDataSink = {
        ...(bookDepth === undefined ? {} : { bookDepth }),
        onBook(book) {
          const nb = book.bids.copyTop(20, p, q);
          const row = [book.updateId, ...p.subarray(0, nb), ...q.subarray(0, nb)];
          const na = book.asks.copyTop(20, p, q);
          tops.push([...row, ...p.subarray(0, na), ...q.subarray(0, na)]);
        },
        onTrade() {},
      };
      const replay = new ReplaySource({ files, symbols: ['btcusdt'], pace: 'fast', clock: new ManualClock() });
      await replay.start(sink);
      replay.runToEnd();
      return tops;
    };
    const whole = await run(undefined);
    const topFirst = await run(20);
    expect(whole.length).toBeGreaterThan(3000);
    expect(topFirst).toEqual(whole);
  });
});

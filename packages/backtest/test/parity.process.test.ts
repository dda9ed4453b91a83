import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { BookSnapshotDecoder, DecodeResult, FillDecoder, HeartbeatDecoder, MessageHeader, Side, TemplateId } from '@mm/protocol';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService, tempDir, waitFor, type TestSystem } from '@mm/test-support';
import { runBacktest } from '../src/Backtest.js';
import type { BookRow } from '../src/BacktestEvents.js';
import { BTC_0808 } from './fixtures.js';

/**
 * Parity: the same short recording through the real multi-process pipeline on Aeron (driver, collector in replay
 * mode at recorded pace, pricing, strategy, simulator) and through the one-process backtest, with the same config
 * (and so the same simulator latencies): compare the fills on stream 16.
 */
const SLICE_S = 30;

interface Fill { id: number; side: 'BUY' | 'SELL'; price: number; qty: number; liquidity: number; recvNs: number }

function sliceRecording(seconds: number): string {
  const lines = gunzipSync(readFileSync(BTC_0808)).toString('utf8').split('\n');
  const first = BigInt(lines[0]!.slice(0, lines[0]!.indexOf(' ')));
  const end = first + BigInt(seconds) * 1_000_000_000n;
  const kept = lines.filter((l) => l.length > 0 && BigInt(l.slice(0, l.indexOf(' '))) < end);
  const path = join(tempDir('mm-parity-data-'), 'btcusdt_slice.txt');
  writeFileSync(path, `${kept.join('\n')}\n`);
  return path;
}

function systemFor(file: string): TestSystem {
  return createTestSystem({
    collector: `[source]\nkind = "replay"\nspeed = 1\nfiles = [${JSON.stringify(file)}]\n`,
    simulator: `[journal]\nfsync = "batch"\n`,
    // A replay fetches no exchangeInfo: the strategy (pipeline and backtest) takes the instrument from the override.
    symbols: 'symbols = ["BTCUSDT"]\n[overrides.BTCUSDT]\ntick-size = "0.01"\nlot-size = "0.00001"\n',
  }, ['BTCUSDT'], { book: '4m', trade: '4m' });
}

describe('backtest parity with the multi-process pipeline on Aeron', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    aeron = undefined;
    await killAll();
    removeTempDirs();
  });

  it('should produce the fills of the live pipeline for the same recording and latencies', async () => {
    const file = sliceRecording(SLICE_S);
    const sys = systemFor(file);
    const backtestBooks: BookRow[] = [];
    const backtest = await runBacktest({ files: [file], configDir: sys.configDir, observers: [{ onBook: (b) => backtestBooks.push({ ...b }) }] });
    const expectedBooks = backtest.counters.collector.books!;
    const expected: Fill[] = [];
    for (const line of backtest.log.jsonl) {
      const e = JSON.parse(line) as { type: string; recvNs: number; fillId: number; side: 'BUY' | 'SELL'; price: string; qty: string; liquidity: string; tNs: number };
      if (e.type === 'fill') expected.push({ id: e.fillId, side: e.side, price: Math.round(Number(e.price) * 1e8), qty: Math.round(Number(e.qty) * 1e8), liquidity: e.liquidity === 'TAKER' ? 2 : 1, recvNs: e.recvNs });
    }

    await startDriver(sys);
    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const client = aeron;
    const [heartbeats, fills, books] = await Promise.all([
      client.addSubscription('aeron:ipc?term-length=64k', 12),
      client.addSubscription('aeron:ipc?term-length=64k', 16),
      client.addSubscription('aeron:ipc?term-length=4m', 10),
    ]);
    const hb = new HeartbeatDecoder();
    const seen = new Map<string, number>();
    const onHeartbeat = (b: Parameters<typeof hb.wrap>[0], o: number, l: number): void => {
      if (MessageHeader.templateId(b, o) === TemplateId.HEARTBEAT && hb.wrapChecked(b, o, l) === DecodeResult.OK) {
        seen.set(hb.service(), (seen.get(hb.service()) ?? 0) + 1);
      }
    };
    const fd = new FillDecoder();
    const live: Fill[] = [];
    const onFill = (b: Parameters<typeof fd.wrap>[0], o: number, l: number): void => {
      expect(fd.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      live.push({ id: fd.fillId(), side: fd.side() === Side.BUY ? 'BUY' : 'SELL', price: fd.price(), qty: fd.qty(), liquidity: fd.liquidity(), recvNs: fd.recvTimeNs() });
    };
    const bd = new BookSnapshotDecoder();
    const liveBooks: BookRow[] = [];
    const bookAssembler = new FragmentAssembler((b, o, l) => {
      expect(bd.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      liveBooks.push({
        recvNs: bd.recvTimeNs(), symbol: bd.symbol(), firstUpdateId: bd.firstUpdateId(), lastUpdateId: bd.lastUpdateId(),
        bidPriceE8: bd.bidPrice(0), bidQtyE8: bd.bidQty(0), askPriceE8: bd.askPrice(0), askQtyE8: bd.askQty(0),
      });
    });
    const pump = (): void => {
      client.doWork();
      heartbeats.poll(onHeartbeat, 100);
      fills.poll(onFill, 100);
      books.poll(bookAssembler.handler, 1000);
    };
    // Consumers first, so none misses the start of the replay; the collector starts replaying when it starts.
    for (const s of ['simulator', 'pricing', 'strategy']) startService(sys, s);
    await waitFor(() => { pump(); return ['mm_simulator', 'mm_pricing', 'mm_strategy'].every((s) => (seen.get(s) ?? 0) >= 1); },
      { timeoutMs: 20_000, what: 'heartbeats of simulator, pricing and strategy', intervalMs: 1 });
    startService(sys, 'collector');
    await waitFor(() => { pump(); return liveBooks.length >= expectedBooks; },
      { timeoutMs: (SLICE_S + 30) * 1000, what: `${expectedBooks} books replayed`, intervalMs: 1 });
    // Let the last quotes and fills through: two more venue heartbeats (≥ 1 s) after the last book.
    const hbAtEnd = seen.get('mm_simulator') ?? 0;
    await waitFor(() => { pump(); return (seen.get('mm_simulator') ?? 0) >= hbAtEnd + 2; }, { timeoutMs: 10_000, what: 'two venue heartbeats after the replay', intervalMs: 1 });

    const key = (f: Fill): string => `${f.side} ${f.price} ${f.qty} ${f.liquidity}`;
    let prefix = 0;
    while (prefix < Math.min(expected.length, live.length) && key(expected[prefix]!) === key(live[prefix]!)) prefix++;
    const shiftNs = liveBooks[0]!.recvNs - backtestBooks[0]!.recvNs;
    // The same fill = same side, at the same market moment (within 100 ms of data time) and price (within 1 bp):
    // once one fill differs, inventory differs and the skew moves every later quote by a few ticks, so exact
    // prices are compared only until the first difference (the identical prefix).
    const used = new Set<number>();
    let matched = 0;
    for (const f of expected) {
      const i = live.findIndex((g, j) => !used.has(j) && g.side === f.side && Math.abs(g.recvNs - shiftNs - f.recvNs) <= 100e6 && Math.abs(g.price - f.price) <= f.price * 1e-4);
      if (i >= 0) {
        used.add(i);
        matched++;
      }
    }
    if (process.env.MM_PARITY_DEBUG === '1') {
      process.stdout.write(`backtest: ${expected.map((f) => `${(f.recvNs / 1e6).toFixed(1)}ms ${key(f)}`).join('\n          ')}\n`);
      process.stdout.write(`aeron:    ${live.map((f) => `${((f.recvNs - shiftNs) / 1e6).toFixed(1)}ms ${key(f)}`).join('\n          ')}\n`);
    }
    process.stdout.write(`parity: backtest ${expected.length} fills, Aeron ${live.length}; identical prefix ${prefix}, same fill (side, ±100 ms, ±1 bp) ${matched}\n`);

    // Market data is exact: the same books, with receive times that differ only by the replay's start time.
    expect(backtestBooks.length).toBe(expectedBooks);
    expect(liveBooks.length).toBe(expectedBooks);
    const shift = liveBooks[0]!.recvNs - backtestBooks[0]!.recvNs;
    expect(liveBooks).toEqual(backtestBooks.map((b) => ({ ...b, recvNs: b.recvNs + shift })));
    expect(expected.length).toBeGreaterThan(5);
    // Both venues number fills 1, 2, 3, ... and fill at most the order size, in lots, at the recorded prices.
    expect(live.map((f) => f.id)).toEqual(live.map((_, i) => i + 1));
    expect(expected.map((f) => f.id)).toEqual(expected.map((_, i) => i + 1));
    const prices = expected.map((f) => f.price);
    const [lo, hi] = [Math.min(...prices), Math.max(...prices)];
    const orderQty = Math.max(...expected.map((f) => f.qty));
    for (const f of live) {
      expect(f.qty).toBeGreaterThan(0);
      expect(f.qty).toBeLessThanOrEqual(orderQty);
      expect(f.qty % 1000).toBe(0);
      expect(f.price).toBeGreaterThan(lo * 0.999);
      expect(f.price).toBeLessThan(hi * 1.001);
    }
    // Exact equality cannot hold (see the report): the live pipeline adds its own processing latency before a
    // quote reaches the venue and runs its timers on the wall clock. Most fills must still be the same fills.
    // Observed on this 30 s slice: 15-18 of 20 backtest fills found in the live run on a quiet machine, 10 while
    // other test suites loaded both cores (pipeline latency grows with load); the bound leaves room for that.
    expect(matched).toBeGreaterThanOrEqual(Math.ceil(0.4 * expected.length));
    expect(live.length).toBeGreaterThanOrEqual(Math.floor(expected.length * 0.5));
    expect(live.length).toBeLessThanOrEqual(Math.ceil(expected.length * 1.5));
  });
});

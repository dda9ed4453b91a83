import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import {
  BookSnapshotDecoder, DecodeResult, FillDecoder, HeartbeatDecoder, MessageHeader, PositionDecoder, PricingDecoder, PricingFlags, QuoteDecoder, Side,
  TemplateId,
} from '@mm/protocol';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService, tempDir, waitFor, type TestSystem } from '@mm/test-support';
import { runBacktest } from '../src/Backtest.js';
import type { BookRow } from '../src/BacktestEvents.js';
import { BTC_0808 } from './fixtures.js';

/**
 * Parity: the same short recording through the real multi-process pipeline on Aeron (driver, collector in replay
 * mode at recorded pace, pricing, strategy, simulator) and through the one-process backtest, with the same config
 * (and so the same simulator latencies): the fills on stream 16 must be the same — ids, sides, prices, quantities,
 * liquidity and times (receive times differ only by the replay's start). The pipeline runs in event order: every
 * model decision on the carried receive times, the strategy with `event-order = true`, the simulator holding each
 * market event until the strategy has reacted (hold-ms, far above this machine's reaction time).
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
    // Books from depth events only: with the recorded tickers too (~100 books/s), the venue's hold (at most 25
    // unanswered events/s at 40 ms) would run minutes behind the 30 s slice. What parity checks is the same.
    collector: `[source]\nkind = "replay"\nspeed = 1\nfiles = [${JSON.stringify(file)}]\n[book]\nbook-ticker = false\n`,
    simulator: `[journal]\nfsync = "batch"\n[market]\nhold-ms = 40\n`,
    // A replay fetches no exchangeInfo: the strategy (pipeline and backtest) takes the instrument from the override.
    symbols: 'symbols = ["BTCUSDT"]\n[overrides.BTCUSDT]\ntick-size = "0.01"\nlot-size = "0.00001"\n',
  }, ['BTCUSDT'], { book: '4m', trade: '4m', pricing: '4m' });
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
    const backtestPricing: string[] = [];
    const backtest = await runBacktest({
      files: [file], configDir: sys.configDir,
      observers: [{ onBook: (b) => backtestBooks.push({ ...b }), onPricing: (p) => backtestPricing.push(`${p.recvNs} ${p.fairValue} ${p.sigma} ${p.flags}`) }],
    });
    const expectedBooks = backtest.counters.collector.books!;
    const expected: Fill[] = [];
    // Quotes and pulls as the venue sees them: the event time they carry and what they ask for.
    const expectedQuotes: string[] = [];
    for (const line of backtest.log.jsonl) {
      const e = JSON.parse(line) as { type: string; tickNs?: number; bidPrice: string | null; bidQty: string; askPrice: string | null; askQty: string };
      if (e.type === 'quote') expectedQuotes.push(`${e.tickNs} ${Math.round(Number(e.bidPrice ?? 0) * 1e8)}x${Math.round(Number(e.bidQty) * 1e8)} ${Math.round(Number(e.askPrice ?? 0) * 1e8)}x${Math.round(Number(e.askQty) * 1e8)}`);
      if (e.type === 'pull') expectedQuotes.push('pull');
    }
    for (const line of backtest.log.jsonl) {
      const e = JSON.parse(line) as { type: string; recvNs: number; fillId: number; side: 'BUY' | 'SELL'; price: string; qty: string; liquidity: string; tNs: number };
      if (e.type === 'fill') expected.push({ id: e.fillId, side: e.side, price: Math.round(Number(e.price) * 1e8), qty: Math.round(Number(e.qty) * 1e8), liquidity: e.liquidity === 'TAKER' ? 2 : 1, recvNs: e.recvNs });
    }

    await startDriver(sys);
    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const client = aeron;
    const [heartbeats, fills, books, positions] = await Promise.all([
      client.addSubscription('aeron:ipc?term-length=64k', 12),
      client.addSubscription('aeron:ipc?term-length=64k', 16),
      client.addSubscription('aeron:ipc?term-length=4m', 10),
      client.addSubscription('aeron:ipc?term-length=64k', 17),
    ]);
    const started = performance.now();
    const quoteSub = await client.addSubscription('aeron:ipc?term-length=64k', 15);
    const pricingSub = await client.addSubscription('aeron:ipc?term-length=4m', 14);
    const prd = new PricingDecoder();
    const livePricing: { recvNs: number; text: string }[] = [];
    const onPricing = (b: Parameters<typeof prd.wrap>[0], o: number, l: number): void => {
      if (prd.wrapChecked(b, o, l) === DecodeResult.OK) livePricing.push({ recvNs: prd.recvTimeNs(), text: `${prd.fairValue()} ${prd.sigma()} ${prd.flags()}` });
    };
    const qd = new QuoteDecoder();
    const liveQuotes: { recvNs: number; text: string }[] = [];
    const onQuote = (b: Parameters<typeof qd.wrap>[0], o: number, l: number): void => {
      if (MessageHeader.templateId(b, o) === TemplateId.QUOTE && qd.wrapChecked(b, o, l) === DecodeResult.OK) {
        liveQuotes.push({ recvNs: qd.recvTimeNs(), text: `${qd.bidPrice()}x${qd.bidQty()} ${qd.askPrice()}x${qd.askQty()}` });
      } else if (MessageHeader.templateId(b, o) === TemplateId.PULL_QUOTES) {
        liveQuotes.push({ recvNs: -1, text: 'pull' });
      }
    };
    // The venue's progress (snapshot time): every market event before it applied.
    const pd = new PositionDecoder();
    let progressNs = 0;
    const onPosition = (b: Parameters<typeof pd.wrap>[0], o: number, l: number): void => {
      if (pd.wrapChecked(b, o, l) === DecodeResult.OK) progressNs = Math.max(progressNs, pd.timeNs());
    };
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
      positions.poll(onPosition, 1000);
      quoteSub.poll(onQuote, 1000);
      pricingSub.poll(onPricing, 1000);
    };
    // Consumers first, so none misses the start of the replay; the collector starts replaying when it starts.
    startService(sys, 'simulator');
    startService(sys, 'pricing');
    startService(sys, 'strategy', { MM_STRATEGY__EVENT_ORDER: 'true' });
    await waitFor(() => { pump(); return ['mm_simulator', 'mm_pricing', 'mm_strategy'].every((s) => (seen.get(s) ?? 0) >= 1); },
      { timeoutMs: 20_000, what: 'heartbeats of simulator, pricing and strategy', intervalMs: 1 });
    startService(sys, 'collector');
    await waitFor(() => { pump(); return liveBooks.length >= expectedBooks; },
      { timeoutMs: (SLICE_S + 30) * 1000, what: `${expectedBooks} books replayed`, intervalMs: 1 });
    // The venue has applied the last book (it holds events for the strategy), then two more heartbeats (≥ 1 s).
    const replayedMs = performance.now() - started;
    await waitFor(() => { pump(); return progressNs > liveBooks.at(-1)!.recvNs; }, { timeoutMs: 30_000, what: 'the venue past the last book', intervalMs: 1 });
    process.stdout.write(`replay ${(replayedMs / 1000).toFixed(1)} s; the venue applied the last book ${((performance.now() - started - replayedMs) / 1000).toFixed(1)} s later\n`);
    const hbAtEnd = seen.get('mm_simulator') ?? 0;
    await waitFor(() => { pump(); return (seen.get('mm_simulator') ?? 0) >= hbAtEnd + 2; }, { timeoutMs: 10_000, what: 'two venue heartbeats after the replay', intervalMs: 1 });

    const shiftNs = liveBooks[0]!.recvNs - backtestBooks[0]!.recvNs;
    const show = (f: Fill, shift: number): string => `#${f.id} ${((f.recvNs - shift) / 1e6).toFixed(3)}ms ${f.side} ${f.price} ${f.qty} ${f.liquidity === 2 ? 'T' : 'M'}`;
    let same = 0;
    while (same < Math.min(expected.length, live.length) && show(expected[same]!, 0) === show(live[same]!, shiftNs)) same++;
    process.stdout.write(`parity: backtest ${expected.length} fills, Aeron ${live.length}, identical ${same}\n`);
    if (same < Math.max(expected.length, live.length)) {
      process.stdout.write(`first difference: backtest ${expected[same] ? show(expected[same]!, 0) : '-'} / Aeron ${live[same] ? show(live[same]!, shiftNs) : '-'}\n`);
    }
    const pricingLive = livePricing.map((p) => `${p.recvNs - shiftNs} ${p.text}`);
    let samePricing = 0;
    while (samePricing < Math.min(pricingLive.length, backtestPricing.length) && pricingLive[samePricing] === backtestPricing[samePricing]) samePricing++;
    const samePricingStart = (): number => Math.max(0, samePricing - 2);
    if (process.env.MM_PARITY_DEBUG === '1') process.stdout.write(`pricing tails:\n${backtestPricing.slice(samePricingStart()).join('\n')}\n--\n${pricingLive.slice(samePricingStart()).join('\n')}\n`);
    process.stdout.write(`pricing: backtest ${backtestPricing.length}, Aeron ${pricingLive.length}, identical ${samePricing}; first difference: ${backtestPricing[samePricing]} / ${pricingLive[samePricing]}\n`);
    const quotesLive = liveQuotes.map((q) => (q.recvNs < 0 ? 'pull' : `${q.recvNs - shiftNs} ${q.text}`));
    let sameQuotes = 0;
    while (sameQuotes < Math.min(quotesLive.length, expectedQuotes.length) && quotesLive[sameQuotes] === expectedQuotes[sameQuotes]) sameQuotes++;
    process.stdout.write(`quotes: backtest ${expectedQuotes.length}, Aeron ${quotesLive.length}, identical ${sameQuotes}; first difference: ${expectedQuotes[sameQuotes]} / ${quotesLive[sameQuotes]}\n`);
    if (process.env.MM_PARITY_DEBUG === '1') {
      process.stdout.write(`quotes around it:\n${expectedQuotes.slice(Math.max(0, sameQuotes - 3), sameQuotes + 4).join('\n')}\n--\n${quotesLive.slice(Math.max(0, sameQuotes - 3), sameQuotes + 4).join('\n')}\n`);
      process.stdout.write(`backtest: ${expected.map((f) => show(f, 0)).join('\n          ')}\n`);
      process.stdout.write(`aeron:    ${live.map((f) => show(f, shiftNs)).join('\n          ')}\n`);
    }

    // Market data is exact: the same books, with receive times that differ only by the replay's start time.
    expect(backtestBooks.length).toBe(expectedBooks);
    expect(liveBooks.length).toBe(expectedBooks);
    expect(liveBooks).toEqual(backtestBooks.map((b) => ({ ...b, recvNs: b.recvNs + shiftNs })));
    expect(expected.length).toBeGreaterThan(5);
    // And so is everything decided on it: pricing (14), quotes and pulls (15) and fills (16) — same values and
    // (shifted) times. After the data ends the pipeline runs on: its book goes stale (not tradable) and the strategy
    // pulls; nothing else may follow.
    expect(pricingLive.slice(0, backtestPricing.length)).toEqual(backtestPricing);
    for (const p of livePricing.slice(backtestPricing.length)) expect(Number(p.text.split(' ')[2]) & PricingFlags.TRADABLE).toBe(0);
    expect(quotesLive.slice(0, expectedQuotes.length)).toEqual(expectedQuotes);
    expect(quotesLive.slice(expectedQuotes.length).every((q) => q === 'pull')).toBe(true);
    expect(live.map((f) => show(f, shiftNs))).toEqual(expected.map((f) => show(f, 0)));
  });
});

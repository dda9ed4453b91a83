import { describe, expect, it } from 'vitest';
import { Aeron, Context, FragmentAssembler } from '@mm/aeron-client';
import { FakeBinanceServer } from '@mm/fake-binance';
import { BookSnapshotDecoder, DecodeResult, ServiceState, StateDecoder, TradeDecoder } from '@mm/protocol';
import { createTestSystem, startDriver, startService, useProcessTeardown, waitFor } from '@mm/test-support';
import { checkHealth } from '../../../packages/cli/src/commands/health.js';

/**
 * The collector as a real process between a real media driver and the fake Binance on loopback: every book it
 * publishes must equal the fake exchange's true book at the same update id, through a gap and a disconnect.
 */
describe('collector process', () => {
  const teardown = useProcessTeardown();

  it('publishes books equal to the exchange book, resyncs after a gap and a disconnect, and reports health', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 7, depthIntervalMs: 20 }));
    await fake.start();
    const sys = createTestSystem({
      collector: `[binance]\nws-url = "${fake.wsBaseUrl}"\nrest-url = "${fake.restBaseUrl}"\nstale-data-timeout-ms = 2000\nreconnect-initial-ms = 50\n[book]\nlevels = 10\n`,
    });
    await startDriver(sys);
    const collector = startService(sys, 'collector');
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const books = await aeron.addSubscription('aeron:ipc?term-length=64k', 10);
    const trades = await aeron.addSubscription('aeron:ipc?term-length=64k', 13);
    const states = await aeron.addSubscription('aeron:ipc?term-length=64k', 11);

    const book = new BookSnapshotDecoder();
    const trade = new TradeDecoder();
    const state = new StateDecoder();
    const checked = new Map<string, number>();
    const mismatches: string[] = [];
    const lastU = new Map<string, number>();
    const symbolStates: string[] = [];
    let tradeCount = 0;
    const onBook = new FragmentAssembler((buf, off, len) => {
      expect(book.wrapChecked(buf, off, len)).toBe(DecodeResult.OK);
      const sym = book.symbol();
      const u = book.lastUpdateId();
      const prev = lastU.get(sym);
      if (prev !== undefined && u <= prev) mismatches.push(`${sym}: update id went from ${prev} to ${u}`);
      lastU.set(sym, u);
      const truth = fake!.trueBookAt(sym, u);
      if (!truth) { mismatches.push(`${sym}: no true book at ${u}`); return; }
      const n = Math.min(10, truth.bids.length);
      if (book.bidCount() !== n) mismatches.push(`${sym}@${u}: ${book.bidCount()} bids, exchange has ${n} in the top 10`);
      for (let i = 0; i < book.bidCount(); i++) {
        if (book.bidPrice(i) !== truth.bids[i]![0] || book.bidQty(i) !== truth.bids[i]![1]) mismatches.push(`${sym}@${u}: bid ${i} differs`);
      }
      for (let i = 0; i < book.askCount(); i++) {
        if (book.askPrice(i) !== truth.asks[i]![0] || book.askQty(i) !== truth.asks[i]![1]) mismatches.push(`${sym}@${u}: ask ${i} differs`);
      }
      checked.set(sym, (checked.get(sym) ?? 0) + 1);
    });
    const poll = (): void => {
      aeron!.doWork();
      books.poll(onBook.handler, 100);
      trades.poll((b, o, l) => { if (trade.wrapChecked(b, o, l) === DecodeResult.OK) tradeCount++; }, 100);
      states.poll((b, o, l) => {
        if (state.wrapChecked(b, o, l) === DecodeResult.OK && state.service() === 'mm_collector' && state.symbol() !== '') {
          symbolStates.push(`${state.symbol()}:${state.state()}`);
        }
      }, 100);
    };
    const until = (what: string, cond: () => boolean, timeoutMs = 20_000) =>
      waitFor(() => { poll(); return cond(); }, { what, timeoutMs, intervalMs: 2 });

    await until('40 checked books per symbol', () => (checked.get('BTCUSDT') ?? 0) >= 40 && (checked.get('ETHUSDT') ?? 0) >= 40);
    expect(tradeCount).toBeGreaterThan(0);
    await until('collector healthy', () => checkHealth(sys.aeronDir, 'mm_collector', 3000).live);

    // A gap in one symbol: it goes SYNCING and comes back; the other keeps flowing.
    const before = checked.get('BTCUSDT')!;
    fake.injectGap('BTCUSDT', 2);
    await until('BTCUSDT syncing then live again', () =>
      symbolStates.includes(`BTCUSDT:${ServiceState.SYNCING}`) &&
      symbolStates.lastIndexOf(`BTCUSDT:${ServiceState.LIVE}`) > symbolStates.indexOf(`BTCUSDT:${ServiceState.SYNCING}`));
    await until('books after the resync', () => checked.get('BTCUSDT')! > before + 20);

    // A dropped connection: both symbols resync and keep equal books.
    const afterGap = { btc: checked.get('BTCUSDT')!, eth: checked.get('ETHUSDT')! };
    fake.disconnectAll(true);
    await until('books after reconnect', () => checked.get('BTCUSDT')! > afterGap.btc + 20 && checked.get('ETHUSDT')! > afterGap.eth + 20);

    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(collector.hasExited).toBe(false);
    collector.kill('SIGTERM');
    expect((await collector.waitForExit(5000)).code).toBe(0);
  });
});

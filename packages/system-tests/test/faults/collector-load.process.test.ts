import { describe, expect, it } from 'vitest';
import { FakeBinanceServer, type SymbolSpec } from '@mm/fake-binance';
import { ServiceState } from '@mm/protocol';
import { createTestSystem } from '@mm/test-support';
import { fastEnv, figures, healthy, rssOf, script, startTolerantDriver, supervisor, useFaultRig, Watcher } from './rig.js';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT', 'ADAUSDT', 'DOGEUSDT', 'LTCUSDT', 'DOTUSDT', 'LINKUSDT'];
const BOOKS_PER_SYMBOL = 100;

/**
 * Load: ten symbols through the collector (and pricing) at 50 depth events per second each: every symbol goes LIVE,
 * every published book equals the exchange's true book, both services stay healthy; prints throughput and RSS.
 */
describe('fault: load of 10 symbols on the collector', () => {
  const rig = useFaultRig();

  it('publishes right books for 10 symbols', async () => {
    const specs: SymbolSpec[] = SYMBOLS.map((symbol, i) => ({
      symbol, tickSize: 1_000_000, lotSize: 1_000, initialMid: (100 + i * 37) * 1e8, levels: 40, fairStepTicks: 2,
    }));
    const fake = new FakeBinanceServer({ seed: 71, depthIntervalMs: 20, symbols: specs });
    rig.track({ fake });
    await fake.start();
    const sys = createTestSystem({}, SYMBOLS);
    const output = new Map<string, string[]>();
    const events: { name: string; event: string; atMs: number }[] = [];
    await startTolerantDriver(sys);
    const sup = supervisor(sys, output, events, { initialMs: 100, maxMs: 1000 });
    const w = new Watcher(sys, fake);
    rig.track({ sup, watcher: w });
    await w.attach();
    const env = { ...sys.env, ...fastEnv(fake, sys) };
    await sup.add({ name: 'mm_collector', script: script('collector'), env });
    await sup.add({ name: 'mm_pricing', script: script('pricing'), env });
    const t0 = Date.now();
    await w.until('every symbol live at the collector', () => SYMBOLS.every((s) =>
      w.states.some((st) => st.service === 'mm_collector' && st.symbol === s && st.state === ServiceState.LIVE)), 30_000, output);
    const liveMs = Date.now() - t0;
    const t1 = Date.now();
    const booksAt = w.booksChecked;
    await w.until(`${BOOKS_PER_SYMBOL} checked books per symbol`, () => SYMBOLS.every((s) => w.booksOf(s) >= BOOKS_PER_SYMBOL), 60_000, output);
    const seconds = (Date.now() - t1) / 1000;
    await w.until('collector and pricing healthy', () => healthy(sys, 'mm_collector') && healthy(sys, 'mm_pricing'), 20_000, output);
    expect(w.violations.slice(0, 5)).toEqual([]);
    expect(events.filter((e) => e.event === 'exited')).toEqual([]);
    figures('collector-10-symbols', {
      symbols: SYMBOLS.length, allLiveMs: liveMs, booksChecked: w.booksChecked, booksPerSecond: Math.round((w.booksChecked - booksAt) / seconds),
      rssMiB: { collector: +(rssOf(sup.pidOf('mm_collector')) / 2 ** 20).toFixed(1), pricing: +(rssOf(sup.pidOf('mm_pricing')) / 2 ** 20).toFixed(1) },
      violations: w.violations.length,
    });
  });
});

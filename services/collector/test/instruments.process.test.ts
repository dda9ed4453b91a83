import { describe, expect, it } from 'vitest';
import { Aeron, Context } from '@mm/aeron-client';
import { FakeBinanceServer } from '@mm/fake-binance';
import {
  BookSnapshotDecoder, DecodeResult, InstrumentDecoder, InstrumentOverride, InstrumentStatus, ServiceState, StateDecoder,
} from '@mm/protocol';
import { createTestSystem, startDriver, startService, useProcessTeardown, waitFor } from '@mm/test-support';

/**
 * The collector's instruments (stream 20) as a real process against the fake Binance: exchangeInfo failures are
 * retried and reported while no book goes out; then every symbol's INSTRUMENT carries the fake's filters with the
 * symbols.toml overrides applied, before any book; a HALT at the exchange is republished and reported on 11.
 */
describe('collector instruments process', () => {
  const teardown = useProcessTeardown();

  it('publishes exchangeInfo with overrides on 20 before books, retries failures, follows a HALT', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 5, depthIntervalMs: 20 }));
    await fake.start();
    fake.failExchangeInfo(3, 503);
    const sys = createTestSystem({
      collector: `[binance]\nws-url = "${fake.wsBaseUrl}"\nrest-url = "${fake.restBaseUrl}"\nreconnect-initial-ms = 100\nreconnect-max-ms = 200\nexchange-info-refresh-s = 1\n[instrument]\nrepublish-interval-ms = 200\n`,
      symbols: 'symbols = ["BTCUSDT", "ETHUSDT"]\n[overrides.ETHUSDT]\ntick-size = "0.05"\nmin-notional = "10"\n',
    });
    await startDriver(sys);
    const collector = startService(sys, 'collector');
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const ch = 'aeron:ipc?term-length=64k';
    const [instrumentSub, bookSub, stateSub] = await Promise.all([20, 10, 11].map((id) => aeron!.addSubscription(ch, id)));

    const inst = new InstrumentDecoder();
    const book = new BookSnapshotDecoder();
    const state = new StateDecoder();
    const seen: { symbol: string; tick: number; step: number; minQty: number; minNotional: number; status: number; overridden: number; timeNs: number; exchangeMs: number; fetchMs: number }[] = [];
    const bad: string[] = [];
    let firstBookRecvNs = 0;
    let booksBeforeFetch = 0;
    const states: { symbol: string; state: number; reason: string }[] = [];
    const poll = (): void => {
      aeron!.doWork();
      instrumentSub.poll((b, o, l) => {
        if (inst.wrapChecked(b, o, l) !== DecodeResult.OK) { bad.push('instrument'); return; }
        seen.push({
          symbol: inst.symbol(), tick: inst.tickSize(), step: inst.stepSize(), minQty: inst.minQty(), minNotional: inst.minNotional(),
          status: inst.status(), overridden: inst.overridden(), timeNs: inst.timeNs(), exchangeMs: inst.exchangeTimeMs(), fetchMs: inst.fetchTimeMs(),
        });
      }, 50);
      bookSub.poll((b, o, l) => {
        if (book.wrapChecked(b, o, l) !== DecodeResult.OK) { bad.push('book'); return; }
        if (firstBookRecvNs === 0) firstBookRecvNs = book.recvTimeNs();
        if (fake!.stats.exchangeInfoRequests < 4) booksBeforeFetch++;
      }, 50);
      stateSub.poll((b, o, l) => {
        if (state.wrapChecked(b, o, l) === DecodeResult.OK && state.service() === 'mm_collector') states.push({ symbol: state.symbol(), state: state.state(), reason: state.reason() });
      }, 50);
    };
    const until = (what: string, cond: () => boolean, timeoutMs = 20_000) => waitFor(() => { poll(); return cond(); }, { what, timeoutMs, intervalMs: 2 });

    await until('a state naming the exchangeInfo failure', () => states.some((s) => s.symbol === '' && s.state === ServiceState.SYNCING && /exchangeInfo unavailable/.test(s.reason)));
    await until('instruments of both symbols and a book', () => new Set(seen.map((s) => s.symbol)).size === 2 && firstBookRecvNs > 0);
    expect(fake.stats.exchangeInfoRequests).toBeGreaterThanOrEqual(4);
    expect(booksBeforeFetch).toBe(0);
    const btc = seen.find((s) => s.symbol === 'BTCUSDT')!;
    const eth = seen.find((s) => s.symbol === 'ETHUSDT')!;
    const btcSpec = fake.markets.get('BTCUSDT')!.spec;
    const ethSpec = fake.markets.get('ETHUSDT')!.spec;
    expect(btc).toMatchObject({ tick: btcSpec.tickSize, step: btcSpec.lotSize, minQty: btcSpec.lotSize, minNotional: 500_000_000, status: InstrumentStatus.TRADING, overridden: 0 });
    expect(eth).toMatchObject({ tick: 5_000_000, step: ethSpec.lotSize, minQty: ethSpec.lotSize, minNotional: 1_000_000_000, status: InstrumentStatus.TRADING, overridden: InstrumentOverride.TICK_SIZE | InstrumentOverride.MIN_NOTIONAL });
    expect(btc.exchangeMs).toBeGreaterThan(1_600_000_000_000);
    expect(Math.abs(btc.fetchMs - Date.now())).toBeLessThan(60_000);
    // Instruments went out before the first book was even received.
    expect(Math.max(btc.timeNs, eth.timeNs)).toBeLessThan(firstBookRecvNs);

    // Late joiners: the instruments come again periodically.
    const count = seen.length;
    await until('republished', () => seen.filter((s, i) => i >= count && s.symbol === 'ETHUSDT').length >= 2);

    // The exchange halts BTCUSDT: the next refresh publishes HALT and the collector reports it.
    fake.setSymbolStatus('BTCUSDT', 'HALT');
    await until('BTCUSDT HALT on 20', () => seen.some((s) => s.symbol === 'BTCUSDT' && s.status === InstrumentStatus.HALT));
    await until('BTCUSDT HALTED on 11 and the service degraded', () =>
      states.some((s) => s.symbol === 'BTCUSDT' && s.state === ServiceState.HALTED && /HALT/.test(s.reason))
      && states.at(-1)!.symbol === '' && states.filter((s) => s.symbol === '').at(-1)!.state === ServiceState.DEGRADED);
    fake.setSymbolStatus('BTCUSDT', 'TRADING');
    await until('BTCUSDT trading again', () => seen.at(-1)!.symbol !== '' && seen.filter((s) => s.symbol === 'BTCUSDT').at(-1)!.status === InstrumentStatus.TRADING
      && states.filter((s) => s.symbol === '').at(-1)!.state === ServiceState.LIVE);

    expect(bad).toEqual([]);
    collector.kill('SIGTERM');
    expect((await collector.waitForExit(5000)).code).toBe(0);
  });

  it('exits 78 naming the key when an override cannot be a 1e-8 size', async () => {
    const sys = createTestSystem({ symbols: 'symbols = ["BTCUSDT"]\n[overrides.BTCUSDT]\nlot-size = "0.000000001"\n' }, ['BTCUSDT']);
    await startDriver(sys);
    const collector = startService(sys, 'collector');
    expect((await collector.waitForExit(15_000)).code).toBe(78);
    expect(collector.output()).toMatch(/overrides\.BTCUSDT\.lot-size: "0\.000000001" is finer than 1e-8/);
  });
});

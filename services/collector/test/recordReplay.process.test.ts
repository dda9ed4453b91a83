import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Aeron, Context } from '@mm/aeron-client';
import { exchangeInfoSidecarPath } from '@mm/binance';
import { FakeBinanceServer } from '@mm/fake-binance';
import { DecodeResult, InstrumentDecoder, InstrumentStatus } from '@mm/protocol';
import { createTestSystem, startDriver, startService, useProcessTeardown, waitFor } from '@mm/test-support';

/**
 * A recording carries its instruments end to end: the collector records the fake Binance (record mode) and writes
 * the exchangeInfo it fetched beside each recording; a collector replaying those files, with no overrides and no
 * [recorded] tables, publishes the same instruments on 20.
 */
describe('collector record → replay instruments', () => {
  const teardown = useProcessTeardown();

  it('replays the instruments the recording was made with', async () => {
    const fake = teardown.add(new FakeBinanceServer({ seed: 9, depthIntervalMs: 20 }));
    await fake.start();
    const sys = createTestSystem({ symbols: 'symbols = ["BTCUSDT", "ETHUSDT"]\n' });
    const recDir = join(sys.root, 'rec');
    writeFileSync(join(sys.configDir, 'collector.toml'),
      `[binance]\nws-url = "${fake.wsBaseUrl}"\nrest-url = "${fake.restBaseUrl}"\n[record]\nenabled = true\ndir = ${JSON.stringify(recDir)}\n`);
    await startDriver(sys);
    const recorder = startService(sys, 'collector');
    const recordings = (): string[] => (existsSync(recDir) ? readdirSync(recDir).filter((f) => /^(btc|eth)usdt_.*\.gz$/.test(f)).sort() : []);
    await waitFor(() => recordings().length === 2 && recordings().every((f) => existsSync(exchangeInfoSidecarPath(join(recDir, f)))),
      { what: 'both symbols recorded with sidecars', timeoutMs: 20_000, intervalMs: 20 });
    // Some market data in each file before it is closed.
    await waitFor(() => fake!.stats.depthEventsSent >= 40, { what: 'depth frames', timeoutMs: 20_000, intervalMs: 20 });
    recorder.kill('SIGTERM');
    expect((await recorder.waitForExit(10_000)).code).toBe(0);
    const files = recordings().map((f) => join(recDir, f));
    const sidecar = JSON.parse(readFileSync(exchangeInfoSidecarPath(files[0]!), 'utf8')) as { symbols: { symbol: string }[] };
    expect(sidecar.symbols.map((s) => s.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);

    writeFileSync(join(sys.configDir, 'collector.toml'),
      `[source]\nkind = "replay"\nspeed = 0\nfiles = [${files.map((f) => JSON.stringify(f)).join(', ')}]\n[instrument]\nrepublish-interval-ms = 100\n`);
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    const sub = await aeron.addSubscription('aeron:ipc?term-length=64k', 20);
    startService(sys, 'collector');
    const dec = new InstrumentDecoder();
    const seen = new Map<string, { tick: number; step: number; status: number; overridden: number }>();
    await waitFor(() => {
      aeron!.doWork();
      sub.poll((b, o, l) => {
        expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        seen.set(dec.symbol(), { tick: dec.tickSize(), step: dec.stepSize(), status: dec.status(), overridden: dec.overridden() });
      }, 20);
      return seen.size === 2;
    }, { what: 'replayed instruments on 20', timeoutMs: 20_000, intervalMs: 2 });
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const spec = fake.markets.get(symbol)!.spec;
      expect(seen.get(symbol)).toEqual({ tick: spec.tickSize, step: spec.lotSize, status: InstrumentStatus.TRADING, overridden: 0 });
    }
  });
});

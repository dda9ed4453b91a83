import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Aeron, Context } from '@mm/aeron-client';
import { exchangeInfoSidecarPath } from '@mm/binance';
import { BookSnapshotDecoder, DecodeResult, InstrumentDecoder, InstrumentOverride, InstrumentStatus, ServiceState, StateDecoder } from '@mm/protocol';
import { createTestSystem, killAll, removeTempDirs, repoRoot, sharedDir, startDriver, startService, waitFor, type TestSystem } from '@mm/test-support';

/**
 * The collector in replay mode publishes instruments on 20 although it fetches nothing: from the recording's
 * exchangeInfo sidecar, else symbols.toml [recorded.X], overrides winning; a symbol with none is reported not
 * trading on 11 with a log naming the ways to give it one, and its books still replay.
 */
const BODY = readFileSync(join(repoRoot(), 'packages/binance/test/fixtures/exchangeInfo-btcusdt-ethusdt.json'), 'utf8');

/** The first `lines` lines of a shared recording, as the test's own file (named like it, so its symbol is known). */
function slice(sys: TestSystem, name: string, lines: number): string {
  const text = gunzipSync(readFileSync(join(sharedDir(), 'data/binance-spot', name))).toString('utf8');
  const path = join(sys.root, name);
  writeFileSync(path, gzipSync(`${text.split('\n').slice(0, lines).join('\n')}\n`));
  return path;
}

describe('collector replay instruments', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    await killAll();
    removeTempDirs();
  });

  async function replay(sys: TestSystem, files: string[]) {
    writeFileSync(join(sys.configDir, 'collector.toml'),
      `[source]\nkind = "replay"\nspeed = 0\nfiles = [${files.map((f) => JSON.stringify(f)).join(', ')}]\n[instrument]\nrepublish-interval-ms = 100\n`);
    await startDriver(sys);
    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const ch = 'aeron:ipc?term-length=64k';
    const [instrumentSub, stateSub, bookSub] = await Promise.all([20, 11, 10].map((id) => aeron!.addSubscription(ch, id)));
    const collector = startService(sys, 'collector');
    const inst = new InstrumentDecoder();
    const state = new StateDecoder();
    const book = new BookSnapshotDecoder();
    const instruments = new Map<string, { tick: number; step: number; minQty: number; minNotional: number; status: number; overridden: number; exchangeMs: number }>();
    const states: { symbol: string; state: number; reason: string }[] = [];
    const books = new Map<string, number>();
    const poll = (): void => {
      aeron!.doWork();
      instrumentSub.poll((b, o, l) => {
        expect(inst.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
        instruments.set(inst.symbol(), {
          tick: inst.tickSize(), step: inst.stepSize(), minQty: inst.minQty(), minNotional: inst.minNotional(), status: inst.status(),
          overridden: inst.overridden(), exchangeMs: inst.exchangeTimeMs(),
        });
      }, 50);
      stateSub.poll((b, o, l) => {
        if (state.wrapChecked(b, o, l) === DecodeResult.OK && state.service() === 'mm_collector') states.push({ symbol: state.symbol(), state: state.state(), reason: state.reason() });
      }, 50);
      bookSub.poll((b, o, l) => {
        if (book.wrapChecked(b, o, l) === DecodeResult.OK) books.set(book.symbol(), (books.get(book.symbol()) ?? 0) + 1);
      }, 200);
    };
    const until = (what: string, cond: () => boolean) => waitFor(() => { poll(); return cond(); }, { what, timeoutMs: 20_000, intervalMs: 2 });
    return { collector, instruments, states, books, until };
  }

  it('publishes the sidecar\'s instrument, else [recorded], with overrides winning', async () => {
    const sys = createTestSystem({
      symbols: 'symbols = ["BTCUSDT", "ETHUSDT"]\n[overrides.BTCUSDT]\nmin-notional = "12"\n'
        + '[recorded.BTCUSDT]\ntick-size = "1"\nlot-size = "1"\n[recorded.ETHUSDT]\ntick-size = "0.05"\nlot-size = "0.001"\nmin-qty = "0.002"\n',
    });
    const btc = slice(sys, 'btcusdt_20240808.gz', 3000);
    const eth = slice(sys, 'ethusdt_20240808.gz', 3000);
    writeFileSync(exchangeInfoSidecarPath(btc), BODY);
    const r = await replay(sys, [btc, eth]);
    await r.until('both instruments on 20 and books of both', () => r.instruments.size === 2 && r.books.size === 2);
    // BTCUSDT: Binance's values from the sidecar (not [recorded]'s 1 / 1), min notional from the override.
    expect(r.instruments.get('BTCUSDT')).toEqual({
      tick: 1_000_000, step: 1000, minQty: 1000, minNotional: 1_200_000_000, status: InstrumentStatus.TRADING,
      overridden: InstrumentOverride.MIN_NOTIONAL, exchangeMs: 1723161600123,
    });
    // ETHUSDT: no sidecar of its own, but BTCUSDT's (one fetch) describes it: the snapshot beats [recorded].
    expect(r.instruments.get('ETHUSDT')).toMatchObject({ tick: 1_000_000, step: 10_000, status: InstrumentStatus.TRADING, overridden: 0 });
    expect(r.states.some((s) => s.state === ServiceState.HALTED)).toBe(false);
  });

  it('uses [recorded] for a recording without a snapshot, and names the three ways for a symbol with none', async () => {
    const sys = createTestSystem({
      symbols: 'symbols = ["BTCUSDT", "ETHUSDT"]\n[recorded.ETHUSDT]\ntick-size = "0.05"\nlot-size = "0.001"\nmin-qty = "0.002"\n',
    });
    const r = await replay(sys, [slice(sys, 'btcusdt_20240808.gz', 3000), slice(sys, 'ethusdt_20240808.gz', 3000)]);
    await r.until('ETHUSDT on 20, BTCUSDT reported not trading, books of both', () => r.instruments.has('ETHUSDT') && r.books.size === 2
      && r.states.some((s) => s.symbol === 'BTCUSDT' && s.state === ServiceState.HALTED));
    expect(r.instruments.get('ETHUSDT')).toEqual({
      tick: 5_000_000, step: 100_000, minQty: 200_000, minNotional: 0, status: InstrumentStatus.TRADING, overridden: 0, exchangeMs: 0,
    });
    expect(r.instruments.has('BTCUSDT')).toBe(false);
    expect(r.states.find((s) => s.symbol === 'BTCUSDT' && s.state === ServiceState.HALTED)!.reason).toMatch(/no instrument/);
    await waitFor(() => /BTCUSDT: no instrument for a replay or backtest.*\[overrides\.BTCUSDT\].*--exchange-info.*\[recorded\.BTCUSDT\]/.test(logText(sys, r.collector.output())),
      { what: 'the error naming the ways', timeoutMs: 5000, intervalMs: 20 });
  });
});

/** The collector's output and its log files (where its logger writes them). */
function logText(sys: TestSystem, output: string): string {
  let text = output;
  try {
    for (const f of readdirSync(sys.logDir)) text += readFileSync(join(sys.logDir, f), 'utf8');
  } catch {
    // no log dir yet
  }
  return text;
}

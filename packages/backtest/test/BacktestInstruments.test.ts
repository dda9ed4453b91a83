import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exchangeInfoSidecarPath } from '@mm/binance';
import { loadBacktestConfig } from '../src/BacktestConfig.js';
import { runBacktest } from '../src/Backtest.js';
import { BTC_0808, CONFIG_DIR, REPO, SLICE_TO, parseCsv } from './fixtures.js';

/**
 * A backtest fetches no exchangeInfo: its instruments come from symbols.toml overrides > --exchange-info or the
 * recording's sidecar > symbols.toml [recorded.X] (see @mm/collector RecordingInstruments), and reach the
 * strategy, the simulator and pricing.
 */
const SHIPPED_CONFIG = join(REPO, 'config');
const BODY = readFileSync(join(REPO, 'packages/binance/test/fixtures/exchangeInfo-btcusdt-ethusdt.json'), 'utf8');
/** Binance's body with BTCUSDT on a 0.10 tick and a 0.001 step: a grid nobody else uses. */
const COARSE = BODY.replace('"tickSize":"0.01000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"',
  '"tickSize":"0.10000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00100000"');

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mm-backtest-inst-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The tests' config dir without the BTCUSDT override, plus `symbolsExtra`. */
function configWithout(symbolsExtra = ''): string {
  const d = tempDir();
  copyFileSync(join(CONFIG_DIR, 'strategy.toml'), join(d, 'strategy.toml'));
  writeFileSync(join(d, 'symbols.toml'), `symbols = ["BTCUSDT"]\n${symbolsExtra}`);
  return d;
}

function quotePrices(csv: readonly string[]): number[] {
  return parseCsv(csv.join('\n')).filter((r) => r.type === 'quote').flatMap((r) => [r.bid_price!, r.ask_price!]).filter((p) => p !== '')
    .map((p) => Math.round(Number(p) * 1e8));
}

describe('backtest instruments', () => {
  it('should run and fill with the shipped config/ ([recorded.BTCUSDT]) on the shared recording', async () => {
    const r = await runBacktest({ files: [BTC_0808], configDir: SHIPPED_CONFIG, to: SLICE_TO, env: {} });
    expect(r.config.symbols).toEqual(['BTCUSDT']);
    expect(r.config.instruments.get('BTCUSDT')).toMatchObject({ source: '[recorded.BTCUSDT]', instrument: { tickSizeE8: 1_000_000, stepSizeE8: 1000 } });
    expect(r.log.counts.quotes).toBeGreaterThan(10);
    expect(r.summary.total.fills).toBeGreaterThan(0);
  });

  it('should take the recording\'s sidecar over [recorded]: quotes on its grid, pricing on its tick', async () => {
    const d = tempDir();
    const data = join(d, 'btcusdt_20240808.gz');
    copyFileSync(BTC_0808, data);
    writeFileSync(exchangeInfoSidecarPath(data), COARSE);
    const config = configWithout('[recorded.BTCUSDT]\ntick-size = "0.01"\nlot-size = "0.00001"\n');
    const r = await runBacktest({ files: [data], configDir: config, to: SLICE_TO, env: {} });
    expect(r.config.instruments.get('BTCUSDT')!.source).toBe(exchangeInfoSidecarPath(data));
    expect(r.config.pricing[0]!.config.tickSize).toBe(0.1);
    const prices = quotePrices(r.log.csv);
    expect(prices.length).toBeGreaterThan(10);
    expect(prices.filter((p) => p % 10_000_000 !== 0)).toEqual([]);
    // Without the sidecar the same run quotes on [recorded]'s 0.01 grid (so the check above can fail).
    rmSync(exchangeInfoSidecarPath(data));
    const fine = await runBacktest({ files: [data], configDir: config, to: SLICE_TO, env: {} });
    expect(fine.config.instruments.get('BTCUSDT')!.source).toBe('[recorded.BTCUSDT]');
    expect(quotePrices(fine.log.csv).some((p) => p % 10_000_000 !== 0)).toBe(true);
  });

  it('should take --exchange-info over the sidecar and overrides over both, field by field', () => {
    const d = tempDir();
    const data = join(d, 'btcusdt_20240808.gz');
    writeFileSync(exchangeInfoSidecarPath(data), BODY);
    const explicit = join(d, 'info.json');
    writeFileSync(explicit, COARSE);
    const config = configWithout('[overrides.BTCUSDT]\nmin-notional = "11"\n');
    const c = loadBacktestConfig({ configDir: config, files: [data], exchangeInfo: explicit, env: {} });
    expect(c.instruments.get('BTCUSDT')!.source).toBe(`${explicit} with overrides`);
    expect(c.symbolOverrides.BTCUSDT).toEqual({ tickSize: '0.10000000', lotSize: '0.00100000', minQty: '0.00001000', minNotional: '11.00000000', status: 'TRADING' });
    expect(c.simulator.symbols.find((s) => s.symbol === 'BTCUSDT')).toMatchObject({ lotE8: 100_000 });
  });

  it('should refuse a symbol without an instrument, naming it and the three ways', async () => {
    const config = configWithout();
    await expect(runBacktest({ files: [BTC_0808], configDir: config, to: SLICE_TO, env: {} })).rejects.toThrow(
      /BTCUSDT: no instrument for a replay or backtest .*\[overrides\.BTCUSDT\].*--exchange-info <file>.*\[recorded\.BTCUSDT\]/s);
    await expect(runBacktest({ files: [BTC_0808], configDir: config, to: SLICE_TO, env: {} })).rejects.toMatchObject({ name: 'BacktestConfigError' });
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BTC_0808, REPO, SLICE_TO, parseCsv } from './fixtures.js';

// The README's example as a user runs it: the compiled CLI (build first), the shipped config/ (no --config, no
// MM_CONFIG_DIR), a recording without an exchangeInfo sidecar.
const out = mkdtempSync(join(tmpdir(), 'mm-backtest-shipped-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MM_')));
const mm = (...args: string[]) => spawnSync(process.execPath, [join(REPO, 'packages/cli/dist/main.js'), 'backtest', ...args], { encoding: 'utf8', cwd: REPO, env, timeout: 60_000 });

describe('mm backtest with the shipped config/', () => {
  it('should quote and fill on the shared recording ([recorded.BTCUSDT] gives the instrument)', () => {
    const dir = join(out, 'readme');
    const r = mm('--data', BTC_0808, '--to', SLICE_TO, '--out', dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { total: { fills: number } };
    expect(summary.total.fills).toBeGreaterThan(0);
  });

  it('should quote on the grid of --exchange-info', () => {
    const body = readFileSync(join(REPO, 'packages/binance/test/fixtures/exchangeInfo-btcusdt-ethusdt.json'), 'utf8')
      .replace('"tickSize":"0.01000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000"', '"tickSize":"0.50000000"},{"filterType":"LOT_SIZE","minQty":"0.00001000"');
    const info = join(out, 'info.json');
    writeFileSync(info, body);
    const dir = join(out, 'coarse');
    const r = mm('--data', BTC_0808, '--to', SLICE_TO, '--out', dir, '--exchange-info', info);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const prices = parseCsv(readFileSync(join(dir, 'events.csv'), 'utf8')).filter((x) => x.type === 'quote')
      .flatMap((x) => [x.bid_price!, x.ask_price!]).filter((p) => p !== '').map((p) => Math.round(Number(p) * 1e8));
    expect(prices.length).toBeGreaterThan(10);
    expect(prices.filter((p) => p % 50_000_000 !== 0)).toEqual([]);
    const missing = mm('--data', BTC_0808, '--to', SLICE_TO, '--out', join(out, 'x'), '--exchange-info', join(out, 'nope.json'));
    expect(missing.status).toBe(78);
    expect(missing.stderr).toMatch(/exchangeInfo file .*nope\.json does not exist/);
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBacktest, type BacktestResult } from '../src/Backtest.js';
import { OUTPUT_FILES, writeOutputs } from '../src/Outputs.js';
import { BTC_0808, CONFIG_DIR, SLICE_TO, parseCsv } from './fixtures.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mm-backtest-test-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('backtest on a slice of the BTCUSDT recording', () => {
  let first: BacktestResult;
  let firstDir: string;

  beforeAll(async () => {
    first = await runBacktest({ files: [BTC_0808], configDir: CONFIG_DIR, to: SLICE_TO });
    firstDir = tempDir();
    writeOutputs(first, firstDir);
  });

  it('should trade: quotes, fills and positions come out of the real agents', () => {
    expect(first.config.symbols).toEqual(['BTCUSDT']);
    expect(first.log.counts.quotes).toBeGreaterThan(10);
    expect(first.summary.total.fills).toBeGreaterThan(0);
    expect(first.log.counts.positions).toBeGreaterThan(0);
    expect(first.counters.tapBad).toBe(0);
    expect(first.counters.simulator?.bad).toBe(0);
  });

  it('should give byte-identical outputs for the same inputs and config', async () => {
    const second = await runBacktest({ files: [BTC_0808], configDir: CONFIG_DIR, to: SLICE_TO });
    const dir = tempDir();
    writeOutputs(second, dir);
    const compared = Object.values(OUTPUT_FILES).filter((f) => f !== OUTPUT_FILES.run);
    for (const f of compared) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(firstDir, f))), f).toBe(true);
    }
    expect(readdirSync(dir).sort()).toEqual(Object.values(OUTPUT_FILES).sort());
  });

  it('should give different fills when a strategy parameter changes (the parameters reach the agents)', async () => {
    const other = await runBacktest({ files: [BTC_0808], configDir: CONFIG_DIR, to: SLICE_TO, params: { 'min-spread-bps': '8' } });
    expect(other.log.csv.join('\n')).not.toEqual(first.log.csv.join('\n'));
  });

  it('should have summary numbers that equal the event log', () => {
    const rows = parseCsv(readFileSync(join(firstDir, OUTPUT_FILES.eventsCsv), 'utf8'));
    const fills = rows.filter((r) => r.type === 'fill');
    const s = first.summary.symbols[0]!;
    expect(fills.length).toBe(s.fills);
    expect(fills.length).toBe(first.summary.total.fills);
    const toE8 = (x: string): number => Math.round(Number(x) * 1e8);
    const feesE8 = fills.reduce((t, f) => t + toE8(f.fee!), 0);
    expect(toE8(String(s.fees))).toBe(feesE8);
    const inventoryE8 = fills.reduce((t, f) => t + (f.side === 'BUY' ? 1 : -1) * toE8(f.qty!), 0);
    expect(toE8(String(s.finalInventory))).toBe(inventoryE8);
    // The venue's own position (17) after the last fill agrees with the sum of fills.
    const lastFillId = Number(fills[fills.length - 1]!.id);
    const positions = rows.filter((r) => r.type === 'position' && Number(r.id) === lastFillId);
    expect(positions.length).toBeGreaterThan(0);
    expect(toE8(positions[positions.length - 1]!.position!)).toBe(inventoryE8);
    // PnL = cash from fills − fees + inventory × last mid.
    const cash = fills.reduce((t, f) => t + (f.side === 'BUY' ? -1 : 1) * Number(f.price) * Number(f.qty), 0);
    expect(s.pnl).toBeCloseTo(cash - feesE8 / 1e8 + (inventoryE8 / 1e8) * s.lastMid!, 5);
    expect(s.buys + s.sells).toBe(s.fills);
    expect(fills.filter((f) => f.side === 'BUY').length).toBe(s.buys);
    expect(rows.filter((r) => r.type === 'quote').length).toBe(s.quotes);
    // Fill ids are the venue's: contiguous from 1.
    expect(fills.map((f) => Number(f.id))).toEqual(fills.map((_, i) => i + 1));
    expect(s.quoteUptime).toBeGreaterThan(0);
    expect(s.quoteUptime).toBeLessThanOrEqual(1);
  });

  it('should write a self-contained HTML report with charts', () => {
    const html = readFileSync(join(firstDir, OUTPUT_FILES.report), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)?.length).toBe(3 * first.config.symbols.length);
    expect(html).toContain('BTCUSDT price');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    // Fill markers are drawn: one closed triangle per fill, in the buy and sell marker paths.
    const markerPaths = [...html.matchAll(/<path d="([^"]*)" fill="#(063|900)"/g)];
    const triangles = markerPaths.reduce((n, m) => n + (m[1]!.match(/Z/g) ?? []).length, 0);
    expect(triangles).toBe(first.summary.total.fills);
  });

  it('should start trading at --from and deliver nothing after --to', async () => {
    const r = await runBacktest({ files: [BTC_0808], configDir: CONFIG_DIR, from: '2024-08-08T23:55:00Z', to: '2024-08-08T23:55:40Z' });
    expect(r.summary.start >= '2024-08-08T23:55:00').toBe(true);
    expect(r.summary.start < '2024-08-08T23:55:00.011').toBe(true);
    expect(r.summary.end <= '2024-08-08T23:55:40').toBe(true);
    const rows = parseCsv(r.log.csv.join('\n'));
    expect(rows.every((x) => x.time! >= '2024-08-08T23:55:00' && x.time! <= '2024-08-08T23:55:40')).toBe(true);
  });

  it('should refuse a range that ends before it starts, and unknown parameters', async () => {
    await expect(runBacktest({ files: [BTC_0808], configDir: CONFIG_DIR, from: '2024-08-08T23:56:00Z', to: '2024-08-08T23:55:00Z' })).rejects.toThrow(/--to .* must be after --from/);
    await expect(runBacktest({ files: [BTC_0808], configDir: CONFIG_DIR, params: { gama: '1' } })).rejects.toThrow(/unknown parameter 'gama'/);
  });
});

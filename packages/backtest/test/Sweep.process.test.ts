import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandGrid, runSweep } from '../src/Sweep.js';
import { BTC_0808, CONFIG_DIR } from './fixtures.js';

// Runs in worker threads from the package's dist/ (build first: npx tsc -b packages/backtest).
const out = mkdtempSync(join(tmpdir(), 'mm-sweep-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('parameter sweep', () => {
  it('should expand a grid with the first parameter varying slowest', () => {
    expect(expandGrid({ gamma: ['0.05', '0.2'], 'min-spread-bps': ['2', '8'] })).toEqual([
      { gamma: '0.05', 'min-spread-bps': '2' }, { gamma: '0.05', 'min-spread-bps': '8' },
      { gamma: '0.2', 'min-spread-bps': '2' }, { gamma: '0.2', 'min-spread-bps': '8' },
    ]);
    expect(() => expandGrid({ gamme: ['1'] })).toThrow(/unknown parameter 'gamme'/);
  });

  it('should run a 2x2 grid in parallel workers and tabulate 4 rows in grid order', async () => {
    const done: number[] = [];
    const rows = await runSweep({
      files: [BTC_0808], configDir: CONFIG_DIR, to: '2024-08-08T23:55:30Z', outDir: out, parallelism: 2,
      grid: { gamma: ['0.05', '0.2'], 'min-spread-bps': ['2', '8'] },
      onRunDone: (_row, n) => done.push(n),
    });
    expect(done).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined]);
    expect(rows.map((r) => r.params)).toEqual(expandGrid({ gamma: ['0.05', '0.2'], 'min-spread-bps': ['2', '8'] }));
    const csv = readFileSync(join(out, 'sweep.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(1 + 4);
    expect(csv[0]).toMatch(/^run,gamma,min-spread-bps,pnl,/);
    const md = readFileSync(join(out, 'sweep.md'), 'utf8').trimEnd().split('\n');
    expect(md).toHaveLength(2 + 4);
    for (const [i, r] of rows.entries()) {
      expect(csv[i + 1]!.startsWith(`${i + 1},${r.params.gamma},${r.params['min-spread-bps']},${r.summary!.total.pnl},`)).toBe(true);
      const written = JSON.parse(readFileSync(join(r.dir, 'summary.json'), 'utf8')) as unknown;
      expect(written).toEqual(r.summary);
      expect(existsSync(join(r.dir, 'report.html'))).toBe(true);
    }
    // A wider minimum spread quotes farther away: it cannot be the same run as the narrow one.
    expect(rows[1]!.summary).not.toEqual(rows[0]!.summary);
  });
});

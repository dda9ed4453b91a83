import { mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BacktestOptions } from './Backtest.js';
import { parameterVariable } from './BacktestConfig.js';
import type { Summary } from './Summary.js';

/**
 * A parameter sweep: every combination of a grid (`{ gamma: ['0.05', '0.1'], 'min-spread-bps': ['1', '2'] }`)
 * is one full backtest in its own worker thread (its own V8 heap and event loop; nothing shared), at most
 * `parallelism` (default `os.availableParallelism()`) at once. Each run writes its usual files to
 * `<outDir>/run-<n>/`; the results table (`sweep.md`, `sweep.csv`) lists the runs in grid order, so it does not
 * depend on which run finished first. A run that fails is listed with its error; the others still run.
 *
 * The worker is the compiled `SweepWorker.js` (when this module runs from sources, e.g. under vitest, the
 * package's `dist/` copy is used, so build first).
 */
export type SweepGrid = Readonly<Record<string, readonly string[]>>;

export interface SweepOptions extends Omit<BacktestOptions, 'observers' | 'params'> {
  readonly grid: SweepGrid;
  /** Fixed overrides applied to every run (grid values win). */
  readonly params?: Readonly<Record<string, string>> | undefined;
  readonly outDir: string;
  readonly parallelism?: number | undefined;
  readonly onRunDone?: ((row: SweepRow, done: number, total: number) => void) | undefined;
}

export interface SweepRow {
  readonly run: number;
  readonly params: Readonly<Record<string, string>>;
  readonly dir: string;
  readonly summary?: Summary;
  readonly error?: string;
}

export interface SweepWorkerInput {
  readonly options: Omit<BacktestOptions, 'observers'>;
  readonly dir: string;
  readonly title: string;
}

export type SweepWorkerOutput = { readonly ok: true; readonly summary: Summary } | { readonly ok: false; readonly error: string };

/** Every combination of the grid, first key varying slowest. */
export function expandGrid(grid: SweepGrid): Record<string, string>[] {
  let combos: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    parameterVariable(name); // validates the name before any run starts
    if (values.length === 0) throw new RangeError(`sweep parameter '${name}' has no values`);
    const next: Record<string, string>[] = [];
    for (const c of combos) for (const v of values) next.push({ ...c, [name]: v });
    combos = next;
  }
  return combos;
}

function workerPath(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? join(dirname(here), '..', 'dist', 'SweepWorker.js') : join(dirname(here), 'SweepWorker.js');
}

function runInWorker(input: SweepWorkerInput): Promise<SweepWorkerOutput> {
  return new Promise((resolve) => {
    // No inherited execArgv: a test runner's `--conditions source` would make the worker load .ts sources.
    const worker = new Worker(workerPath(), { workerData: input, execArgv: [] });
    let answered = false;
    worker.once('message', (m: SweepWorkerOutput) => {
      answered = true;
      resolve(m);
    });
    worker.once('error', (e) => {
      answered = true;
      resolve({ ok: false, error: e instanceof Error ? e.message : String(e) });
    });
    worker.once('exit', (code) => {
      if (!answered) resolve({ ok: false, error: `worker exited with code ${code} without a result` });
    });
  });
}

export async function runSweep(options: SweepOptions): Promise<SweepRow[]> {
  const combos = expandGrid(options.grid);
  const available = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const parallelism = Math.max(1, Math.min(options.parallelism ?? available, combos.length));
  mkdirSync(options.outDir, { recursive: true });
  const { grid: _grid, outDir, parallelism: _p, onRunDone, params: fixedParams, ...base } = options;
  const rows: SweepRow[] = new Array(combos.length);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < combos.length) {
      const i = next++;
      const params = combos[i]!;
      const dir = join(outDir, `run-${String(i + 1).padStart(3, '0')}`);
      const title = `Backtest ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(' ')}`;
      const result = await runInWorker({ options: { ...base, params: { ...fixedParams, ...params } }, dir, title });
      const row: SweepRow = result.ok ? { run: i + 1, params, dir, summary: result.summary } : { run: i + 1, params, dir, error: result.error };
      rows[i] = row;
      onRunDone?.(row, ++done, combos.length);
    }
  };
  await Promise.all(Array.from({ length: parallelism }, () => lane()));
  writeFileSync(join(outDir, 'sweep.md'), sweepMarkdown(rows, Object.keys(options.grid)));
  writeFileSync(join(outDir, 'sweep.csv'), sweepCsv(rows, Object.keys(options.grid)));
  return rows;
}

const METRICS = ['pnl', 'gross_pnl', 'fees', 'fills', 'fills_per_min', 'quotes', 'quote_uptime', 'spread_captured_bps', 'inventory_std_max', 'error'] as const;

function metrics(row: SweepRow): string[] {
  const s = row.summary;
  if (!s) return ['', '', '', '', '', '', '', '', '', row.error ?? 'failed'];
  const mean = (f: (x: Summary['symbols'][number]) => number | null): string => {
    const v = s.symbols.map(f).filter((x): x is number => x !== null);
    return v.length === 0 ? '' : (v.reduce((a, b) => a + b, 0) / v.length).toFixed(6);
  };
  return [
    String(s.total.pnl), String(s.total.grossPnl), String(s.total.fees), String(s.total.fills), String(s.total.fillsPerMinute),
    String(s.total.quotes), mean((x) => x.quoteUptime), mean((x) => x.avgSpreadCapturedBps),
    String(Math.max(0, ...s.symbols.map((x) => x.inventoryStd))), '',
  ];
}

export function sweepMarkdown(rows: readonly SweepRow[], names: readonly string[]): string {
  const header = ['run', ...names, ...METRICS];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${[String(r.run), ...names.map((n) => r.params[n] ?? ''), ...metrics(r)].join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function sweepCsv(rows: readonly SweepRow[], names: readonly string[]): string {
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['run', ...names, ...METRICS].join(',')];
  for (const r of rows) lines.push([String(r.run), ...names.map((n) => r.params[n] ?? ''), ...metrics(r)].map(q).join(','));
  return `${lines.join('\n')}\n`;
}

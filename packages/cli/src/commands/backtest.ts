import { resolve } from 'node:path';
import { runBacktest, runSweep, summaryMarkdown, sweepMarkdown, throughput, writeOutputs } from '@mm/backtest';
import { UsageError } from '../args.js';

/**
 * `mm backtest`: a recording through the product's pricing, strategy and simulator code in one process (see
 * @mm/backtest), or a parameter sweep of such runs in parallel worker threads.
 *
 *   mm backtest --data <file>[,<file>...] [--data <file>] [--config <dir>] [--from <time>] [--to <time>]
 *               [--out <dir>] [--symbols BTCUSDT,...] [--param name=value]... [--max-step-ms N]
 *               [--sweep name=v1,v2,...]... [--parallelism N] [--exchange-info <file>]
 *
 * Instruments (tick, step, minimums, status): symbols.toml [overrides.X] > --exchange-info <file> (an exchangeInfo
 * JSON) or the recordings' <recording>.exchangeInfo.json sidecars > symbols.toml [recorded.X].
 *
 * Times are ISO-8601 (2024-08-08T23:55:00Z) or epoch milliseconds. Parameters are aliases (gamma, min-spread-bps,
 * entry-us, ...) or `<service>.<section>.<key>` paths of the services' TOML. Exit 0 on success, 1 if a sweep run
 * failed, 2 on bad arguments or data (wrong times, no recording), 78 on invalid configuration.
 */
const SINGLE = ['config', 'from', 'to', 'out', 'symbols', 'max-step-ms', 'parallelism', 'exchange-info'] as const;
const MULTI = ['data', 'sweep', 'param'] as const;

export const BACKTEST_USAGE = `mm backtest --data <recording>[,<recording>...] [--config <dir>] [--from <time>] [--to <time>] [--out <dir>]
            [--symbols A,B] [--param name=value]... [--sweep name=v1,v2]... [--parallelism N] [--max-step-ms N]
            [--exchange-info <exchangeInfo.json>]`;

interface BacktestArgs {
  single: Map<string, string>;
  multi: Map<string, string[]>;
}

function parse(argv: readonly string[]): BacktestArgs {
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>(MULTI.map((m) => [m, []]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new UsageError(`mm backtest: unexpected argument '${a}'\n${BACKTEST_USAGE}`);
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const value: string | undefined = eq < 0 ? argv[++i] : a.slice(eq + 1);
    if (!(SINGLE as readonly string[]).includes(name) && !(MULTI as readonly string[]).includes(name)) {
      throw new UsageError(`mm backtest: unknown option --${name} (known: ${[...MULTI, ...SINGLE].map((k) => `--${k}`).join(', ')})`);
    }
    if (value === undefined || value === '') throw new UsageError(`mm backtest: --${name} needs a value`);
    if (multi.has(name)) multi.get(name)!.push(value);
    else single.set(name, value);
  }
  return { single, multi };
}

function nameValue(text: string, flag: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) throw new UsageError(`mm backtest: --${flag} expects name=value, got '${text}'`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`mm backtest: --${flag} must be a positive number, got '${text}'`);
  return n;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');
}

export async function backtest(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${BACKTEST_USAGE}\n\nTimes: ISO-8601 or epoch ms. Parameters: gamma, min-spread-bps, model, min-interval-ms, entry-us, cancel-us,\nmaker-bps, taker-bps, queue, or <service>.<section>.<key>. Outputs: summary.json/md, events.csv/jsonl, report.html.\nInstruments: symbols.toml [overrides.X] > --exchange-info or the recordings' <recording>.exchangeInfo.json > symbols.toml [recorded.X].\n`);
    return 0;
  }
  const args = parse(argv);
  const files = args.multi.get('data')!.flatMap((d) => d.split(',')).map((f) => f.trim()).filter((f) => f !== '').map((f) => resolve(f));
  if (files.length === 0) throw new UsageError(`mm backtest needs --data <recording>\n${BACKTEST_USAGE}`);
  const params: Record<string, string> = {};
  for (const p of args.multi.get('param')!) {
    const [k, v] = nameValue(p, 'param');
    params[k] = v;
  }
  const grid: Record<string, string[]> = {};
  for (const s of args.multi.get('sweep')!) {
    const [k, v] = nameValue(s, 'sweep');
    grid[k] = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  }
  const configDir = args.single.get('config');
  const symbols = args.single.get('symbols')?.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  const out = resolve(args.single.get('out') ?? `backtest-results/${stamp(Date.now())}`);
  const base = {
    files,
    configDir: configDir !== undefined ? resolve(configDir) : undefined,
    from: args.single.get('from'),
    to: args.single.get('to'),
    symbols,
    maxStepMs: positiveInt(args.single.get('max-step-ms'), 'max-step-ms'),
    exchangeInfo: args.single.has('exchange-info') ? resolve(args.single.get('exchange-info')!) : undefined,
  };
  try {
    if (Object.keys(grid).length > 0) {
      const rows = await runSweep({
        ...base, params, grid, outDir: out, parallelism: positiveInt(args.single.get('parallelism'), 'parallelism'),
        onRunDone: (row, done, total) => {
          const p = Object.entries(row.params).map(([k, v]) => `${k}=${v}`).join(' ');
          process.stderr.write(`[${done}/${total}] ${p}: ${row.summary ? `PnL ${row.summary.total.pnl}, ${row.summary.total.fills} fills` : `FAILED: ${row.error}`}\n`);
        },
      });
      process.stdout.write(sweepMarkdown(rows, Object.keys(grid)));
      process.stdout.write(`\nresults: ${out}/sweep.md, ${out}/sweep.csv, one folder per run\n`);
      return rows.every((r) => r.summary !== undefined) ? 0 : 1;
    }
    const result = await runBacktest({ ...base, params });
    const paths = writeOutputs(result, out);
    const t = throughput(result);
    process.stdout.write(summaryMarkdown(result.summary));
    process.stdout.write(`\n${t.lines} events (${t.marketEvents} book/trade updates) over ${t.dataSeconds} s of data in ${t.wallSeconds} s: ${t.linesPerSecond} events/s, ${t.speedUp}x real time\n`);
    process.stdout.write(`report: ${paths.report}\nevents: ${paths.eventsCsv}, ${paths.eventsJsonl}\nsummary: ${paths.summaryJson}\n`);
    return 0;
  } catch (error) {
    if (error instanceof Error && (error.name === 'ConfigError' || error.name === 'BacktestConfigError')) {
      process.stderr.write(`mm backtest: invalid configuration: ${error.message}\n`);
      return 78;
    }
    if (error instanceof RangeError || (error instanceof Error && 'code' in error && error.code === 'ENOENT')) {
      process.stderr.write(`mm backtest: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

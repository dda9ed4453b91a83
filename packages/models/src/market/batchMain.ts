#!/usr/bin/env node
/**
 * Model-market batch (Avellaneda & Stoikov 2008 §4): prints mean and standard deviation of the average spread,
 * profit and final inventory for the inventory strategy and the symmetric strategy.
 * Usage: node dist/market/batchMain.js [--s0 100] [--T 1] [--sigma 2] [--dt 0.005] [--k 1.5] [--A 140]
 *        [--gamma 0.1] [--runs 1000] [--seed 1]
 * Exit codes: 0 ok, 2 bad arguments (message on stderr).
 */
import { pathToFileURL } from 'node:url';
import { type BatchStats, type ModelMarketParams, runPaperComparison } from './ModelMarket.js';

export interface BatchArgs extends ModelMarketParams {
  readonly gamma: number;
  readonly runs: number;
  readonly seed: number;
}

export const DEFAULT_BATCH_ARGS: BatchArgs = { s0: 100, T: 1, sigma: 2, dt: 0.005, k: 1.5, A: 140, gamma: 0.1, runs: 1000, seed: 1 };

const KEYS = ['s0', 'T', 'sigma', 'dt', 'k', 'A', 'gamma', 'runs', 'seed'] as const;

/** Parses --key value / --key=value pairs; throws a RangeError naming the bad argument. */
export function parseBatchArgs(argv: readonly string[]): BatchArgs {
  const out: Record<string, number> = { ...DEFAULT_BATCH_ARGS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new RangeError(`unexpected argument ${JSON.stringify(arg)}`);
    let key = arg.slice(2);
    let value: string | undefined;
    const eq = key.indexOf('=');
    if (eq >= 0) {
      value = key.slice(eq + 1);
      key = key.slice(0, eq);
    } else {
      value = argv[++i];
    }
    if (!(KEYS as readonly string[]).includes(key)) throw new RangeError(`unknown option --${key} (known: ${KEYS.map((k) => `--${k}`).join(' ')})`);
    if (value === undefined || value.trim() === '' || !Number.isFinite(Number(value))) {
      throw new RangeError(`--${key} needs a number, got ${JSON.stringify(value)}`);
    }
    out[key] = Number(value);
  }
  return out as unknown as BatchArgs;
}

function row(name: string, s: BatchStats): string {
  const f = (v: number): string => v.toFixed(2).padStart(8);
  return `${name.padEnd(10)}${f(s.spread.mean)}${f(s.profit.mean)}${f(s.profit.std)}${f(s.finalQ.mean)}${f(s.finalQ.std)}`;
}

export function formatComparison(args: BatchArgs, inventory: BatchStats, symmetric: BatchStats): string {
  return [
    `model market: s0=${args.s0} T=${args.T} sigma=${args.sigma} dt=${args.dt} k=${args.k} A=${args.A} gamma=${args.gamma} runs=${args.runs} seed=${args.seed}`,
    `${'strategy'.padEnd(10)}${'spread'.padStart(8)}${'profit'.padStart(8)}${'std(P)'.padStart(8)}${'q_T'.padStart(8)}${'std(q)'.padStart(8)}`,
    row('inventory', inventory),
    row('symmetric', symmetric),
    `(spread = mean over runs of each run's average quoted spread; std(spread): inventory ${inventory.spread.std.toFixed(3)}, symmetric ${symmetric.spread.std.toFixed(3)})`,
  ].join('\n');
}

export function main(argv: readonly string[]): number {
  let args: BatchArgs;
  try {
    args = parseBatchArgs(argv);
    const { inventory, symmetric } = runPaperComparison(args, args.gamma, args.runs, args.seed);
    process.stdout.write(`${formatComparison(args, inventory, symmetric)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof RangeError) {
      process.stderr.write(`batch: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}

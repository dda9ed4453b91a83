// Backtest throughput: the 11-minute BTCUSDT recording (btcusdt_20240808.gz + btcusdt_20240809.gz, 99 574 lines,
// 650 s of data) through the whole one-process pipeline (adapter + depth sync, collector publisher, pricing,
// strategy, simulator, event log / summary / report observers) with the shipped config. Reports recording lines
// (events) per wall second, book+trade updates per second and the speed-up over real time, best of N runs, and,
// as a baseline, the replay source alone (load + parse + depth sync into a no-op sink).
// Run: npx tsc -b packages/backtest && node packages/backtest/bench/backtest.bench.mjs [runs=3] [--both-symbols]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceObserver } from 'node:perf_hooks';
import { ReplaySource } from '@mm/binance';
import { ManualClock } from '@mm/runtime';
import { runBacktest, throughput } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '../../../../shared/data/binance-spot');
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 3);
const both = process.argv.includes('--both-symbols');
const files = both
  ? ['btcusdt_20240808.gz', 'btcusdt_20240809.gz', 'ethusdt_20240808.gz', 'ethusdt_20240809.gz'].map((f) => join(data, f))
  : ['btcusdt_20240808.gz', 'btcusdt_20240809.gz'].map((f) => join(data, f));
const configDir = join(here, '../../../config');

let gcs = 0;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) { gcs++; gcMs += e.duration; }
}).observe({ entryTypes: ['gc'] });

async function replayOnly() {
  const symbols = both ? ['BTCUSDT', 'ETHUSDT'] : ['BTCUSDT'];
  const source = new ReplaySource({
    files: files.map((path) => ({ path, symbol: path.includes('btcusdt') ? 'BTCUSDT' : 'ETHUSDT' })),
    symbols, clock: new ManualClock(), pace: 'recorded',
  });
  let events = 0;
  const t0 = performance.now();
  await source.start({ onBook: () => { events++; }, onTrade: () => { events++; } });
  const lines = source.pump(Infinity);
  return { lines, events, wallS: (performance.now() - t0) / 1000 };
}

console.log(`backtest benchmark: ${files.map((f) => f.split('/').pop()).join(' + ')}, best of ${runs}, Node ${process.version}`);
let best;
for (let i = 0; i < runs; i++) {
  gcs = 0; gcMs = 0;
  const r = await runBacktest({ files, configDir });
  const t = throughput(r);
  console.log(`  run ${i + 1}: ${t.lines} lines, ${t.marketEvents} book/trade updates, ${t.dataSeconds} s of data in ${t.wallSeconds} s → ${t.linesPerSecond} lines/s, ${Math.round(t.marketEvents / t.wallSeconds)} updates/s, ${t.speedUp}x real time; ${r.summary.total.fills} fills, ${r.summary.total.quotes} quotes; GC ${gcs} × ${gcMs.toFixed(0)} ms`);
  if (!best || t.wallSeconds < best.wallSeconds) best = t;
}
let baseline;
for (let i = 0; i < runs; i++) {
  const b = await replayOnly();
  if (!baseline || b.wallS < baseline.wallS) baseline = b;
}
console.log(`best: ${best.linesPerSecond} events/s (${Math.round(best.marketEvents / best.wallSeconds)} book/trade updates/s), ${best.speedUp}x faster than real time (${best.dataSeconds} s of data in ${best.wallSeconds} s)`);
console.log(`baseline, replay source alone (load + parse + depth sync, no pipeline): ${Math.round(baseline.lines / baseline.wallS)} lines/s (${baseline.wallS.toFixed(3)} s)`);

#!/usr/bin/env node
// Cold code on this machine: how much slower the same pure function (PricingEngine.onBook + poll: no I/O, no
// allocation) runs when it has not run for a while — with this thread busy spinning the whole time, so no sleep,
// CPU power state or wake-up is involved; only what the caches and predictors kept of it. For each gap it reports the
// first call after the gap and the call right after it (p50/p90 over 300 gaps). This is the floor under any
// per-tick latency here: a tick every 25-50 ms finds the whole path in this state (see tick-to-quote in BENCHMARKS.md).
//   pnpm build && node packages/models/bench/coldPath.bench.mjs
import { execSync } from 'node:child_process';
import { PricingEngine } from '@mm/models';

const engine = new PricingEngine({});
const bidPx = new Float64Array(20), bidQty = new Float64Array(20), askPx = new Float64Array(20), askQty = new Float64Array(20);
let t = 1e12;
let px = 6_700_000_000_000;
let seed = 7;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
engine.setBookSynced(true);

/** One book update through the engine; returns its duration in µs (the book is prepared outside the timing). */
function step() {
  px += Math.round((rand() - 0.5) * 3) * 1e6;
  for (let i = 0; i < 20; i++) {
    bidPx[i] = px - (i + 1) * 1e6; askPx[i] = px + (i + 1) * 1e6;
    bidQty[i] = Math.round(1e8 * rand()); askQty[i] = Math.round(1e8 * rand());
  }
  t += 25e6;
  const t0 = performance.now();
  engine.onBook(t, bidPx, bidQty, 20, askPx, askQty, 20);
  engine.poll(t);
  return (performance.now() - t0) * 1000;
}

const q = (xs, p) => +xs[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(2);
for (let i = 0; i < 200_000; i++) step(); // optimised by V8 before any figure is taken
const hot = [];
for (let i = 0; i < 100_000; i++) hot.push(step());
hot.sort((a, b) => a - b);
const rows = [{ gap_ms: 0, first_p50_us: q(hot, 0.5), first_p90_us: q(hot, 0.9), next_p50_us: q(hot, 0.5) }];
for (const gapMs of [0.1, 0.5, 1, 2, 5, 10, 25, 50]) {
  const first = [];
  const next = [];
  for (let i = 0; i < 300; i++) {
    const until = performance.now() + gapMs;
    while (performance.now() < until); // busy: the thread keeps its CPU
    first.push(step());
    next.push(step());
  }
  first.sort((a, b) => a - b);
  next.sort((a, b) => a - b);
  rows.push({ gap_ms: gapMs, first_p50_us: q(first, 0.5), first_p90_us: q(first, 0.9), next_p50_us: q(next, 0.5) });
}
let load = '';
try { load = execSync('uptime', { encoding: 'utf8' }).trim(); } catch { /* no uptime */ }
console.table(rows);
console.log(JSON.stringify({ bench: 'cold-path', node: process.version, load, rows }));

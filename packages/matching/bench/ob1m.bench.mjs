#!/usr/bin/env node
// OB-1M benchmark: @mm/matching's MatchingCore vs nodejs-order-book 10.1.1 on the same op stream, same process.
//
//   pnpm build && node packages/matching/bench/ob1m.bench.mjs [--ops 1000000] [--warm 3] [--workload <workload.mjs>]
//
// Timed: only the replay loop, including each engine's per-call API overhead and the result reporting it needs to
// count trades (our listener callbacks; the peer's done/partial/quantityLeft). Not timed: generation, string ids.
// Every pass must reproduce the reference model's checksums, or the script exits 1.
// GC activity: PerformanceObserver 'gc' entries that fall inside each timed region (count and total ms).
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CountingListener, OB1M_SYMBOL, replay } from './Ob1mReplay.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, def) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : def; };
const nOps = Number(arg('--ops', 1_000_000));
const warm = Number(arg('--warm', 3));
const workloadPath = resolve(arg('--workload', join(here, '..', '..', '..', '..', 'shared', 'bench', 'ob-1m', 'workload.mjs')));

const { generate } = await import(pathToFileURL(workloadPath).href);
const { MatchingCore, DEFAULT_CORE_LIMITS } = await import(pathToFileURL(join(here, '..', 'dist', 'index.js')).href);
const require = createRequire(import.meta.url);
const { OrderBook } = require('nodejs-order-book');
const peerVersion = require('nodejs-order-book/package.json').version;

const gcEvents = [];
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcEvents.push(e); });
obs.observe({ entryTypes: ['gc'] });

const t0 = performance.now();
const { ops, expected } = generate(nOps, 12345, 0.2);
const genMs = performance.now() - t0;

function gcIn(start, end) {
  let n = 0, ms = 0;
  for (const e of gcEvents) if (e.startTime >= start && e.startTime < end) { n++; ms += e.duration; }
  return { n, ms };
}

function check(r) {
  const bad = [];
  for (const k of Object.keys(r)) {
    if (k === 'start' || k === 'end') continue;
    if (r[k] !== expected[k]) bad.push(`${k}: got ${r[k]}, expected ${expected[k]}`);
  }
  return bad;
}

function runOurs() {
  const listener = new CountingListener();
  const core = new MatchingCore({ ...DEFAULT_CORE_LIMITS, maxOrders: 1 << 16, maxBooks: 4, maxLevelsPerBook: 1024 }, listener);
  const start = performance.now();
  const s = replay(core, listener, ops);
  const end = performance.now();
  const book = core.bookOf(OB1M_SYMBOL.hi, OB1M_SYMBOL.lo);
  return {
    start, end,
    trades: listener.trades, tradedQty: listener.tradedQty, ...s,
    finalRestingOrders: core.restingOrders,
    finalBestBid: core.bestPrice(book, 0x42) || null, finalBestAsk: core.bestPrice(book, 0x53) || null,
  };
}

const ids = new Array(nOps + 2);
for (let i = 0; i < ids.length; i++) ids[i] = 'o' + i;

function runPeer() {
  const ob = new OrderBook();
  let trades = 0, tradedQty = 0, limitsCrossing = 0, limitsFullyFilled = 0, cancelsHit = 0, cancelsNoop = 0, marketsWithFill = 0;
  const n = ops.length / 5;
  const start = performance.now();
  for (let i = 0, o = 0; i < n; i++, o += 5) {
    const type = ops[o];
    if (type === 0) {
      const id = ids[ops[o + 4]];
      const size = ops[o + 3];
      const r = ob.limit({ id, side: ops[o + 1] === 0 ? 'buy' : 'sell', size, price: ops[o + 2] });
      let makers = 0;
      for (const d of r.done) if (d.id !== id) makers++;
      if (r.partial !== null && r.partial.id !== id) makers++;
      if (makers > 0) {
        limitsCrossing++;
        trades += makers;
        const left = r.partial !== null && r.partial.id === id ? r.partial.size : (r.done.some((d) => d.id === id) ? 0 : size);
        tradedQty += size - left;
        if (left === 0) limitsFullyFilled++;
      }
    } else if (type === 1) {
      const t = ops[o + 4];
      const r = t < 0 ? undefined : ob.cancel(ids[t]);
      if (r !== undefined) cancelsHit++; else cancelsNoop++;
    } else {
      const size = ops[o + 3];
      const r = ob.market({ side: ops[o + 1] === 0 ? 'buy' : 'sell', size });
      let makers = r.done.length + (r.partial !== null ? 1 : 0);
      if (makers > 0) { marketsWithFill++; trades += makers; tradedQty += size - r.quantityLeft; }
    }
  }
  const end = performance.now();
  const depth = ob.depth();
  return {
    start, end, trades, tradedQty, limitsCrossing, limitsFullyFilled, cancelsHit, cancelsNoop, marketsWithFill,
    finalBestBid: depth[1].length ? depth[1][0][0] : null, finalBestAsk: depth[0].length ? depth[0][0][0] : null,
  };
}

const rows = [];
function measure(name, fn, pass) {
  const r = fn();
  const bad = check(r);
  const ms = r.end - r.start;
  rows.push({ name, pass, start: r.start, end: r.end, ms, rate: nOps / (ms / 1000), gc: null, ok: bad.length === 0, bad });
  return r;
}

measure('@mm/matching', runOurs, 'first');
measure(`nodejs-order-book ${peerVersion}`, runPeer, 'first');
for (let i = 0; i < warm; i++) {
  measure('@mm/matching', runOurs, `warm ${i + 1}`);
  measure(`nodejs-order-book ${peerVersion}`, runPeer, `warm ${i + 1}`);
}
await new Promise((r) => setTimeout(r, 50)); // let the observer deliver the last gc entries
for (const r of rows) r.gc = gcIn(r.start, r.end);
obs.disconnect();

const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`\nOB-1M: ${fmt(nOps)} ops, seed 12345, pAggr 0.2 (generation ${genMs.toFixed(0)} ms, untimed); node ${process.version}\n`);
console.log('| engine | pass | time (ms) | orders/s | GC events | GC ms | checksums |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.pass} | ${r.ms.toFixed(1)} | ${fmt(r.rate)} | ${r.gc.n} | ${r.gc.ms.toFixed(1)} | ${r.ok ? 'match' : 'MISMATCH: ' + r.bad.join('; ')} |`);
}
const best = (name) => Math.max(...rows.filter((r) => r.name.startsWith(name) && r.pass !== 'first').map((r) => r.rate));
const oursWarm = best('@mm/matching');
const peerWarm = best('nodejs-order-book');
console.log(`\nwarm (best of ${warm}): @mm/matching ${fmt(oursWarm)} orders/s, nodejs-order-book ${fmt(peerWarm)} orders/s, ratio ${(oursWarm / peerWarm).toFixed(1)}× (target ≥ 5×)`);
if (rows.some((r) => !r.ok)) process.exit(1);

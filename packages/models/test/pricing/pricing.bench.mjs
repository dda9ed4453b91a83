// µs per book update through PricingEngine (onBook + publish, micro-price recalibration included) and GC events.
// Run: npx tsc -b packages/models && node packages/models/test/pricing/pricing.bench.mjs [updates]
import { PerformanceObserver } from 'node:perf_hooks';
import { PricingEngine } from '../../dist/pricing/index.js';

const updates = Number(process.argv[2] ?? 1_000_000);
const U = 1e8;
const TICK = 0.01 * U;
const LEVELS = 20;
const bidP = new Float64Array(LEVELS), bidQ = new Float64Array(LEVELS), askP = new Float64Array(LEVELS), askQ = new Float64Array(LEVELS);

// Random numbers are drawn up front (xorshift) so the timed loop allocates nothing of its own.
const RANDOM_COUNT = 1 << 20;
const random = new Float64Array(RANDOM_COUNT);
for (let i = 0, s = 0x1e3779b9; i < RANDOM_COUNT; i++) {
  s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
  random[i] = (s >>> 0) / 4294967296;
}

// Times go through engine.now (the *AtNow entry points): a double argument would be boxed per call.
function run(engine, n, startNs) {
  const now = engine.now;
  // The loop's doubles live in a typed array too: locals that V8 keeps tagged would be boxed on every write.
  const state = new Float64Array(2); // [time ns, best bid]
  state[0] = startNs;
  state[1] = 65_000 * U;
  let k = 0;
  for (let i = 0; i < n; i++) {
    state[0] += 1_000_000; // 1 ms apart
    const r = random[k++ & (RANDOM_COUNT - 1)];
    if (r < 0.1) state[1] += TICK; else if (r < 0.2) state[1] -= TICK;
    const spread = random[k++ & (RANDOM_COUNT - 1)] < 0.8 ? TICK : 2 * TICK;
    for (let l = 0; l < LEVELS; l++) {
      bidP[l] = state[1] - l * TICK; askP[l] = state[1] + spread + l * TICK;
      bidQ[l] = Math.floor(random[k++ & (RANDOM_COUNT - 1)] * 5 * U) + 1;
      askQ[l] = Math.floor(random[k++ & (RANDOM_COUNT - 1)] * 5 * U) + 1;
    }
    now[0] = state[0];
    if (engine.onBookAtNow(bidP, bidQ, LEVELS, askP, askQ, LEVELS)) engine.publishAtNow();
    if ((i & 7) === 0) { now[1] = 1000; engine.onTradeAtNow(r < 0.5 ? 1 : 2); }
    now[0] = state[0] + 1000;
    if (engine.pollAtNow()) engine.publishAtNow();
  }
  return state[0];
}

let gcCount = 0;
const obs = new PerformanceObserver((list) => { gcCount += list.getEntries().length; });
obs.observe({ entryTypes: ['gc'] });
const flush = () => new Promise((r) => setImmediate(r));

const engine = new PricingEngine({ fairValueMethod: 'micro-price', tickSize: 0.01, minPublishIntervalMs: 0 });
engine.setBookSynced(true);
let t = run(engine, 200_000, 0); // warm-up, fills the micro-price window
await flush();
const gcBefore = gcCount;
const heapBefore = process.memoryUsage().heapUsed;
const start = process.hrtime.bigint();
t = run(engine, updates, t);
const ns = Number(process.hrtime.bigint() - start) / updates;
const heapDelta = process.memoryUsage().heapUsed - heapBefore;
await flush();
obs.disconnect();
const r = engine.result;
console.log(`node ${process.version}: ${updates} book updates (${LEVELS} levels), micro-price window ${engine.config.microWindow}, recalibrate every ${engine.config.microRecalibrateEvery}`);
console.log(`${(ns / 1000).toFixed(3)} µs per book update   gc events: ${gcCount - gcBefore}   heap growth: ${(heapDelta / updates).toFixed(3)} B/update`);
console.log(`last: fair ${r.fairValue.toFixed(4)} source ${r.fairValueSource} sigma ${r.sigma.toExponential(3)} flags ${r.flags}`);

#!/usr/bin/env node
// Fill-engine throughput: market events (book snapshots of 10 levels a side, trades at and through the touch)
// and quotes through FillEngine + Positions, per queue model. Reports events/s and GC runs during the timed loop.
//
//   npx tsc -b packages/models && node packages/models/bench/fills.bench.mjs [--events 1000000] [--warm 2]
//
// Timed: only the event loop (engine + positions). Not timed: generating the pre-built event arrays.
// GC: the engine allocates nothing per event itself (fixed order pool, reused fill event, book copied into
// preallocated arrays); the minor GCs counted come from V8 boxing Numbers outside the Smi range (ns timestamps,
// 1e-8 prices) passed to non-inlined calls, about 16 B per call — with Smi-range arguments the same loops run
// 1M calls with 1-2 scavenges.
import { PerformanceObserver } from 'node:perf_hooks';
import {
  ArrayBook, ConstantLatency, FeeModel, FillEngine, FillIdCounter, OrderSide, Positions, VENUE_SIMULATOR, createQueueModel,
} from '../dist/fills/index.js';
import { Prng } from '../dist/market/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`--${name} needs a positive number`);
  return v;
};
const EVENTS = opt('events', 1_000_000);
const WARM = opt('warm', 2);
const E8 = 1e8;
const TICK = 0.01 * E8;
const LEVELS = 10;
const BOOK = 0, TRADE = 1, QUOTE = 2;

// Pre-built event stream: kind, mid, a random word for quantities.
const rng = new Prng(99);
const kind = new Uint8Array(EVENTS);
const mid = new Float64Array(EVENTS);
const rnd = new Uint32Array(EVENTS * 4);
let m = 30_000 * E8;
for (let i = 0; i < EVENTS; i++) {
  const r = rng.nextFloat();
  kind[i] = r < 0.6 ? BOOK : r < 0.95 ? TRADE : QUOTE;
  if (kind[i] === BOOK) m += (rng.nextInt(3) - 1) * TICK;
  mid[i] = m;
  for (let j = 0; j < 4; j++) rnd[i * 4 + j] = rng.nextU32();
}

function run(queueConfig) {
  let fills = 0;
  const positions = new Positions(VENUE_SIMULATOR);
  const pos = positions.get(1);
  const engine = new FillEngine(
    { symbolId: 1, lotE8: 100_000 },
    createQueueModel(queueConfig),
    new ConstantLatency(2_000_000, 5_000_000),
    new FeeModel(-0.5, 4),
    new FillIdCounter(0),
    { onFill(f) { fills++; pos.apply(f); } },
  );
  const book = new ArrayBook(LEVELS);
  let t = 0;
  let quoteId = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < EVENTS; i++) {
    t += 1_000_000;
    const mi = mid[i];
    const w = i * 4;
    switch (kind[i]) {
      case BOOK: {
        book.counts(LEVELS, LEVELS);
        for (let l = 0; l < LEVELS; l++) {
          book.setBid(l, mi - TICK * (l + 1), ((rnd[w + (l & 3)] >>> l) & 0x3f) * 1_000_000 + 1_000_000);
          book.setAsk(l, mi + TICK * (l + 1), ((rnd[w + ((l + 1) & 3)] >>> l) & 0x3f) * 1_000_000 + 1_000_000);
        }
        engine.onBook(t, book);
        pos.mark(mi / E8);
        break;
      }
      case TRADE: {
        const sell = (rnd[w] & 1) === 1;
        const px = sell ? mi - TICK * (1 + (rnd[w + 1] % 2)) : mi + TICK * (1 + (rnd[w + 1] % 2));
        engine.onTrade(t, px, ((rnd[w + 2] & 0x1f) + 1) * 1_000_000, sell ? OrderSide.SELL : OrderSide.BUY);
        break;
      }
      default: {
        quoteId++;
        const off = TICK * (1 + (rnd[w] % 3));
        engine.quote(t, quoteId, mi - off, 5_000_000, mi + off, 5_000_000);
      }
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { ns, fills };
}

let gcCount = 0;
const obs = new PerformanceObserver((list) => { gcCount += list.getEntries().length; });
obs.observe({ entryTypes: ['gc'] });

const models = [
  { kind: 'risk-averse' },
  { kind: 'power', n: 2 },
  { kind: 'log', variant: 2 },
];
console.log(`fill engine: ${EVENTS} events (60% books of ${LEVELS}x${LEVELS}, 35% trades, 5% quotes), node ${process.version}`);
for (const qm of models) {
  for (let w = 0; w < WARM; w++) run(qm);
  await new Promise((r) => setImmediate(r)); // let the observer drain warm-up GCs
  gcCount = 0;
  const { ns, fills } = run(qm);
  await new Promise((r) => setImmediate(r));
  const perSec = EVENTS / (ns / 1e9);
  console.log(
    `${JSON.stringify(qm).padEnd(34)} ${(perSec / 1e6).toFixed(2)} M events/s  ${(ns / EVENTS).toFixed(0)} ns/event  fills ${fills}  gc ${gcCount}`,
  );
}
obs.disconnect();

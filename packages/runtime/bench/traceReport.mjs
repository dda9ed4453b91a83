#!/usr/bin/env node
// Reads the stage traces the services wrote at exit (MM_TRACE_DIR; packages/runtime/src/StageTrace.ts) and prints,
// per stage of a tick's path, when it happened after the frame's receive time (the key every message carries),
// p50 / p90 / p99 in µs over the ticks that reached it:
//   collector: frame parsed, book applied (parse + apply done), book offered (encode + offer + doorbell ring done);
//   pricing:   woken (its last ring-ended sleep before the book), book handler, fair value offered;
//   strategy:  woken, pricing applied, decided to quote, quote offered.
// Also: how long the sleeper slept before that wake-up (ms); and step by step (each from the one before), once over
// every tick and once over the ticks that caused a quote (a quote offered with their key): on real traffic those
// are the large frames, so they are slower than the average tick.
//   node packages/runtime/bench/traceReport.mjs <trace dir>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Stage } from '@mm/runtime';

const dir = process.argv[2];
if (!dir) throw new Error('usage: traceReport.mjs <trace dir>');

/** One entry per trace file (process name → its marks, time order); byProcess: each service's marks. */
const processes = [];
const byProcess = {};
for (const f of readdirSync(dir).filter((n) => n.endsWith('.trace'))) {
  // services/tick-path hosts the three: its one trace holds every stage (stage numbers are distinct per service).
  const name = f.includes('tick-path') ? 'tick-path' : ['collector', 'pricing', 'strategy'].find((n) => f.includes(n));
  if (!name) continue;
  const bytes = readFileSync(join(dir, f));
  const a = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const marks = [];
  for (let i = 0; i + 2 < a.length; i += 3) marks.push({ stage: a[i], key: a[i + 1], t: a[i + 2] });
  processes.push([name, marks]);
  for (const service of name === 'tick-path' ? ['collector', 'pricing', 'strategy'] : [name]) byProcess[service] = marks;
}

const rows = {};
const add = (label, v) => { if (Number.isFinite(v)) (rows[label] ??= []).push(v); };

for (const m of byProcess.collector ?? []) {
  if (m.stage === Stage.FRAME_PARSED) add('collector: frame parsed', (m.t - m.key) / 1e3);
  else if (m.stage === Stage.BOOK_APPLIED) add('collector: book applied', (m.t - m.key) / 1e3);
  else if (m.stage === Stage.BOOK_OFFERED) add('collector: book offered (incl. ring)', (m.t - m.key) / 1e3);
}

/** For a consumer: its last WOKEN (and the PARKING before it) preceding each handler mark. */
function consumer(name, handlerStage, offeredStage, decidedStage) {
  let parking = NaN;
  let woken = NaN;
  let wokenSlept = NaN;
  let wokenUsed = true;
  for (const m of byProcess[name] ?? []) {
    if (m.stage === Stage.PARKING) parking = m.t;
    else if (m.stage === Stage.WOKEN) { woken = m.t; wokenSlept = m.t - parking; wokenUsed = false; }
    else if (m.stage === handlerStage) {
      if (!wokenUsed) {
        add(`${name}: woken`, (woken - m.key) / 1e3);
        add(`${name}: slept before that wake (ms)`, wokenSlept / 1e6);
        add(`${name}: woken → handler`, (m.t - woken) / 1e3);
        wokenUsed = true;
      }
      add(`${name}: handler`, (m.t - m.key) / 1e3);
    } else if (m.stage === offeredStage) add(`${name}: offered`, (m.t - m.key) / 1e3);
    else if (m.stage === decidedStage) add(`${name}: decided to quote`, (m.t - m.key) / 1e3);
  }
}
consumer('pricing', Stage.PRICING_BOOK, Stage.PRICING_OFFERED);

// Inside each publisher's offer (RingingPublisher): the Aeron offer itself and the doorbell ring after it.
for (const [name, marks] of processes) {
  let start = NaN;
  let ring = NaN;
  let asleep = false;
  for (const m of marks) {
    if (m.stage === Stage.OFFER_START) start = m.t;
    else if (m.stage === Stage.RING_START) { ring = m.t; asleep = m.key > 0; add(`${name}: Aeron offer itself`, (m.t - start) / 1e3); }
    else if (m.stage === Stage.RING_DONE) add(`${name}: doorbell ring after it (${asleep ? 'a subscriber asleep' : 'no subscriber asleep'})`, (m.t - ring) / 1e3);
  }
}

/** Per tick (joined on the key), the time from one stage to the next, in µs: where a hop's time goes. */
const first = new Map();
for (const [, marks] of processes) {
  for (const m of marks) {
    if (m.key === 0) continue;
    const k = `${m.stage}:${m.key}`;
    if (!first.has(k)) first.set(k, m.t);
  }
}
const quoted = new Set();
for (const k of first.keys()) if (k.startsWith(`${Stage.QUOTE_OFFERED}:`)) quoted.add(k.slice(k.indexOf(':') + 1));
const pairs = [
  ['frame received → parsed', undefined, Stage.FRAME_PARSED],
  ['parsed → book applied', Stage.FRAME_PARSED, Stage.BOOK_APPLIED],
  ['collector applied → offered', Stage.BOOK_APPLIED, Stage.BOOK_OFFERED],
  ['collector offered → pricing handler', Stage.BOOK_OFFERED, Stage.PRICING_BOOK],
  ['collector applied → pricing handler', Stage.BOOK_APPLIED, Stage.PRICING_BOOK],
  ['pricing handler → offered', Stage.PRICING_BOOK, Stage.PRICING_OFFERED],
  ['pricing offered → strategy handler', Stage.PRICING_OFFERED, Stage.STRATEGY_PRICING],
  ['strategy handler → decided to quote', Stage.STRATEGY_PRICING, Stage.STRATEGY_DECIDED],
  ['strategy decided → quote offered', Stage.STRATEGY_DECIDED, Stage.QUOTE_OFFERED],
];
for (const [label, from, to] of pairs) {
  for (const [k, t] of first) {
    const [stage, key] = k.split(':');
    if (Number(stage) !== to) continue;
    // No `from`: the step starts at the frame's receive time, the key itself.
    const t0 = from === undefined ? Number(key) : first.get(`${from}:${key}`);
    if (t0 === undefined) continue;
    add(`step: ${label}`, (t - t0) / 1e3);
    if (quoted.has(key)) add(`quoting tick, step: ${label}`, (t - t0) / 1e3);
  }
}
consumer('strategy', Stage.STRATEGY_PRICING, Stage.QUOTE_OFFERED, Stage.STRATEGY_DECIDED);

const pct = (s, q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
const table = Object.entries(rows).map(([stage, xs]) => {
  const s = Float64Array.from(xs).sort();
  const r = (v) => +v.toFixed(1);
  return { stage, n: s.length, p50: r(pct(s, 0.5)), p90: r(pct(s, 0.9)), p99: r(pct(s, 0.99)) };
});
console.log('µs after the frame\'s receive time (recvTimeNs) unless stated');
console.table(table);

#!/usr/bin/env node
// Doorbell wake-up latency across processes: a producer stamps CLOCK_MONOTONIC into a shared word and rings; a
// consumer asleep on the bell (park bound 100 ms) reads the stamp once woken. Also the cost of `ring()` with and
// without a sleeper. Prints p50/p99/p99.9 in µs and the machine's load.
//   npx tsc -b packages/runtime && node packages/runtime/bench/doorbell.bench.mjs [--samples 2000]
import { spawn, execSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MappedFile } from '@mm/agrona';
import { Doorbell, SystemClock } from '@mm/runtime';

const samples = Number(process.argv[process.argv.indexOf('--samples') + 1] || 2000);
const dir = mkdtempSync(join(tmpdir(), 'mm-bell-bench-'));
const shared = MappedFile.create(join(dir, 'stamps'), 4096);
// f64 [0] = stamp (ns), i32 [64] = produced, i32 [80] = consumed, f64 [64] = latency of the last one (ns)
const f64 = new Float64Array(shared.buffer.buffer);
const i32 = shared.buffer.i32;
const runtimeUrl = pathToFileURL(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../dist/index.js')).href;
const agronaUrl = pathToFileURL(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../agrona/dist/index.js')).href;
const CONSUMER = `
const { Doorbell, SystemClock } = await import(${JSON.stringify(runtimeUrl)});
const { MappedFile } = await import(${JSON.stringify(agronaUrl)});
const [dir, path, n] = process.argv.slice(1);
const bell = Doorbell.open(dir);
const file = MappedFile.map(path);
const f64 = new Float64Array(file.buffer.buffer);
const i32 = file.buffer.i32;
const clock = new SystemClock();
let consumed = 0;
const hasWork = () => (Atomics.load(i32, 64) > consumed ? 1 : 0);
Atomics.store(i32, 96, 1);
while (consumed < Number(n)) {
  bell.park(100e6, hasWork);
  const p = Atomics.load(i32, 64);
  if (p > consumed) {
    f64[64] = clock.nanoTime() - f64[0];
    consumed = p;
    Atomics.store(i32, 80, consumed);
  }
}
`;
const child = spawn(process.execPath, ['--input-type=module', '-e', CONSUMER, dir, shared.path, String(samples)], { stdio: 'inherit' });
const bell = Doorbell.open(dir);
const clock = new SystemClock();
while (Atomics.load(i32, 96) !== 1) await new Promise((r) => setTimeout(r, 5));
const wake = [];
const ringCost = [];
for (let i = 1; i <= samples; i++) {
  // Give the consumer time to fall asleep (this is a benchmark: the pause is the point).
  const until = Date.now() + 2;
  while (bell.waiters === 0 || Date.now() < until) await new Promise((r) => setTimeout(r, 1));
  f64[0] = clock.nanoTime();
  Atomics.store(i32, 64, i);
  const t0 = clock.nanoTime();
  bell.ring();
  ringCost.push((clock.nanoTime() - t0) / 1000);
  while (Atomics.load(i32, 80) < i) await new Promise((r) => setImmediate(r));
  wake.push(f64[64] / 1000);
}
const idle = [];
for (let i = 0; i < 100_000; i++) { const t0 = performance.now(); bell.ring(); idle.push((performance.now() - t0) * 1000); }
await new Promise((r) => child.on('exit', r));
const q = (xs, p) => { const s = Float64Array.from(xs).sort(); return +s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2); };
const row = (name, xs) => ({ what: name, n: xs.length, p50_us: q(xs, 0.5), p99_us: q(xs, 0.99), p999_us: q(xs, 0.999) });
const rows = [row('wake-up (ring → consumer running)', wake), row('ring() with a sleeper', ringCost), row('ring() with nobody asleep', idle)];
let load = '';
try { load = execSync('uptime', { encoding: 'utf8' }).trim(); } catch { /* no uptime */ }
console.table(rows);
console.log(JSON.stringify({ bench: 'doorbell', node: process.version, load, rows }));
bell.close();
shared.close();
rmSync(dir, { recursive: true, force: true });

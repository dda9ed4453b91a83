#!/usr/bin/env node
// `pnpm bench [name...]`: runs the benchmarks one after another (never in parallel: they measure the machine) and
// writes their output with the machine, Node version and date to bench-results/latest.md. BENCHMARKS.md records
// runs from that file. Each benchmark reports its own GC activity next to its throughput.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

const BENCHES = [
  { name: 'codec', cmd: ['packages/protocol/bench/codec.bench.mjs'], what: 'protocol encode+decode ns/message' },
  { name: 'aeron-throughput', cmd: ['packages/aeron-client/bench/throughput.bench.mjs'], what: 'Aeron IPC throughput, pub and sub in separate processes' },
  { name: 'aeron-pingpong', cmd: ['packages/aeron-client/bench/pingpong.bench.mjs'], what: 'Aeron IPC round trip' },
  { name: 'driver-cpu', cmd: ['services/aeronmd/bench/driverCpu.bench.mjs'], what: 'media driver CPU idle and under load' },
  { name: 'depth', cmd: ['packages/binance/bench/depth.bench.mjs'], what: 'collector parse + apply per depth event' },
  { name: 'fills', cmd: ['packages/models/bench/fills.bench.mjs'], what: 'simulator fill engine events/s' },
  { name: 'ob1m', cmd: ['packages/matching/bench/ob1m.bench.mjs'], what: 'matching core vs nodejs-order-book on OB-1M' },
  { name: 'doorbell', cmd: ['packages/runtime/bench/doorbell.bench.mjs'], what: 'doorbell wake-up across processes and the cost of a ring' },
  { name: 'idle-cpu', cmd: ['packages/system-tests/bench/idleCpu.bench.mjs'], what: 'CPU of each idle process (target < 2 % of a core)' },
  { name: 'cold-path', cmd: ['packages/models/bench/coldPath.bench.mjs'], what: 'the same pure function after a gap of 0.1-50 ms (thread spinning): what cold code costs here' },
  { name: 'tick-to-quote', cmd: ['packages/system-tests/bench/tickToQuote.bench.mjs'], what: 'WS frame received → quote published, real processes' },
  { name: 'backtest', cmd: ['packages/backtest/bench/backtest.bench.mjs'], what: 'backtest events/s on the 11-minute BTCUSDT recording' },
  { name: 'soak', cmd: ['packages/system-tests/bench/soak.bench.mjs', '--minutes', '30'], what: '30-minute soak: RSS and tick→quote at start and end' },
  { name: 'engine-e2e', cmd: ['services/matching-engine/bench/e2e.bench.mjs'], what: 'matching engine TCP/UDP end to end' },
];

const wanted = process.argv.slice(2);
const selected = wanted.length > 0 ? BENCHES.filter((b) => wanted.includes(b.name)) : BENCHES;
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
const out = [`# Benchmark run ${new Date().toISOString()}`, '', `Machine: ${machine}`, ''];
let failed = 0;
for (const b of selected) {
  const command = `node ${b.cmd.join(' ')}`;
  process.stderr.write(`\n== ${b.name}: ${b.what}\n$ ${command}\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, b.cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) failed++;
  out.push(`## ${b.name} — ${b.what}`, '', `\`${command}\` (exit ${r.status}, ${((Date.now() - started) / 1000).toFixed(0)} s)`, '', '```', (r.stdout ?? '').trim(), '```', '');
}
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.md', out.join('\n'));
process.stderr.write(`\nwrote bench-results/latest.md (${selected.length} benchmarks, ${failed} failed)\n`);
process.exit(failed > 0 ? 1 : 0);

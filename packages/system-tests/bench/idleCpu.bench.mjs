#!/usr/bin/env node
// Idle CPU of every process with no market data flowing (the duty cycles park; heartbeats still go out once a
// second): CPU time from /proc/<pid>/stat over a window, as % of one core. Target: < 2 % per service.
//   pnpm build && node packages/system-tests/bench/idleCpu.bench.mjs [--seconds 10]
import { readFileSync } from 'node:fs';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService } from '@mm/test-support';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1] || 10);
const ticksPerSecond = 100; // USER_HZ on Linux
const cpuTicks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
};

const sys = createTestSystem();
Object.assign(sys.env, { ENGINE_TCP_PORT: '0', ENGINE_UDP_PORT: '0', MM_DASHBOARD__PORT: '0' });
const procs = { aeronmd: await startDriver(sys) };
for (const s of ['pricing', 'strategy', 'simulator', 'matching-engine', 'dashboard']) procs[s] = startService(sys, s);
for (const [name, p] of Object.entries(procs)) {
  if (name === 'aeronmd') continue;
  await p.waitForLine(/ running"|"listening"/, 30_000).catch((e) => { console.error(name, p.output()); throw e; });
}
await new Promise((r) => setTimeout(r, 3000)); // let start-up work settle before the measured window
const before = Object.fromEntries(Object.entries(procs).map(([n, p]) => [n, cpuTicks(p.pid)]));
await new Promise((r) => setTimeout(r, seconds * 1000));
const rows = Object.entries(procs).map(([n, p]) => ({ process: n, cpu_percent_of_core: +(((cpuTicks(p.pid) - before[n]) / ticksPerSecond / seconds) * 100).toFixed(2) }));
await killAll();
removeTempDirs();
console.table(rows);
console.log(JSON.stringify({ bench: 'idle-cpu', node: process.version, seconds, rows }));

// Driver CPU while idle and under load: starts aeronmd (defaults: 4 ms max park, 1 s timer), measures its CPU from
// /proc/<pid>/stat over an idle window (one client with a publication and a subscription attached), then while the
// aeron-client throughput publisher/subscriber move `messages` 64 B messages through it, and compares with a bare
// Node process parking 4 ms (the event-loop floor on this machine).
// Run: npx tsc -b services/aeronmd packages/aeron-client && node services/aeronmd/bench/driverCpu.bench.mjs [messages]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const messages = Number(process.argv[2] ?? 5_000_000);
const base = mkdtempSync('/dev/shm/aeronmd-cpu-bench-');
const aeronDir = join(base, 'aeron');

const ticks = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function child(args, env = {}) {
  const c = spawn(process.execPath, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  c.lines = [];
  let rest = '';
  c.stdout.on('data', (d) => {
    const parts = (rest + d).split('\n');
    rest = parts.pop();
    c.lines.push(...parts);
  });
  c.exited = new Promise((r) => c.once('exit', r));
  return c;
}
async function waitLine(c, re, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const l = c.lines.find((x) => re.test(x));
    if (l) return l;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}`);
    await sleep(10);
  }
}
async function measure(pid, ms) {
  const t0 = ticks(pid);
  const s = Date.now();
  await sleep(ms);
  return (ticks(pid) - t0) / 100 / ((Date.now() - s) / 1000);
}

const driver = child([join(repo, 'services/aeronmd/dist/main.js')], { AERON_DIR: aeronDir, AERON_IPC_TERM_BUFFER_LENGTH: '16m', AERON_TERM_BUFFER_SPARSE_FILE: 'true', LOG_LEVEL: 'warn', MM_LOG_DIR: join(base, 'logs') });
const floor = child(['-e', 'const f = () => setTimeout(f, 4); f();']);
const results = {};
try {
  await sleep(1000);
  const clientBench = join(repo, 'packages/aeron-client/bench');
  // Idle with a subscriber and (idle) publisher attached.
  const sub = child([join(clientBench, 'throughput-sub.mjs'), aeronDir, 77, messages]);
  await waitLine(sub, /"ready":true/);
  await sleep(500);
  const [idle, idleFloor] = await Promise.all([measure(driver.pid, 5000), measure(floor.pid, 5000)]);
  results.idleCpuPct = +(idle * 100).toFixed(2);
  results.parkFloorCpuPct = +(idleFloor * 100).toFixed(2);
  const pub = child([join(clientBench, 'throughput-pub.mjs'), aeronDir, 77, messages, 64]);
  const t0 = ticks(driver.pid);
  const start = Date.now();
  const done = JSON.parse(await waitLine(sub, /"done":true/, 300_000));
  const seconds = (Date.now() - start) / 1000;
  results.loadCpuPct = +((ticks(driver.pid) - t0) / 100 / seconds * 100).toFixed(2);
  results.loadSeconds = +seconds.toFixed(2);
  results.messages = messages;
  results.subMsgsPerSec = done.msgsPerSec;
  await Promise.all([sub.exited, pub.exited]);
} finally {
  floor.kill('SIGKILL');
  driver.kill('SIGTERM');
  await driver.exited;
  rmSync(base, { recursive: true, force: true });
}
console.table([results]);
console.log(JSON.stringify({ bench: 'aeronmd-cpu', node: process.version, ...results }));

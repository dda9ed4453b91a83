// Shared by the benchmarks: start a product media driver (or use BENCH_AERON_DIR's running driver, e.g. Aeron's
// C aeronmd), spawn children, wait for JSON lines.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CncFile } from '../dist/index.js';

export const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');

export async function startDriver(termLength = '16m') {
  if (process.env.BENCH_AERON_DIR) return { aeronDir: process.env.BENCH_AERON_DIR, stop: async () => {} };
  const base = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : '/tmp', 'aeron-bench-'));
  const aeronDir = join(base, 'aeron');
  const child = spawn(process.execPath, [join(repo, 'services/aeronmd/dist/main.js')], {
    cwd: repo,
    env: { ...process.env, AERON_DIR: aeronDir, AERON_DIR_DELETE_ON_START: 'true', AERON_IPC_TERM_BUFFER_LENGTH: termLength,
      AERON_TERM_BUFFER_SPARSE_FILE: 'true', AERON_DRIVER_TERMINATION_VALIDATOR: 'allow' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const cnc = CncFile.openReadOnly(aeronDir);
      const age = cnc.driverHeartbeatAgeMs();
      cnc.close();
      if (age < 2000) break;
    } catch { /* not ready */ }
    if (Date.now() > deadline) throw new Error('media driver did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    aeronDir,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export function spawnChild(script, args) {
  const child = spawn(process.execPath, [join(here, script), ...args.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  let rest = '';
  child.stdout.on('data', (d) => {
    const parts = (rest + d.toString()).split('\n');
    rest = parts.pop();
    lines.push(...parts);
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    exited,
    async json(predicate, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        for (const l of lines) {
          if (!l.startsWith('{')) continue;
          const o = JSON.parse(l);
          if (predicate(o)) return o;
        }
        if (Date.now() > deadline) throw new Error(`${script}: no matching output`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/**
 * Counts garbage collections (any kind) seen by this process. Entries reach the observer on the event loop, so
 * call `settle()` (one macrotask) after a synchronous hot loop before reading `count`.
 */
export async function gcCounter() {
  const { PerformanceObserver } = await import('node:perf_hooks');
  const state = { count: 0, settle: () => new Promise((r) => setTimeout(r, 0)) };
  new PerformanceObserver((list) => { state.count += list.getEntries().length; }).observe({ entryTypes: ['gc'] });
  return state;
}

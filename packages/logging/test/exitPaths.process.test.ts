import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLines, tempLogDir, type LogLine } from './helpers.js';

// Spawns compiled JS (build first). The child buffers up to 1 MiB, so any line in the file after exit got there
// through an explicit flush on the exit path, not through a per-line write.
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const N = 1000;
const T = Date.parse('2026-11-21T13:59:59.999Z');

const childSource = `
import { writeSync } from 'node:fs';
import { createLogger, installExitHandlers } from ${JSON.stringify(pathToFileURL(dist).href)};
const mode = process.env.MODE;
const n = Number(process.env.N);
let now = ${T};
const log = createLogger({ service: 'mm_collector', logDir: process.env.LOG_DIR, clock: { epochMs: () => now }, bufferBytes: 1 << 20, flushIntervalMs: 3_600_000, env: {} });
if (mode !== 'exit') installExitHandlers(log, { onShutdown: async () => { await new Promise((r) => setImmediate(r)); log.info('agents stopped'); } });
for (let i = 0; i < n; i++) {
  if (i === n / 2) now += 1; // 14:00:00.000: the second half belongs to the next hour
  log.info({ i }, 'line');
}
if (mode === 'sigterm') { writeSync(1, 'READY\\n'); setInterval(() => {}, 1000); }
if (mode === 'throw') setImmediate(() => { throw new Error('boom'); });
if (mode === 'reject') Promise.reject(new Error('rejected boom'));
if (mode === 'exit') { log.info('giving up'); process.exit(3); } // info: fatal would flush by itself
`;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly dir: string;
}

function runChild(mode: string, deadlineMs = 20_000): Promise<Run> {
  const dir = tempLogDir();
  const script = join(dir, 'child.mjs');
  writeFileSync(script, childSource);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env['PATH'] ?? '', MODE: mode, N: String(N), LOG_DIR: join(dir, 'logs') } });
    let stdout = '';
    let stderr = '';
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child (${mode}) did not finish within ${deadlineMs} ms; stderr: ${stderr}`));
    }, deadlineMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const before = stdout;
      stdout += chunk;
      if (mode === 'sigterm' && !before.includes('READY\n') && stdout.includes('READY\n')) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr, dir: join(dir, 'logs') });
    });
  });
}

const files = (dir: string): [LogLine[], LogLine[]] => [
  readLines(join(dir, 'mm_collector.log.2026-11-21-13')),
  readLines(join(dir, 'mm_collector.log.2026-11-21-14')),
];

function expectAllLines(h13: LogLine[], h14: LogLine[]): void {
  expect(h13.map((l) => l['i'])).toEqual(Array.from({ length: N / 2 }, (_, i) => i));
  expect(h14.filter((l) => l.msg === 'line').map((l) => l['i'])).toEqual(Array.from({ length: N / 2 }, (_, i) => i + N / 2));
}

describe('exit paths (child process)', () => {
  it('has been built', () => {
    expect(existsSync(dist), `${dist} missing: run npx tsc -b packages/logging`).toBe(true);
  });

  it('SIGTERM: runs the shutdown hook, flushes every line and exits 0', async () => {
    const r = await runChild('sigterm');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [h13, h14] = files(r.dir);
    expectAllLines(h13, h14);
    expect(h14.slice(N / 2).map((l) => l.msg)).toEqual(['received SIGTERM, shutting down', 'agents stopped', 'shutdown complete']);
    // stdout got the same lines as the files (plus the marker).
    const stdoutLines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(stdoutLines).toHaveLength(h13.length + h14.length);
  });

  it('uncaught exception: logs it as fatal, flushes and exits 1', async () => {
    const r = await runChild('throw');
    expect(r.code).toBe(1);
    const [h13, h14] = files(r.dir);
    expectAllLines(h13, h14);
    const last = h14[h14.length - 1]!;
    expect(last).toMatchObject({ level: 'fatal', msg: 'uncaught exception' });
    expect((last['err'] as { message: string }).message).toBe('boom');
    expect(h14).toHaveLength(N / 2 + 1);
  });

  it('unhandled rejection: logs it as fatal, flushes and exits 1', async () => {
    const r = await runChild('reject');
    expect(r.code).toBe(1);
    const [h13, h14] = files(r.dir);
    expectAllLines(h13, h14);
    expect(h14[h14.length - 1]).toMatchObject({ level: 'fatal', msg: 'unhandled promise rejection' });
  });

  it('process.exit() without handlers still flushes buffered lines', async () => {
    const r = await runChild('exit');
    expect(r.code).toBe(3);
    const [h13, h14] = files(r.dir);
    expectAllLines(h13, h14);
    expect(h14[h14.length - 1]).toMatchObject({ level: 'info', msg: 'giving up' });
    expect(h14).toHaveLength(N / 2 + 1);
  });
});

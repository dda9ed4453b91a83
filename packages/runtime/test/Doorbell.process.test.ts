import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MappedFile } from '@mm/agrona';
import { waitFor } from '@mm/test-support';
import { Doorbell, streamBit } from '../src/Doorbell.js';

// The consumer runs the compiled doorbell in another process (build first: npx tsc -b packages/runtime).
const here = dirname(fileURLToPath(import.meta.url));
const distDoorbell = resolve(here, '../dist/Doorbell.js');
const distAgrona = resolve(here, '../../agrona/dist/index.js');

const N = 3000;
const PARK_NS = 5e9;
const PRODUCED = 0;
const CONSUMED = 16;
const READY = 32;

/**
 * Consumer: sleeps on the bell (5 s bound) until `produced` moves, acknowledges it in `consumed`. A lost wake-up
 * would cost a whole 5 s park. Reports how many messages it found only after sleeping (the futex path was used).
 */
const CONSUMER = `
const { Doorbell } = await import(${JSON.stringify(pathToFileURL(distDoorbell).href)});
const { MappedFile } = await import(${JSON.stringify(pathToFileURL(distAgrona).href)});
const [aeronDir, countersPath, n] = process.argv.slice(1);
const bell = Doorbell.open(aeronDir);
const words = MappedFile.map(countersPath).buffer.i32;
let consumed = 0, afterSleep = 0, longestMs = 0;
const hasWork = () => (Atomics.load(words, ${PRODUCED}) > consumed ? 1 : 0);
Atomics.store(words, ${READY}, 1);
while (consumed < Number(n)) {
  const t0 = performance.now();
  const before = bell.park(${PARK_NS}, hasWork);
  longestMs = Math.max(longestMs, performance.now() - t0);
  const produced = Atomics.load(words, ${PRODUCED});
  if (produced > consumed) {
    if (before <= 0) afterSleep++;
    consumed = produced;
    Atomics.store(words, ${CONSUMED}, consumed);
  }
}
process.stdout.write(JSON.stringify({ consumed, afterSleep, longestMs }));
`;

describe('Doorbell across processes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-bell-proc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shouldLoseNoWakeUpWhenEveryMessageRacesTheSleeper', async () => {
    expect(existsSync(distDoorbell), `${distDoorbell} missing: build packages/runtime first`).toBe(true);
    const counters = MappedFile.create(join(dir, 'counters'), 256);
    const words = counters.buffer.i32;
    const bell = Doorbell.open(dir);
    const child = spawn(process.execPath, ['--input-type=module', '-e', CONSUMER, dir, counters.path, String(N)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((ok) => child.on('exit', ok));
    const startDeadline = Date.now() + 20_000;
    while (Atomics.load(words, READY) !== 1) {
      if (Date.now() > startDeadline || child.exitCode !== null) throw new Error(`consumer did not start: ${err}`);
      await new Promise((r) => setImmediate(r));
    }
    let slowestMs = 0;
    for (let i = 1; i <= N; i++) {
      const t0 = performance.now();
      Atomics.store(words, PRODUCED, i);
      bell.ring();
      // Wait for the acknowledgement; a lost wake-up shows as a 5 s stall (the consumer's park bound).
      const deadline = t0 + 10_000;
      while (Atomics.load(words, CONSUMED) < i) {
        if (performance.now() > deadline) throw new Error(`message ${i} not consumed within 10 s: ${err}`);
        if ((i & 7) === 0) await new Promise((r) => setImmediate(r));
      }
      slowestMs = Math.max(slowestMs, performance.now() - t0);
    }
    expect(await exited).toBe(0);
    const result = JSON.parse(out) as { consumed: number; afterSleep: number; longestMs: number };
    expect(result.consumed).toBe(N);
    // The futex path was exercised, not only the re-check.
    expect(result.afterSleep).toBeGreaterThan(0);
    expect(slowestMs).toBeLessThan(PARK_NS / 1e6 / 2);
    expect(bell.waiters).toBe(0);
    bell.close();
    counters.close();
  });
});

/** Sleeper: parks on stream 10's bit for a minute, after saying it is about to. */
const SLEEPER = `
const { Doorbell, streamBit } = await import(${JSON.stringify(pathToFileURL(distDoorbell).href)});
const bell = Doorbell.open(process.argv[1]);
process.stdout.write('parking\\n');
bell.park(60e9, () => 0, streamBit(10));
`;

describe('Doorbell: a sleeper killed in its sleep', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-bell-reap-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has its counts taken back by a live sleeper, and a live sleeper keeps its own', async () => {
    expect(existsSync(distDoorbell), `${distDoorbell} missing: build packages/runtime first`).toBe(true);
    const bell = Doorbell.open(dir);
    const start = async () => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', SLEEPER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
      await waitFor(() => bell.sleepersOn(10) >= 1 || child.exitCode !== null, { what: 'the sleeper asleep on stream 10', timeoutMs: 20_000 });
      expect(child.exitCode, err).toBeNull();
      return { child, exited };
    };
    const doomed = await start();
    const survivor = await start();
    await waitFor(() => bell.sleepersOn(10) === 2, { what: 'both sleepers asleep', timeoutMs: 20_000 });
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    // Dead, yet counted: every offer on stream 10 would ring for it.
    expect([bell.sleepersOn(10), bell.waiters]).toEqual([2, 2]);
    expect(bell.reapDeadSleepers()).toBe(1);
    expect([bell.sleepersOn(10), bell.waiters]).toEqual([1, 1]);
    // Nothing more to reap; the live sleeper still wakes on a ring.
    expect(bell.reapDeadSleepers()).toBe(0);
    bell.ring(streamBit(10));
    await survivor.exited;
    expect([bell.sleepersOn(10), bell.waiters]).toEqual([0, 0]);
    bell.close();
  });

  it('reaps on its own: a sleeper whose park times out takes back a dead one\'s counts within a second', async () => {
    const bell = Doorbell.open(dir);
    const child = spawn(process.execPath, ['--input-type=module', '-e', SLEEPER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((ok) => child.on('exit', () => ok()));
    await waitFor(() => bell.sleepersOn(10) === 1, { what: 'the sleeper asleep on stream 10', timeoutMs: 20_000 });
    child.kill('SIGKILL');
    await exited;
    // Short parks on another stream, as an idle service makes them; one of them reaps.
    await waitFor(() => {
      bell.park(5e6, () => 0, streamBit(11));
      return bell.sleepersOn(10) === 0;
    }, { what: 'the dead sleeper reaped by a parking one', timeoutMs: 5_000 });
    expect(bell.waiters).toBe(0);
    bell.close();
  });
});

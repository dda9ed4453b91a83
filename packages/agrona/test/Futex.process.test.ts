import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FutexResult, MappedFile, futexWait, futexWake } from '../src/index.js';
import { useBellFile } from './bellFile.js';

const here = dirname(fileURLToPath(import.meta.url));
const addonPath = resolve(here, '../native/build/Release/mm_mmap.node');

/**
 * A second process maps the same file with the addon alone (plain JS, no build of the TypeScript needed): it sets
 * word 1 to 1 ("about to wait"), waits on word 0 (expected 0, 10 s bound, optionally with a bitset) and prints the
 * result and the time spent.
 */
const WAITER = `
const a = require(${JSON.stringify(addonPath)});
const b = a.map(process.argv[1], false);
const i32 = new Int32Array(b);
Atomics.store(i32, 1, 1);
const t0 = process.hrtime.bigint();
const bits = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
const r = a.futexWait(b, 0, 0, 10e9, bits);
process.stdout.write(JSON.stringify({ r, ms: Number(process.hrtime.bigint() - t0) / 1e6 }));
`;

function runWaiter(path: string, bitset?: number): { done: Promise<{ r: number; ms: number }> } {
  const args = ['-e', WAITER, path, ...(bitset === undefined ? [] : [String(bitset)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<{ r: number; ms: number }>((ok, fail) => {
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out) as { r: number; ms: number }) : fail(new Error(`waiter exited ${code}: ${out}`))));
  });
  return { done };
}

async function until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('futex across processes', () => {
  const bell = useBellFile();

  it('shouldWakeAWaiterInAnotherProcessLongBeforeItsTimeout', async () => {
    const file = bell.current();
    const i32 = file.buffer.i32;
    const waiter = runWaiter(file.path);
    await until(() => Atomics.load(i32, 1) === 1, 'the waiter to map the file');
    // The word is left at 0, so only a real wake can end the 10 s wait early: keep waking until the kernel reports
    // it woke someone (the waiter may not have entered the wait yet on the first attempts).
    let woken = 0;
    await until(() => (woken = futexWake(file, 0, 1)) === 1, 'futexWake to find the waiter');
    const { r, ms } = await waiter.done;
    expect(woken).toBe(1);
    expect(r).toBe(FutexResult.WOKEN);
    expect(ms).toBeLessThan(5000);
  });
});

describe('futex bitsets', () => {
  it('shouldWakeOnlyTheWaiterWhoseBitsetMeetsTheWakersAndRejectAnEmptyBitset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-futex-bits-'));
    const file = MappedFile.create(join(dir, 'bell'), 128);
    try {
      const i32 = file.buffer.i32;
      const waiter = runWaiter(file.path, 0b0100);
      await until(() => Atomics.load(i32, 1) === 1, 'the waiter to map the file');
      // Another stream's bit finds nobody, however often it is rung; the waiter's own bit wakes it.
      let foreign = 0;
      await until(() => {
        foreign += futexWake(file, 0, 1, 0b0010);
        return futexWake(file, 0, 1, 0b0110) === 1;
      }, 'a wake with the waiter bit');
      const { r, ms } = await waiter.done;
      expect(foreign).toBe(0);
      expect(r).toBe(FutexResult.WOKEN);
      expect(ms).toBeLessThan(5000);
      expect(() => futexWake(file, 0, 1, 0)).toThrow(/bitset must be a non-zero int32/);
      expect(futexWait(file, 0, 0, 1e6, 1 << 31)).toBe(FutexResult.TIMED_OUT);
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

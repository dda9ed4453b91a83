import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FutexResult, MappedFile, futexWait, futexWake } from '../src/index.js';

describe('futex on a mapped file', () => {
  let dir: string;
  let file: MappedFile;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mm-futex-'));
    file = MappedFile.create(join(dir, 'bell'), 128);
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shouldReturnNotEqualAtOnceWhenTheWordDiffers', () => {
    Atomics.store(file.buffer.i32, 0, 7);
    const t0 = performance.now();
    expect(futexWait(file, 0, 6, 5e9)).toBe(FutexResult.NOT_EQUAL);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('shouldHonourTheTimeoutWhenNobodyWakes', () => {
    const t0 = performance.now();
    expect(futexWait(file, 0, 0, 30e6)).toBe(FutexResult.TIMED_OUT);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(29);
    expect(ms).toBeLessThan(2000);
    expect(futexWait(file, 0, 0, 0)).toBe(FutexResult.TIMED_OUT);
  });

  it('shouldRejectAMisalignedOrOutOfRangeOffset', () => {
    expect(() => futexWait(file, 2, 0, 1)).toThrow(/multiple of 4 inside the buffer/);
    expect(() => futexWake(file, 128, 1)).toThrow(/multiple of 4 inside the buffer/);
    expect(() => futexWait(file, 0, 0, -1)).toThrow(/timeoutNs/);
  });


  it('shouldWakeNobodyWhenNobodyWaits', () => {
    expect(futexWake(file, 0, 0x7fffffff)).toBe(0);
  });
});

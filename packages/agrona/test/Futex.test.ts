import { describe, expect, it } from 'vitest';
import { FutexResult, futexWait, futexWake } from '../src/index.js';
import { useBellFile } from './bellFile.js';

describe('futex on a mapped file', () => {
  const bell = useBellFile();

  it('shouldReturnNotEqualAtOnceWhenTheWordDiffers', () => {
    const file = bell.current();
    Atomics.store(file.buffer.i32, 0, 7);
    const t0 = performance.now();
    expect(futexWait(file, 0, 6, 5e9)).toBe(FutexResult.NOT_EQUAL);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('shouldHonourTheTimeoutWhenNobodyWakes', () => {
    const file = bell.current();
    const t0 = performance.now();
    expect(futexWait(file, 0, 0, 30e6)).toBe(FutexResult.TIMED_OUT);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(29);
    expect(ms).toBeLessThan(2000);
    expect(futexWait(file, 0, 0, 0)).toBe(FutexResult.TIMED_OUT);
  });

  it('shouldRejectAMisalignedOrOutOfRangeOffset', () => {
    const file = bell.current();
    expect(() => futexWait(file, 2, 0, 1)).toThrow(/multiple of 4 inside the buffer/);
    expect(() => futexWake(file, 128, 1)).toThrow(/multiple of 4 inside the buffer/);
    expect(() => futexWait(file, 0, 0, -1)).toThrow(/timeoutNs/);
  });


  it('shouldWakeNobodyWhenNobodyWaits', () => {
    const file = bell.current();
    expect(futexWake(file, 0, 0x7fffffff)).toBe(0);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOORBELL_FILE, Doorbell, streamBit } from '../src/Doorbell.js';

describe('Doorbell (one process)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mm-bell-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('shouldCreateTheFileOnFirstOpenAndShareItWithLaterOpens', () => {
    const a = Doorbell.open(dir);
    const b = Doorbell.open(dir);
    expect(a.path).toBe(join(dir, DOORBELL_FILE));
    // b sleeps (announced) while a rings: the shared sequence moves.
    b.park(0, () => {
      a.ring();
      return 0;
    });
    expect(b.sequence).toBe(1);
    expect(a.waiters).toBe(0);
    a.close();
    b.close();
  });

  it('shouldCostOneLoadWhenNobodySleeps', () => {
    const bell = Doorbell.open(dir);
    bell.ring();
    bell.ring();
    expect(bell.sequence).toBe(0);
    bell.close();
  });

  it('shouldRingOnlyForStreamsSomeoneSleepsOn', () => {
    const a = Doorbell.open(dir);
    const b = Doorbell.open(dir);
    // b sleeps on streams 10 and 13 (bit 31 too: the sign bit must count like any other).
    const bits = streamBit(10) | streamBit(13) | streamBit(31);
    const seen: number[][] = [];
    b.park(0, () => {
      seen.push([a.sleepersOn(10), a.sleepersOn(13), a.sleepersOn(31), a.sleepersOn(15), a.waiters]);
      a.ring(streamBit(15)); // quotes: nobody sleeps on them, no system call, the sequence stays
      seen.push([a.sequence]);
      a.ring(streamBit(15) | streamBit(31));
      seen.push([a.sequence]);
      a.ring(streamBit(13));
      seen.push([a.sequence]);
      return 0;
    }, bits);
    expect(seen).toEqual([[1, 1, 1, 0, 1], [0], [1], [2]]);
    expect([a.sleepersOn(10), a.sleepersOn(13), a.sleepersOn(31), a.waiters]).toEqual([0, 0, 0, 0]);
    // A sleeper on every stream (bits 0 or ALL) is rung by any stream.
    b.park(0, () => {
      a.ring(streamBit(15));
      return 0;
    });
    expect(a.sequence).toBe(3);
    a.close();
    b.close();
  });

  it('shouldNotSleepWhenTheRecheckFindsWork', () => {
    const bell = Doorbell.open(dir);
    const t0 = performance.now();
    expect(bell.park(5e9, () => 2)).toBe(2);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(bell.waiters).toBe(0);
    bell.close();
  });

  it('shouldSleepNoLongerThanTheTimeoutWhenNobodyRings', () => {
    const bell = Doorbell.open(dir);
    const t0 = performance.now();
    expect(bell.park(20e6, () => 0)).toBe(0);
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(19);
    expect(ms).toBeLessThan(2000);
    bell.close();
  });

  it('shouldRefuseAFileThatIsNotADoorbell', () => {
    writeFileSync(join(dir, DOORBELL_FILE), 'short');
    expect(() => Doorbell.open(dir)).toThrow(/mm-doorbell: 5 bytes, expected 768/);
  });

  it('shouldNameTheDirWhenItCannotBeCreated', () => {
    expect(() => Doorbell.open(join(dir, 'missing'))).toThrow(/missing/);
  });
});

describe('Doorbell after close', () => {
  it('shouldIgnoreRingsAndNeverSleepOnceClosed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-bell-closed-'));
    try {
      const bell = Doorbell.open(dir);
      bell.close();
      expect(() => bell.ring()).not.toThrow();
      const t0 = performance.now();
      expect(bell.park(5e9, () => 0)).toBe(0);
      expect(performance.now() - t0).toBeLessThan(1000);
      bell.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

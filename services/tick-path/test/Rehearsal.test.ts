import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Rehearsal, removeStaleScratchDirs, scratchStreamIds } from '../src/Rehearsal.js';

const ownDirs = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith(`mm-rehearsal-${process.pid}-`));

describe('Rehearsal (a synthetic tick through scratch copies of the path)', () => {
  let r: Rehearsal | undefined;
  afterEach(() => {
    r?.close();
    r = undefined;
  });

  it('parses, prices and quotes on the shipped configuration, every step, without a fill', async () => {
    const before = ownDirs().length;
    r = await Rehearsal.create('BTCUSDT');
    expect(ownDirs().length).toBe(before + 1);
    const primed = r.counters();
    // Priming made pricing tradable and the strategy quote before the first rehearsal.
    expect(primed.fairValues).toBeGreaterThan(0);
    expect(primed.quotes).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) r.step();
    const c = r.counters();
    expect(c.steps).toBe(1000);
    expect(c.books - primed.books).toBe(1000);
    expect(c.fairValues - primed.fairValues).toBe(1000);
    // The wave moves the quote past the requote threshold on most steps: the quote path runs, not only the model.
    expect(c.quotes - primed.quotes).toBeGreaterThan(200);
    expect([c.fills, c.rebuilds]).toEqual([0, 0]);
    r.close();
    r = undefined;
    expect(ownDirs().length).toBe(before);
  });

  it('primes in chunks, so the event loop (a real frame) gets turns while it is built', async () => {
    let turns = 0;
    let done = false;
    const turn = (): void => {
      if (done) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    r = await Rehearsal.create('BTCUSDT');
    done = true;
    // 100 priming steps, 5 per turn.
    expect(turns).toBeGreaterThanOrEqual(19);
  });

  it('rehearses any configured symbol (its own requote threshold sets the wave)', async () => {
    r = await Rehearsal.create('ETHUSDT');
    for (let i = 0; i < 300; i++) r.step();
    expect(r.counters().quotes).toBeGreaterThan(60);
  });

  it('quotes to its scratch venue when the real strategy trades against the engine', async () => {
    r = await Rehearsal.create('BTCUSDT', { env: { ...process.env, MM_STRATEGY__VENUE: 'engine' } });
    for (let i = 0; i < 300; i++) r.step();
    expect(r.counters().quotes).toBeGreaterThan(60);
  });

  it('fails to build, naming the problem, for a symbol the strategy has no table for', async () => {
    const before = ownDirs().length;
    await expect(Rehearsal.create('NOPEUSDT')).rejects.toThrow(/NOPEUSDT/);
    expect(ownDirs().length).toBe(before);
  });
});

describe('scratchStreamIds', () => {
  it('gives eight private ids on doorbell bits no product stream uses (10–20), at a random base', () => {
    for (const x of [0, 0.5, 0.999999]) {
      const ids = Object.values(scratchStreamIds(() => x));
      expect(new Set(ids).size).toBe(8);
      expect(ids.map((id) => id & 31)).toEqual([21, 22, 23, 24, 25, 26, 27, 28]);
      for (const id of ids) expect(Number.isInteger(id) && id > 20 && id < 2 ** 31).toBe(true);
    }
    expect(scratchStreamIds(() => 0).book).not.toBe(scratchStreamIds(() => 0.5).book);
  });
});

describe('removeStaleScratchDirs', () => {
  it('removes the scratch dirs of dead hosts only', () => {
    const root = mkdtempSync(join(tmpdir(), 'mm-rehearsal-root-'));
    try {
      // A pid that existed and is gone: a child that has exited.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      for (const name of [`mm-rehearsal-${dead}-abc`, `mm-rehearsal-${process.pid}-def`, 'unrelated']) mkdirSync(join(root, name));
      expect(removeStaleScratchDirs(root)).toBe(1);
      expect(readdirSync(root).sort()).toEqual([`mm-rehearsal-${process.pid}-def`, 'unrelated']);
      expect(existsSync(join(root, `mm-rehearsal-${dead}-abc`))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

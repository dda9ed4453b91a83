import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KillSwitchStore, readKillSwitch, resetKillSwitch } from '../src/KillSwitchStore.js';

const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'mm-ks-'));
  dirs.push(d);
  return d;
};
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('KillSwitchStore', () => {
  it('a missing file is not engaged; a saved engagement reads back; reset releases it', () => {
    const file = join(dir(), 'nested', 'kill-switch.json');
    expect(readKillSwitch(file)).toEqual({ state: { engaged: false, reason: 'none', engagedAtNs: 0, pnlAtEngage: Number.NaN }, problem: undefined });
    const store = new KillSwitchStore(file, () => 1_700_000_000_000);
    expect(store.save({ engaged: true, reason: 'daily-loss-limit', engagedAtNs: 42, pnlAtEngage: -101.5 })).toBeUndefined();
    expect(readKillSwitch(file).state).toEqual({ engaged: true, reason: 'daily-loss-limit', engagedAtNs: 42, pnlAtEngage: -101.5 });
    expect(store.wasResetExternally()).toBe(false);
    expect(readdirSync(join(file, '..'))).toEqual(['kill-switch.json']); // no temp file left behind
    const before = resetKillSwitch(file);
    expect(before.engaged).toBe(true);
    expect(readKillSwitch(file).state.engaged).toBe(false);
    expect(store.wasResetExternally()).toBe(true);
    rmSync(file);
    expect(store.wasResetExternally()).toBe(true); // deleting the file is a reset too
  });

  it('a damaged or unreadable file means engaged, with the problem named', () => {
    const d = dir();
    const file = join(d, 'ks.json');
    writeFileSync(file, 'not json');
    const r = readKillSwitch(file);
    expect(r.state.engaged).toBe(true);
    expect(r.problem).toMatch(/not valid JSON/);
    writeFileSync(file, '{"engaged":"yes","reason":"none"}');
    expect(readKillSwitch(file).problem).toMatch(/"engaged" must be true or false/);
    writeFileSync(file, '{"engaged":true,"reason":"bored"}');
    expect(readKillSwitch(file).problem).toMatch(/unknown reason/);
    expect(readKillSwitch(d).problem).toMatch(/cannot read/); // a directory
  });

  it('a failed save is reported, retried, and never mistaken for an external reset', () => {
    const d = dir();
    writeFileSync(join(d, 'blocker'), 'a file where a directory is needed');
    const file = join(d, 'blocker', 'ks.json');
    const store = new KillSwitchStore(file, () => 0);
    expect(store.save({ engaged: true, reason: 'manual', engagedAtNs: 1, pnlAtEngage: Number.NaN })).toMatch(/cannot persist/);
    expect(store.hasUnsaved).toBe(true);
    expect(store.wasResetExternally()).toBe(false);
    expect(store.retry()).toMatch(/cannot persist/);
    rmSync(join(d, 'blocker'));
    expect(store.retry()).toBeUndefined();
    expect(existsSync(file)).toBe(true);
    expect(readKillSwitch(file).state.engaged).toBe(true);
  });
});

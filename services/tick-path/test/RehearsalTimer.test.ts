import { afterEach, describe, expect, it } from 'vitest';
import type { Rehearsal } from '../src/Rehearsal.js';
import { QUIET_LIMIT_MS, RehearsalTimer } from '../src/RehearsalTimer.js';

function rig(create?: () => Promise<Rehearsal>) {
  let now = 0;
  let book = false;
  const steps: number[] = [];
  const logs: string[] = [];
  let created = 0;
  let closed = 0;
  const stub = { step: () => steps.push(now), close: () => { closed++; }, counters: () => ({ steps: steps.length, books: 0, booksDropped: 0, fairValues: 0, quotes: 0, fills: 0, rebuilds: 0 }) } as unknown as Rehearsal;
  const timer = new RehearsalTimer('BTCUSDT', 60_000, () => {
    const b = book;
    book = false;
    return b;
  }, (level, message) => logs.push(`${level} ${message}`), () => now, create ?? (() => {
    created++;
    return Promise.resolve(stub);
  }));
  return {
    timer, steps, logs,
    get created() { return created; },
    get closed() { return closed; },
    at(ms: number, withBook = false) {
      now = ms;
      book = withBook;
      return timer.tick();
    },
  };
}

describe('RehearsalTimer', () => {
  const timers: RehearsalTimer[] = [];
  afterEach(() => {
    for (const t of timers.splice(0)) t.stop();
  });

  it('rehearses only while the market is quiet, not when a book just went out nor when none has for a second', async () => {
    const r = rig();
    timers.push(r.timer);
    expect(r.at(0)).toBe(false); // no book yet: nothing to keep warm for
    expect(r.at(1, true)).toBe(false); // a real book: the path is warm
    expect(r.at(2)).toBe(false); // quiet: the scratch pipeline is being built (its streams connect)
    expect(r.at(2.5)).toBe(false); // still building: built once only
    expect(r.created).toBe(1);
    await Promise.resolve();
    expect(r.at(3)).toBe(true);
    expect(r.at(4, true)).toBe(false);
    expect(r.at(5)).toBe(true);
    expect(r.at(4 + QUIET_LIMIT_MS)).toBe(true);
    expect(r.at(5 + QUIET_LIMIT_MS)).toBe(false); // a dead market: the host stays idle
    expect(r.steps).toEqual([3, 5, 4 + QUIET_LIMIT_MS]);
    expect(r.created).toBe(1);
    expect(r.logs[0]).toMatch(/^info rehearsal on: every 60000 ms/);
  });

  it('closes a pipeline that is ready only after the stop', async () => {
    let resolve: (r: Rehearsal) => void = () => {};
    let closed = 0;
    const r = rig(() => new Promise((res) => { resolve = res; }));
    r.at(0, true);
    expect(r.at(1)).toBe(false);
    r.timer.stop();
    resolve({ step: () => {}, close: () => { closed++; }, counters: () => ({}) } as unknown as Rehearsal);
    await Promise.resolve();
    expect(closed).toBe(1);
    expect(r.at(2)).toBe(false);
  });

  it('turns itself off with a warning when a rehearsal step throws', async () => {
    const failing = { step: () => { throw new Error('scratch strategy broke'); }, close: () => {}, counters: () => ({}) } as unknown as Rehearsal;
    const r = rig(() => Promise.resolve(failing));
    timers.push(r.timer);
    r.at(0, true);
    r.at(1);
    await Promise.resolve();
    expect(r.at(2)).toBe(false);
    expect(r.logs.at(-1)).toBe('warn rehearsal off: scratch strategy broke');
    expect(r.at(3)).toBe(false);
  });

  it('turns itself off with a warning when the scratch pipeline cannot be built', async () => {
    const r = rig(() => Promise.reject(new Error('config/strategy.toml has no [symbols.BTCUSDT] table')));
    timers.push(r.timer);
    r.at(0, true);
    expect(r.at(1)).toBe(false);
    await new Promise((res) => setImmediate(res));
    expect(r.logs.at(-1)).toBe('warn rehearsal off: config/strategy.toml has no [symbols.BTCUSDT] table');
    r.at(2, true);
    expect(r.at(3)).toBe(false);
    expect(r.logs.filter((l) => l.startsWith('warn')).length).toBe(1);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Rehearsal } from '../src/Rehearsal.js';
import { QUIET_LIMIT_MS, RehearsalTimer } from '../src/RehearsalTimer.js';

function rig(create?: () => Rehearsal) {
  let now = 0;
  let book = false;
  const steps: number[] = [];
  const logs: string[] = [];
  let created = 0;
  const stub = { step: () => steps.push(now), close: () => {}, counters: () => ({ steps: steps.length, books: 0, fairValues: 0, quotes: 0, fills: 0, rebuilds: 0 }) } as unknown as Rehearsal;
  const timer = new RehearsalTimer('BTCUSDT', 60_000, () => {
    const b = book;
    book = false;
    return b;
  }, (level, message) => logs.push(`${level} ${message}`), () => now, create ?? (() => {
    created++;
    return stub;
  }));
  return {
    timer, steps, logs,
    get created() { return created; },
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

  it('rehearses only while the market is quiet, not when a book just went out nor when none has for a second', () => {
    const r = rig();
    timers.push(r.timer);
    expect(r.at(0)).toBe(false); // no book yet: nothing to keep warm for
    expect(r.at(1, true)).toBe(false); // a real book: the path is warm
    expect(r.at(2)).toBe(true); // quiet: the scratch pipeline is built (primed) at the first rehearsal
    expect(r.created).toBe(1);
    expect(r.at(3)).toBe(true);
    expect(r.at(4, true)).toBe(false);
    expect(r.at(5)).toBe(true);
    expect(r.at(4 + QUIET_LIMIT_MS)).toBe(true);
    expect(r.at(5 + QUIET_LIMIT_MS)).toBe(false); // a dead market: the host stays idle
    expect(r.steps).toEqual([3, 5, 4 + QUIET_LIMIT_MS]);
    expect(r.logs[0]).toMatch(/^info rehearsal on: every 60000 ms/);
  });

  it('turns itself off with a warning when the scratch pipeline cannot be built', () => {
    const r = rig(() => {
      throw new Error('config/strategy.toml has no [symbols.BTCUSDT] table');
    });
    timers.push(r.timer);
    r.at(0, true);
    expect(r.at(1)).toBe(false);
    expect(r.logs.at(-1)).toBe('warn rehearsal off: config/strategy.toml has no [symbols.BTCUSDT] table');
    r.at(2, true);
    expect(r.at(3)).toBe(false);
  });
});

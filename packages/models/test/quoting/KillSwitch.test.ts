import { describe, expect, it } from 'vitest';
import { KillSwitch } from '../../src/quoting/KillSwitch.js';

describe('KillSwitch', () => {
  it('engages at the limit (inclusive) and stays engaged until reset', () => {
    const k = new KillSwitch(100);
    expect(k.update(-99.99, 1)).toBe(false);
    expect(k.update(-100, 2)).toBe(true);
    expect(k.reason).toBe('daily-loss-limit');
    expect(k.update(+500, 3)).toBe(true); // recovered PnL does not release it
    k.reset();
    expect(k.engaged).toBe(false);
    expect(k.update(0, 4)).toBe(false);
  });

  it('engages on a NaN PnL (fail safe) and manually', () => {
    const k = new KillSwitch(100);
    expect(k.update(Number.NaN, 1)).toBe(true);
    const m = new KillSwitch(100);
    m.engage(7);
    expect(m.engaged).toBe(true);
    expect(m.reason).toBe('manual');
  });

  it('round-trips its state through JSON', () => {
    const k = new KillSwitch(100);
    k.update(-150, 42);
    const json = JSON.stringify(k.state());
    const r = new KillSwitch(100);
    r.restore(JSON.parse(json));
    expect(r.engaged).toBe(true);
    expect(r.reason).toBe('daily-loss-limit');
    expect(r.state().engagedAtNs).toBe(42);
    expect(r.state().pnlAtEngage).toBe(-150);
    expect(r.update(1000, 50)).toBe(true);
  });

  it('rejects malformed state and configuration clearly', () => {
    const k = new KillSwitch(1);
    expect(() => k.restore(null)).toThrow(/object/);
    expect(() => k.restore({ engaged: 'yes', reason: 'manual', engagedAtNs: 0 })).toThrow(/engaged/);
    expect(() => k.restore({ engaged: true, reason: 'bored', engagedAtNs: 0 })).toThrow(/reason/);
    expect(() => new KillSwitch(0)).toThrow(/dailyLossLimit/);
  });
});

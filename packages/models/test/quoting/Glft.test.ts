import { describe, expect, it } from 'vitest';
import { Glft } from '../../src/quoting/Glft.js';
import { newModelQuote } from '../../src/quoting/QuotingModel.js';

const C1_GENERAL = 0.590971945160572;
const C2_GENERAL = 0.01912861027537;

describe('Glft', () => {
  // γ=ξ=0.1, k=1.5, A=140, Δ=1: c1 = 10·ln(16/15) = 0.645385211376, c2 = √(0.1/420·(16/15)^16) = 0.025858608061
  const m = new Glft({ gamma: 0.1, k: 1.5, A: 140 });

  it('matches hand-computed constants and distances', () => {
    expect(m.c1).toBeCloseTo(0.6453852113757, 12);
    expect(m.c2).toBeCloseTo(0.025858608060953, 12);
    // q=2, σ=2: δ^b = c1 + 2.5·2·c2 = 0.774678251680; δ^a = c1 − 1.5·2·c2 = 0.567809387193
    expect(m.bidDistance(2, 2)).toBeCloseTo(0.77467825168047, 11);
    expect(m.askDistance(2, 2)).toBeCloseTo(0.56780938719284, 11);
    const out = newModelQuote();
    m.quote(100, 2, 2, 0, out);
    expect(out.bid).toBeCloseTo(100 - 0.77467825168047, 11);
    expect(out.ask).toBeCloseTo(100 + 0.56780938719284, 11);
  });

  it('has a spread independent of q and a skew against inventory', () => {
    const a = newModelQuote();
    const b = newModelQuote();
    m.quote(100, -3, 2, 0, a);
    m.quote(100, 3, 2, 0, b);
    expect(a.ask - a.bid).toBeCloseTo(b.ask - b.bid, 12);
    expect(b.reservation).toBeLessThan(100);
    expect(a.reservation).toBeGreaterThan(100);
  });

  it('uses ξ and Δ in the general form', () => {
    // γ=0.1, ξ=0.2, Δ=2, k=1.5, A=140: c1 = 2.5·ln(1 + 0.4/1.5), c2 = √(0.1/840·(1 + 0.4/1.5)^4.75)
    const g = new Glft({ gamma: 0.1, k: 1.5, A: 140, xi: 0.2, delta: 2 });
    expect(g.c1).toBeCloseTo(C1_GENERAL, 12);
    expect(g.c2).toBeCloseTo(C2_GENERAL, 12);
    expect(g.bidDistance(0, 1)).toBeCloseTo(C1_GENERAL + C2_GENERAL, 12);
  });

  it('recomputes its constants when the intensity is recalibrated', () => {
    const g = new Glft({ gamma: 0.1, k: 1.5, A: 140 });
    g.setIntensity(50, 2);
    const fresh = new Glft({ gamma: 0.1, k: 2, A: 50 });
    expect(g.c1).toBe(fresh.c1);
    expect(g.c2).toBe(fresh.c2);
    expect(g.c2).not.toBeCloseTo(0.025858608060953, 6);
    expect(() => g.setIntensity(0, 2)).toThrow(/A/);
  });
});

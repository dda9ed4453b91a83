import { describe, expect, it } from 'vitest';
import { Backoff } from '../src/Backoff.js';
import { OutgoingRateLimiter } from '../src/OutgoingRateLimiter.js';

describe('OutgoingRateLimiter', () => {
  it('allows at most 5 messages in any one-second window', () => {
    let now = 0;
    const l = new OutgoingRateLimiter(() => now);
    for (let i = 0; i < 5; i++) { expect(l.tryAcquire()).toBe(true); now += 100e6; }
    expect(l.tryAcquire()).toBe(false); // t = 0.5 s: five already in the last second
    now = 1e9; // the first (t = 0) leaves the window
    expect(l.tryAcquire()).toBe(true);
    expect(l.tryAcquire()).toBe(false);
    expect(l.denied).toBe(2);
    expect(() => new OutgoingRateLimiter(() => 0, 0)).toThrow(RangeError);
  });
});

describe('Backoff', () => {
  it('grows exponentially with jitter in [d/2, d], capped, and resets', () => {
    const lo = new Backoff(100, 1000, () => 0);
    const hi = new Backoff(100, 1000, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6].map(() => lo.nextDelayMs())).toEqual([50, 100, 200, 400, 500, 500]);
    expect(hi.nextDelayMs()).toBeCloseTo(100, 3);
    expect(hi.nextDelayMs()).toBeCloseTo(200, 3);
    lo.reset();
    expect(lo.nextDelayMs()).toBe(50);
    expect(() => new Backoff(0, 10)).toThrow(RangeError);
  });
});

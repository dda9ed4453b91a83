import { describe, expect, it } from 'vitest';
import { RequoteThrottle } from '../../src/quoting/RequoteThrottle.js';

const MS = 1e6;

describe('RequoteThrottle', () => {
  it('sends the first quote, then only moves of at least the threshold', () => {
    const t = new RequoteThrottle({ priceThresholdE8: 100, minIntervalNs: 0, refreshIntervalNs: 0, maxQuotesPerSecond: 100 });
    expect(t.shouldSend(1000, 1, 2000, 1, 0)).toBe(true);
    t.record(1000, 1, 2000, 1, 0);
    expect(t.shouldSend(1099, 1, 2000, 1, 10 * MS)).toBe(false);
    expect(t.shouldSend(1000, 1, 1901, 1, 10 * MS)).toBe(false);
    expect(t.shouldSend(1100, 1, 2000, 1, 10 * MS)).toBe(true);
    expect(t.shouldSend(1000, 1, 1900, 1, 10 * MS)).toBe(true);
    // A side disappearing is a change even if prices did not move.
    expect(t.shouldSend(0, 0, 2000, 1, 10 * MS)).toBe(true);
  });

  it('waits the minimum interval after a send', () => {
    const t = new RequoteThrottle({ priceThresholdE8: 1, minIntervalNs: 50 * MS, refreshIntervalNs: 0, maxQuotesPerSecond: 100 });
    t.record(1000, 1, 2000, 1, 0);
    expect(t.shouldSend(1500, 1, 2500, 1, 50 * MS - 1)).toBe(false);
    expect(t.shouldSend(1500, 1, 2500, 1, 50 * MS)).toBe(true);
  });

  it('refreshes an unchanged quote after the refresh interval', () => {
    const t = new RequoteThrottle({ priceThresholdE8: 100, minIntervalNs: 0, refreshIntervalNs: 1000 * MS, maxQuotesPerSecond: 100 });
    t.record(1000, 1, 2000, 1, 0);
    expect(t.shouldSend(1000, 1, 2000, 1, 999 * MS)).toBe(false);
    expect(t.shouldSend(1000, 1, 2000, 1, 1000 * MS)).toBe(true);
  });

  it('caps the rate over the trailing second', () => {
    const t = new RequoteThrottle({ priceThresholdE8: 1, minIntervalNs: 0, refreshIntervalNs: 0, maxQuotesPerSecond: 3 });
    let sent = 0;
    for (let i = 0; i < 100; i++) {
      const now = i * 10 * MS; // 100 candidates over 1 s, every one a move
      if (t.shouldSend(1000 + i * 10, 1, 2000 + i * 10, 1, now)) {
        t.record(1000 + i * 10, 1, 2000 + i * 10, 1, now);
        sent++;
      }
    }
    expect(sent).toBe(3);
    expect(t.shouldSend(99999, 1, 99999, 1, 1000 * MS)).toBe(true); // the first send left the window
  });

  it('reset() lets the next quote out at once but keeps the rate window', () => {
    const t = new RequoteThrottle({ priceThresholdE8: 100, minIntervalNs: 500 * MS, refreshIntervalNs: 0, maxQuotesPerSecond: 1 });
    t.record(1000, 1, 2000, 1, 0);
    t.reset();
    expect(t.shouldSend(1000, 1, 2000, 1, 600 * MS)).toBe(false); // rate: 1 per second
    expect(t.shouldSend(1000, 1, 2000, 1, 1000 * MS)).toBe(true);
  });
});

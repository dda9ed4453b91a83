import { describe, expect, it } from 'vitest';
import { UncheckedInput } from '../src/UncheckedInput.js';

describe('UncheckedInput', () => {
  it('counts a client\'s messages as checked once the matcher output up to their mark has been checked', () => {
    const u = new UncheckedInput(4);
    u.sent = 10;
    u.mark(100); // the client's 10 messages are within the matcher's first 100
    u.sent = 25;
    u.mark(180);
    expect(u.unchecked(99)).toBe(25);
    expect(u.unchecked(100)).toBe(15);
    expect(u.unchecked(179)).toBe(15);
    expect(u.unchecked(180)).toBe(0);
  });

  it('moves the newest mark forward when its ring is full, never counting unchecked messages as checked', () => {
    const u = new UncheckedInput(2);
    for (let k = 1; k <= 5; k++) {
      u.sent = k * 10;
      u.mark(k * 100);
    }
    // Marks kept: (100, 10) and the merged (500, 50); nothing between is claimed checked.
    expect(u.unchecked(300)).toBe(40);
    expect(u.unchecked(499)).toBe(40);
    expect(u.unchecked(500)).toBe(0);
  });

  it('adds no mark when the client sent nothing since the last one', () => {
    const u = new UncheckedInput(2);
    u.sent = 3;
    u.mark(7);
    u.mark(9);
    u.mark(11);
    u.sent = 4;
    u.mark(12);
    expect(u.unchecked(7)).toBe(1);
    expect(u.unchecked(12)).toBe(0);
  });

  it('refuses a capacity that is not a power of two', () => {
    expect(() => new UncheckedInput(3)).toThrow(/power of two/);
  });
});

import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../src/didYouMean.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['depth-speed-ms', 'depth-sped-ms', 1],
    ['flaw', 'lawn', 2],
    ['degub', 'debug', 2],
    ['wran', 'warn', 1],
    ['ab', 'ba', 1],
  ])('%s vs %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('didYouMean', () => {
  const keys = ['depth-speed-ms', 'ws-url', 'timeout-ms', 'symbols'];
  it('ignores case and separators', () => {
    expect(didYouMean('depthSpeedMs', keys)).toBe('depth-speed-ms');
    expect(didYouMean('DEPTH_SPEED_MS', keys)).toBe('depth-speed-ms');
  });
  it('suggests close typos and dropped suffixes', () => {
    expect(didYouMean('symbosl', keys)).toBe('symbols');
    expect(didYouMean('timeout', keys)).toBe('timeout-ms');
  });
  it('offers nothing for unrelated names', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('x', keys)).toBeUndefined();
    expect(didYouMean('anything', [])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { ABSENT, formatDecimal, formatUnits } from '../src/DisplayFormat.js';

describe('formatUnits', () => {
  it('shows 1e-8 units exactly, trimming trailing zeros to the minimum decimals', () => {
    expect(formatUnits(6_500_012_000_000)).toBe('65000.12');
    expect(formatUnits(6_500_000_000_000)).toBe('65000.00');
    expect(formatUnits(6_500_000_000_001)).toBe('65000.00000001');
    expect(formatUnits(1_500_000, 0)).toBe('0.015');
    expect(formatUnits(-200_000_000, 0)).toBe('-2');
    expect(formatUnits(0, 0)).toBe('0');
  });
  it('shows an absent value as a dash', () => {
    expect(formatUnits(NaN)).toBe(ABSENT);
  });
});

describe('formatDecimal', () => {
  it('rounds floats to the nearest 1e-8 before showing them', () => {
    expect(formatDecimal(65000.125)).toBe('65000.125');
    expect(formatDecimal(12.5 + -2.25 - 0.1)).toBe('10.15');
    expect(formatDecimal(-0.000000004)).toBe('0.00');
    expect(formatDecimal(0.123456789)).toBe('0.12345679');
    expect(formatDecimal(Infinity)).toBe(ABSENT);
  });
});

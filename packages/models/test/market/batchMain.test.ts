import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_BATCH_ARGS, main, parseBatchArgs } from '../../src/market/batchMain.js';

describe('batchMain', () => {
  it('defaults to the paper parameters and parses --key value and --key=value', () => {
    expect(parseBatchArgs([])).toEqual({ s0: 100, T: 1, sigma: 2, dt: 0.005, k: 1.5, A: 140, gamma: 0.1, runs: 1000, seed: 1 });
    const a = parseBatchArgs(['--gamma', '0.5', '--runs=20', '--seed', '7']);
    expect(a).toEqual({ ...DEFAULT_BATCH_ARGS, gamma: 0.5, runs: 20, seed: 7 });
  });

  it('names bad arguments', () => {
    expect(() => parseBatchArgs(['--gama', '1'])).toThrow(/unknown option --gama/);
    expect(() => parseBatchArgs(['--sigma'])).toThrow(/--sigma needs a number/);
    expect(() => parseBatchArgs(['--sigma', 'x'])).toThrow(/--sigma needs a number, got "x"/);
    expect(() => parseBatchArgs(['0.1'])).toThrow(/unexpected argument/);
  });

  it('prints the table for both strategies, and exits 2 on bad input', () => {
    const out: string[] = [];
    const err: string[] = [];
    const w = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    try {
      expect(main(['--runs', '30'])).toBe(0);
      expect(main(['--dt', '0'])).toBe(2);
    } finally {
      w.mockRestore();
      e.mockRestore();
    }
    const text = out.join('');
    expect(text).toMatch(/runs=30/);
    const inv = /^inventory\s+([\d.]+)\s+(-?[\d.]+)\s+([\d.]+)\s+(-?[\d.]+)\s+([\d.]+)$/m.exec(text);
    const sym = /^symmetric\s+([\d.]+)\s+(-?[\d.]+)\s+([\d.]+)\s+(-?[\d.]+)\s+([\d.]+)$/m.exec(text);
    expect(inv).not.toBeNull();
    expect(sym).not.toBeNull();
    expect(inv![1]).toBe(sym![1]); // same average spread
    expect(Number(inv![5])).toBeLessThan(Number(sym![5])); // std(q)
    expect(err.join('')).toMatch(/dt must be/);
  });
});

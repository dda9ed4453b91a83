import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Stage, StageTrace } from '../src/StageTrace.js';

function triples(a: Float64Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < a.length; i += 3) out.push([a[i]!, a[i + 1]!]);
  return out;
}

describe('StageTrace', () => {
  it('records nothing when off', () => {
    const trace = new StageTrace(0);
    trace.mark(Stage.BOOK_APPLIED, 1);
    expect(trace.enabled).toBe(false);
    expect(trace.snapshot().length).toBe(0);
  });

  it('drops the marks made while muted', () => {
    const trace = new StageTrace(8);
    trace.mark(Stage.BOOK_APPLIED, 1);
    trace.muted = true;
    trace.mark(Stage.BOOK_APPLIED, 2);
    trace.muted = false;
    trace.mark(Stage.BOOK_APPLIED, 3);
    expect(triples(trace.snapshot()).map(([, key]) => key)).toEqual([1, 3]);
  });

  it('keeps the last `capacity` marks, oldest first, with increasing monotonic times', () => {
    const trace = new StageTrace(4);
    for (let k = 1; k <= 6; k++) trace.mark(k % 2 === 0 ? Stage.PRICING_BOOK : Stage.PRICING_OFFERED, k * 1000);
    const s = trace.snapshot();
    expect(triples(s)).toEqual([
      [Stage.PRICING_OFFERED, 3000], [Stage.PRICING_BOOK, 4000], [Stage.PRICING_OFFERED, 5000], [Stage.PRICING_BOOK, 6000],
    ]);
    for (let i = 5; i < s.length; i += 3) expect(s[i]!).toBeGreaterThanOrEqual(s[i - 3]!);
    // CLOCK_MONOTONIC in ns, like the recvTimeNs it is compared with.
    expect(Math.abs(s[2]! - Number(process.hrtime.bigint()))).toBeLessThan(60e9);
  });

  it('writes little-endian float64 triples a reader can join on the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stage-trace-'));
    try {
      const trace = new StageTrace(8);
      trace.mark(Stage.BOOK_APPLIED, 42);
      trace.mark(Stage.BOOK_OFFERED, 42);
      const path = join(dir, 'x.trace');
      trace.writeTo(path);
      const bytes = readFileSync(path);
      expect(bytes.length).toBe(2 * 3 * 8);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      expect([view.getFloat64(0, true), view.getFloat64(8, true), view.getFloat64(24, true), view.getFloat64(32, true)])
        .toEqual([Stage.BOOK_APPLIED, 42, Stage.BOOK_OFFERED, 42]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { applyMessage } from '../src/applyMessage.js';
import { DEFAULT_CORE_LIMITS } from '../src/CoreLimits.js';
import { decodeMessage } from '../src/decodeMessage.js';
import { DecodeStatus, InboundMessage } from '../src/InboundMessage.js';
import { MatchingCore } from '../src/MatchingCore.js';
import { CsvRecorder } from './support/CsvRecorder.js';
import { loadExpected, loadScenarios, toExerciseFields } from './support/scenarios.js';

const limits = { ...DEFAULT_CORE_LIMITS, maxOrders: 1024, maxBooks: 16, maxLevelsPerBook: 64 };
const enc = new TextEncoder();

function run(core: MatchingCore, rec: CsvRecorder, line: string): string[] {
  const bytes = enc.encode(line);
  const m = new InboundMessage();
  const st = decodeMessage(bytes, 0, bytes.length, m);
  expect(st, `decoding '${line}'`).not.toBe(DecodeStatus.MALFORMED);
  applyMessage(core, 1, st, m);
  return rec.take();
}

describe('public scenarios through the core', () => {
  const scenarios = loadScenarios();
  const expected = loadExpected();

  it('has 16 scenarios and expectations for the 8 odd ones', () => {
    expect(scenarios.length).toBe(16);
    expect([...expected.keys()]).toEqual([1, 3, 5, 7, 9, 11, 13, 15]);
  });

  it('reproduces every odd scenario field by field, and flush empties the books', () => {
    const rec = new CsvRecorder();
    const core = new MatchingCore(limits, rec);
    for (const sc of scenarios) {
      const got: string[][] = [];
      for (const line of sc.input) for (const out of run(core, rec, line)) got.push(toExerciseFields(out));
      const exp = expected.get(sc.number);
      if (exp) expect(got, `scenario ${sc.number}`).toEqual(exp);
      const flushOut = run(core, rec, 'F');
      expect(core.restingOrders, `scenario ${sc.number} after flush`).toBe(0);
      // Flush output is only cancel acks and emptied tops of book.
      for (const l of flushOut) expect(l).toMatch(/^(C, \w+, \d+, \d+|B, \w+, [BS], -, -)$/);
    }
  });

  it('prints the symbol as the second field and the exercise content otherwise (scenario 1 first lines)', () => {
    const rec = new CsvRecorder();
    const core = new MatchingCore(limits, rec);
    expect(run(core, rec, 'N, 1, IBM, 10, 100, B, 1')).toEqual(['A, IBM, 1, 1', 'B, IBM, B, 10, 100']);
  });

  it('flush of scenario 2 lists resting orders bids best first then asks, then emptied sides', () => {
    const rec = new CsvRecorder();
    const core = new MatchingCore(limits, rec);
    for (const line of scenarios[1].input) run(core, rec, line);
    expect(run(core, rec, 'F')).toEqual([
      'C, AAPL, 1, 3',
      'C, AAPL, 2, 102',
      'C, AAPL, 1, 2',
      'B, AAPL, B, -, -',
      'B, AAPL, S, -, -',
    ]);
  });

  it('even scenarios end in the tops of book their comments state', () => {
    const tops: Record<number, [number, number]> = { 2: [10, 11], 4: [9, 11], 6: [9, 11], 8: [11, 14], 10: [10, 11], 12: [10, 11], 14: [9, 12], 16: [0, 11] };
    for (const [n, [bid, ask]] of Object.entries(tops)) {
      const rec = new CsvRecorder();
      const core = new MatchingCore(limits, rec);
      const sc = scenarios[Number(n) - 1];
      for (const line of sc.input) run(core, rec, line);
      const sym = sc.input[0].split(',')[2].trim();
      const book = core.bookOf(...symbolWords(sym));
      expect([core.bestPrice(book, 0x42), core.bestPrice(book, 0x53)], `scenario ${n}`).toEqual([bid, ask]);
    }
  });
});

function symbolWords(s: string): [number, number] {
  const b = new Uint8Array(8);
  b.set(enc.encode(s));
  const dv = new DataView(b.buffer);
  return [dv.getUint32(0), dv.getUint32(4)];
}

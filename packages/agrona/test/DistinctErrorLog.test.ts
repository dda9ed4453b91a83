import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';
import { DistinctErrorLog } from '../src/DistinctErrorLog.js';

function readRecords(buffer: AtomicBuffer): Array<{ count: number; first: number; last: number; text: string }> {
  const records = [];
  for (let offset = 0; offset + 24 <= buffer.capacity;) {
    const length = buffer.getInt32Volatile(offset);
    if (length === 0) break;
    records.push({
      count: buffer.getInt32(offset + 4),
      last: buffer.getInt64(offset + 8),
      first: buffer.getInt64(offset + 16),
      text: new TextDecoder().decode(buffer.bytes.subarray(offset + 24, offset + length)),
    });
    offset += (length + 7) & ~7;
  }
  return records;
}

describe('DistinctErrorLog', () => {
  it('shouldRecordDistinctErrorsOnceAndCountRepeats', () => {
    let now = 1_000;
    const buffer = AtomicBuffer.allocate(4096);
    const log = new DistinctErrorLog(buffer, () => now);
    expect(log.recordDescription('first failure')).toBe(true);
    now = 2_000;
    expect(log.recordDescription('second failure, longer text')).toBe(true);
    now = 3_000;
    expect(log.recordDescription('first failure')).toBe(true);
    const records = readRecords(buffer);
    expect(records).toEqual([
      { count: 2, first: 1_000, last: 3_000, text: 'first failure' },
      { count: 1, first: 2_000, last: 2_000, text: 'second failure, longer text' },
    ]);
    expect(log.distinctCount()).toBe(2);
    // Records are 8-aligned: 24 + 13 = 37 -> 40.
    expect(buffer.getInt32(40)).toBe(24 + 27);
  });

  it('shouldDescribeErrorsWithNameAndMessage', () => {
    const buffer = AtomicBuffer.allocate(4096);
    const log = new DistinctErrorLog(buffer, () => 5);
    log.record(new TypeError('bad channel'));
    expect(readRecords(buffer)[0]!.text).toMatch(/^TypeError: bad channel\n\s+at /);
  });

  it('shouldDropNewErrorsWhenFullButKeepCountingKnownOnes', () => {
    const buffer = AtomicBuffer.allocate(64);
    const log = new DistinctErrorLog(buffer, () => 5);
    expect(log.recordDescription('x'.repeat(30))).toBe(true); // 54 -> 56
    expect(log.recordDescription('y')).toBe(false);
    expect(log.recordDescription('x'.repeat(30))).toBe(true);
    expect(readRecords(buffer)).toHaveLength(1);
    expect(readRecords(buffer)[0]!.count).toBe(2);
  });
});

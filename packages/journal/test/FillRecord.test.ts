import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { FILL_RECORD_LENGTH, FillRecord } from '../src/FillRecord.js';

describe('FillRecord', () => {
  it('round-trips every field at its documented offset, negative fees and 2^53-range ids included', () => {
    const buf = AtomicBuffer.allocate(8 + FILL_RECORD_LENGTH);
    buf.setMemory(0, buf.capacity, 0xee);
    const sym = Uint8Array.from('BTCUSDT', (c) => c.charCodeAt(0));
    const w = new FillRecord().wrap(buf, 8, true);
    w.setFillId(2 ** 53 - 1).setOrderId(17).setQuoteId(99).setPrice(3_000_012_345_678).setQty(12_345).setFee(-1_500)
      .setFillTimeNs(123_456_789_012).setRecvTimeNs(123_456_000_000).setFillEpochMs(1_763_700_000_123)
      .setSymbolBytes(sym).setVenue(1).setSide(2).setLiquidity(1);
    const r = new FillRecord().wrap(buf, 8);
    expect([r.fillId(), r.orderId(), r.quoteId(), r.price(), r.qty(), r.fee(), r.fillTimeNs(), r.recvTimeNs(), r.fillEpochMs()])
      .toEqual([2 ** 53 - 1, 17, 99, 3_000_012_345_678, 12_345, -1_500, 123_456_789_012, 123_456_000_000, 1_763_700_000_123]);
    expect([r.symbol(), r.venue(), r.side(), r.liquidity(), r.symbolOffset()]).toEqual(['BTCUSDT', 1, 2, 1, 8 + 72]);
    expect(buf.getInt64(8 + 24)).toBe(3_000_012_345_678); // price at 24
    expect(Array.from(buf.bytes.subarray(8 + 91, 8 + 96))).toEqual([0, 0, 0, 0, 0]); // padding zeroed
    expect(Array.from(buf.bytes.subarray(0, 8))).toEqual(new Array(8).fill(0xee)); // nothing written before the record
  });

  it('refuses a buffer too small for a record', () => {
    expect(() => new FillRecord().wrap(AtomicBuffer.allocate(100), 8)).toThrow(/needs 96 bytes at 8/);
  });
});

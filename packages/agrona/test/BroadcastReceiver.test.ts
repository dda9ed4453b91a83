import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';
import { BroadcastReceiver } from '../src/BroadcastReceiver.js';
import { BroadcastLappedError, CopyBroadcastReceiver } from '../src/CopyBroadcastReceiver.js';
import { align } from '../src/RingBufferDescriptor.js';

/** Test-only transmitter following the documented single-writer protocol (intent, plain writes, latest, tail). */
function transmit(buffer: AtomicBuffer, capacity: number, type: number, payload: number[]): void {
  const tail = buffer.getInt64(capacity + 8);
  let offset = tail % capacity;
  const recordLength = payload.length + 8;
  const aligned = align(recordLength, 8);
  let newTail = tail + aligned;
  const toEnd = capacity - offset;
  let start = tail;
  if (toEnd < aligned) {
    buffer.putInt64Ordered(capacity, newTail + toEnd);
    buffer.putInt32(offset, toEnd);
    buffer.putInt32(offset + 4, -1);
    newTail += toEnd;
    start += toEnd;
    offset = 0;
  } else {
    buffer.putInt64Ordered(capacity, newTail);
  }
  buffer.putInt32(offset, recordLength);
  buffer.putInt32(offset + 4, type);
  payload.forEach((v, i) => buffer.putUint8(offset + 8 + i, v));
  buffer.putInt64Ordered(capacity + 16, start);
  buffer.putInt64Ordered(capacity + 8, newTail);
}

describe('BroadcastReceiver / CopyBroadcastReceiver', () => {
  it('receives from the latest record on, across the wrap', () => {
    const capacity = 128;
    const buffer = AtomicBuffer.allocate(capacity + 128);
    transmit(buffer, capacity, 1, [1]);
    const copy = new CopyBroadcastReceiver(new BroadcastReceiver(buffer), 64);
    const got: Array<[number, number[]]> = [];
    const handler = (type: number, b: AtomicBuffer, o: number, l: number) => got.push([type, [...b.bytes.subarray(o, o + l)]]);
    expect(copy.receive(handler)).toBe(1); // the latest existing record
    expect(copy.receive(handler)).toBe(0);
    for (let i = 2; i <= 8; i++) {
      transmit(buffer, capacity, i, [i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i]);
      expect(copy.receive(handler)).toBe(1);
    }
    expect(got.map(([t]) => t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(got[7]![1]).toEqual(new Array(20).fill(8));
  });

  it('throws when lapped by the transmitter', () => {
    const capacity = 128;
    const buffer = AtomicBuffer.allocate(capacity + 128);
    transmit(buffer, capacity, 1, [1]);
    const receiver = new BroadcastReceiver(buffer);
    const copy = new CopyBroadcastReceiver(receiver, 64);
    copy.receive(() => {});
    for (let i = 0; i < 20; i++) transmit(buffer, capacity, 2, new Array(20).fill(0));
    expect(() => copy.receive(() => {})).toThrow(BroadcastLappedError);
    expect(receiver.lappedCount).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';
import { INSUFFICIENT_CAPACITY, ManyToOneRingBuffer } from '../src/ManyToOneRingBuffer.js';
import { RingBufferDescriptor as D } from '../src/RingBufferDescriptor.js';

function ring(capacity = 1024) {
  const buffer = AtomicBuffer.allocate(capacity + D.TRAILER_LENGTH);
  return { buffer, rb: new ManyToOneRingBuffer(buffer) };
}

function msg(n: number, fill: number): AtomicBuffer {
  const b = AtomicBuffer.allocate(n);
  b.setMemory(0, n, fill);
  return b;
}

describe('ManyToOneRingBuffer', () => {
  it('rejects a capacity that is not a power of two', () => {
    expect(() => new ManyToOneRingBuffer(AtomicBuffer.allocate(1000 + 768))).toThrow(/power of two/);
  });

  it('writes records with the Aeron layout and reads them back in order', () => {
    const { buffer, rb } = ring();
    expect(rb.write(7, msg(5, 0xaa), 0, 5)).toBe(true);
    expect(rb.write(8, msg(12, 0xbb), 0, 12)).toBe(true);
    // Record 0: length 13 (8 + 5), type 7; record 1 at align(13, 8) = 16.
    expect(buffer.getInt32(0)).toBe(13);
    expect(buffer.getInt32(4)).toBe(7);
    expect(buffer.getInt32(16)).toBe(20);
    expect(rb.producerPosition()).toBe(16 + 24);
    const seen: Array<[number, number, number]> = [];
    expect(rb.read((type, b, index, length) => seen.push([type, length, b.getUint8(index)]))).toBe(2);
    expect(seen).toEqual([[7, 5, 0xaa], [8, 12, 0xbb]]);
    // Consumed bytes are zeroed before the head moves.
    expect(buffer.getInt32(0)).toBe(0);
    expect(rb.consumerPosition()).toBe(40);
    expect(rb.size()).toBe(0);
  });

  it('pads at the end of the buffer and wraps', () => {
    const { buffer, rb } = ring(1024);
    const payload = msg(112, 1); // record 120 bytes
    for (let i = 0; i < 8; i++) expect(rb.write(1, payload, 0, 112)).toBe(true);
    expect(rb.read(() => {})).toBe(8);
    // 64 bytes left before the end: a 120-byte record needs padding there and goes to index 0.
    expect(rb.write(2, msg(112, 9), 0, 112)).toBe(true);
    expect(buffer.getInt32(960)).toBe(64);
    expect(buffer.getInt32(964)).toBe(-1);
    expect(buffer.getInt32(4)).toBe(2);
    const types: number[] = [];
    expect(rb.read((t) => types.push(t))).toBe(0); // the padding up to the end of the buffer
    expect(rb.read((t, b, index) => types.push(t, b.getUint8(index)))).toBe(1);
    expect(types).toEqual([2, 9]);
    expect(rb.consumerPosition()).toBe(1024 + 120);
  });

  it('reports a full buffer, honours the message limit and aborts', () => {
    const { rb } = ring(256);
    let written = 0; // 24-byte payload = 32-byte records
    while (rb.write(3, msg(24, 0), 0, 24)) written++;
    expect(written).toBe(8);
    expect(rb.tryClaim(3, 24)).toBe(INSUFFICIENT_CAPACITY);
    expect(rb.read(() => {}, 3)).toBe(3);
    const index = rb.tryClaim(4, 8);
    expect(index).toBeGreaterThanOrEqual(0);
    rb.abort(index);
    let count = 0;
    for (let i = 0; i < 4; i++) count += rb.read(() => {});
    expect(count).toBe(5);
    expect(() => rb.tryClaim(0, 8)).toThrow(/type id/);
    expect(() => rb.tryClaim(1, 33)).toThrow(/maxMsgLength/);
  });

  it('hands out increasing correlation ids and keeps the consumer heartbeat', () => {
    const { rb } = ring();
    expect(rb.nextCorrelationId()).toBe(0);
    expect(rb.nextCorrelationId()).toBe(1);
    rb.setConsumerHeartbeatTime(1_800_000_000_123);
    expect(rb.consumerHeartbeatTime()).toBe(1_800_000_000_123);
  });

  it('unblocks a record whose producer died after claiming', () => {
    const { rb } = ring();
    rb.tryClaim(5, 16); // never committed
    expect(rb.write(6, msg(4, 0), 0, 4)).toBe(true);
    expect(rb.read(() => {})).toBe(0);
    expect(rb.unblock()).toBe(true);
    const types: number[] = [];
    rb.read((t) => types.push(t));
    expect(types).toEqual([6]);
  });
});

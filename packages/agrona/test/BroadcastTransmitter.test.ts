import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../src/AtomicBuffer.js';
import { BroadcastTransmitter } from '../src/BroadcastTransmitter.js';
import { CNC, readVector } from './capturedVectors.js';

describe('BroadcastTransmitter', () => {
  it('shouldReproduceTheDriverResponsesCapturedFromAeron', () => {
    const cnc = readVector('cnc.with-pub-sub.dat.gz');
    const captured = new AtomicBuffer(cnc.buffer, CNC.toClients, CNC.toClientsLength);
    const capacity = CNC.toClientsLength - 128;
    const tail = captured.getInt64(capacity + 8);
    expect(tail).toBeGreaterThan(0);

    const ours = AtomicBuffer.allocate(CNC.toClientsLength);
    const transmitter = new BroadcastTransmitter(ours);
    for (let offset = 0; offset < tail;) {
      const length = captured.getInt32(offset);
      const type = captured.getInt32(offset + 4);
      transmitter.transmit(type, captured, offset + 8, length - 8);
      offset += (length + 7) & ~7;
    }
    expect(Buffer.from(ours.bytes.subarray(0, tail)).equals(Buffer.from(captured.bytes.subarray(0, tail)))).toBe(true);
    for (const field of [0, 8, 16]) {
      expect(ours.getInt64(capacity + field)).toBe(captured.getInt64(capacity + field));
    }
  });

  it('shouldPadToTheEndAndWrapWhenARecordDoesNotFit', () => {
    const capacity = 4096;
    const buffer = AtomicBuffer.allocate(capacity + 128);
    const transmitter = new BroadcastTransmitter(buffer);
    const payload = AtomicBuffer.allocate(512);
    for (let i = 0; i < 8; i++) transmitter.transmit(3, payload, 0, 500); // 8 x 512 fills the buffer exactly
    expect(transmitter.tail()).toBe(capacity);
    transmitter.transmit(5, payload, 0, 100); // 112 at offset 0
    for (let i = 0; i < 7; i++) transmitter.transmit(6, payload, 0, 500); // up to offset 112 + 3584 = 3696
    const before = transmitter.tail();
    expect(before).toBe(capacity + 3696);
    payload.putInt32(0, 0x01020304);
    transmitter.transmit(8, payload, 0, 500); // needs 512, 400 left: padding then wrap to 0
    expect(buffer.getInt32(3696)).toBe(400);
    expect(buffer.getInt32(3700)).toBe(-1);
    expect(buffer.getInt32(0)).toBe(508);
    expect(buffer.getInt32(4)).toBe(8);
    expect(buffer.getInt32(8)).toBe(0x01020304);
    expect(buffer.getInt64(capacity + 16)).toBe(before + 400); // latest
    expect(buffer.getInt64(capacity + 8)).toBe(before + 400 + 512); // tail
    expect(buffer.getInt64(capacity + 0)).toBe(before + 400 + 512); // intent
  });

  it('shouldRejectBadCapacityAndOversizedMessages', () => {
    expect(() => new BroadcastTransmitter(AtomicBuffer.allocate(1000 + 128))).toThrow(/power of two/);
    const transmitter = new BroadcastTransmitter(AtomicBuffer.allocate(1024 + 128));
    expect(() => transmitter.transmit(1, AtomicBuffer.allocate(256), 0, 129)).toThrow(/length 129/);
    expect(() => transmitter.transmit(0, AtomicBuffer.allocate(8), 0, 8)).toThrow(/type id/);
  });
});

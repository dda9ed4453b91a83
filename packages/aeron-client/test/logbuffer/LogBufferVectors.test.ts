import { describe, expect, it } from 'vitest';
import { FragmentAssembler } from '../../src/FragmentAssembler.js';
import { Header } from '../../src/logbuffer/Header.js';
import * as LB from '../../src/logbuffer/LogBufferDescriptor.js';
import { TermReader } from '../../src/logbuffer/TermReader.js';
import { DataHeaderFlyweight, HEADER_LENGTH } from '../../src/protocol/DataHeaderFlyweight.js';
import { loadVector } from '../vectors.js';

function open(name: string) {
  const log = loadVector(name);
  const logBuffers = new LB.LogBuffers(log);
  return { log, logBuffers, meta: logBuffers.meta };
}

describe('log buffers captured from Aeron 1.47.3', () => {
  it('reads the metadata of 4.logbuffer', () => {
    const { log, meta } = open('4.logbuffer.gz');
    expect(log.capacity).toBe(200_704);
    expect(log.capacity).toBe(LB.computeLogLength(65536, 4096));
    expect(LB.termLength(meta)).toBe(65536);
    expect(LB.mtuLength(meta)).toBe(1408);
    expect(LB.pageSize(meta)).toBe(4096);
    expect(LB.correlationId(meta)).toBe(4);
    expect(LB.activeTermCount(meta)).toBe(0);
    expect(LB.isConnected(meta)).toBe(true);
    const initialTermId = LB.initialTermId(meta);
    const tail0 = LB.rawTailVolatile(meta, 0);
    expect(LB.termIdFromRawTail(tail0)).toBe(initialTermId);
    expect(LB.termOffsetFromRawTail(tail0, 65536)).toBe(320);
    const split = new Int32Array(2);
    LB.readRawTail(meta, 0, split);
    expect(split[0]).toBe(initialTermId);
    expect(split[1]).toBe(320);
    expect(LB.termIdFromRawTail(LB.rawTailVolatile(meta, 1))).toBe((initialTermId - 2) | 0);
    expect(LB.endOfStreamPosition(meta)).toBeGreaterThan(9e18);
    const defaultHeader = new DataHeaderFlyweight(meta, LB.LOG_DEFAULT_FRAME_HEADER_OFFSET);
    expect(defaultHeader.sessionId()).toBe(-1156915053);
    expect(defaultHeader.streamId()).toBe(1001);
    expect(defaultHeader.termId()).toBe(initialTermId);
    expect(defaultHeader.flags()).toBe(0xc0);
    expect(defaultHeader.headerType()).toBe(1);
  });

  it('reads the five Hello World messages with their positions', () => {
    const { logBuffers, meta } = open('4.logbuffer.gz');
    const shift = LB.positionBitsToShift(65536);
    const header = new Header(LB.initialTermId(meta), shift);
    const reader = new TermReader();
    const got: string[] = [];
    const positions: number[] = [];
    const n = reader.read(logBuffers.terms[0]!, 0, (buffer, offset, length, h) => {
      got.push(Buffer.from(buffer.bytes.subarray(offset, offset + length)).toString('ascii'));
      positions.push(h.position());
      expect(h.sessionId).toBe(-1156915053);
      expect(h.streamId).toBe(1001);
      expect(h.flags).toBe(0xc0);
      expect(h.frameLength).toBe(46);
    }, 10, header);
    expect(n).toBe(5);
    expect(got).toEqual([0, 1, 2, 3, 4].map((i) => `Hello World! ${i}`));
    expect(positions).toEqual([64, 128, 192, 256, 320]);
    expect(reader.offset).toBe(320);
    // A fragment limit stops early and a second read continues.
    expect(reader.read(logBuffers.terms[0]!, 0, () => {}, 2, header)).toBe(2);
    expect(reader.offset).toBe(128);
  });

  it('reassembles the eight 3000-byte messages of fragmented.logbuffer', () => {
    const { logBuffers, meta } = open('fragmented.logbuffer.gz');
    expect(LB.rawTailVolatile(meta, 0) & 0xffffffffn).toBe(24832n);
    const header = new Header(LB.initialTermId(meta), 16);
    const lengths: number[] = [];
    const flags: number[] = [];
    let nonZero = 0;
    const sequence: number[] = [];
    const assembler = new FragmentAssembler((buffer, offset, length) => {
      lengths.push(length);
      // streaming_publisher puts the message index in the first 8 bytes; the rest is zero.
      sequence.push(buffer.getInt64(offset));
      for (let i = 8; i < length; i++) if (buffer.bytes[offset + i] !== 0) nonZero++;
    });
    const reader = new TermReader();
    const fragments = reader.read(logBuffers.terms[0]!, 0, (b, o, l, h) => {
      flags.push(h.flags);
      assembler.onFragment(b, o, l, h);
    }, 100, header);
    expect(fragments).toBe(24);
    expect(flags.slice(0, 3)).toEqual([0x80, 0x00, 0x40]);
    expect(lengths).toEqual(new Array(8).fill(3000));
    expect(nonZero).toBe(0);
    expect(sequence).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(reader.offset).toBe(24832);
    expect(3000 - 2 * (1408 - HEADER_LENGTH)).toBe(248);
  });

  it('reads the rotated metadata of rotated.logbuffer', () => {
    const { meta, logBuffers } = open('rotated.logbuffer.gz');
    const init = LB.initialTermId(meta);
    expect(LB.activeTermCount(meta)).toBe(1);
    const t0 = LB.rawTailVolatile(meta, 0);
    const t1 = LB.rawTailVolatile(meta, 1);
    const t2 = LB.rawTailVolatile(meta, 2);
    expect([LB.termIdFromRawTail(t0), Number(t0 & 0xffffffffn)]).toEqual([init, 68288]);
    expect(LB.termOffsetFromRawTail(t0, 65536)).toBe(65536);
    expect([LB.termIdFromRawTail(t1), Number(t1 & 0xffffffffn)]).toEqual([(init + 1) | 0, 27936]);
    expect([LB.termIdFromRawTail(t2), Number(t2 & 0xffffffffn)]).toEqual([(init - 1) | 0, 0]);
    // The driver cleaned consumed frames: nothing to read at the start of term 0.
    expect(new TermReader().read(logBuffers.terms[0]!, 0, () => {}, 10, new Header(init, 16))).toBe(0);
    expect(LB.computePosition((init + 1) | 0, 27936, 16, init)).toBe(65536 + 27936);
    expect(LB.indexByPosition(65536 + 27936, 16)).toBe(1);
  });
});

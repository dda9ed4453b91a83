import { AtomicBuffer } from '@mm/agrona';
import { describe, expect, it } from 'vitest';
import { FragmentAssembler } from '../../src/FragmentAssembler.js';
import { BufferClaim } from '../../src/logbuffer/BufferClaim.js';
import { ExclusiveTermAppender } from '../../src/logbuffer/ExclusiveTermAppender.js';
import { Header } from '../../src/logbuffer/Header.js';
import * as LB from '../../src/logbuffer/LogBufferDescriptor.js';
import { TERM_APPENDER_FAILED, TermAppender } from '../../src/logbuffer/TermAppender.js';
import { TermReader } from '../../src/logbuffer/TermReader.js';

const TERM = 65536;
const INIT = -7;

function newLog() {
  const log = AtomicBuffer.allocate(LB.computeLogLength(TERM, 4096));
  const meta = new AtomicBuffer(log.buffer, log.capacity - 4096, 4096);
  meta.putInt32(LB.LOG_TERM_LENGTH_OFFSET, TERM);
  meta.putInt32(LB.LOG_INITIAL_TERM_ID_OFFSET, INIT);
  meta.putInt32(LB.LOG_MTU_LENGTH_OFFSET, 1408);
  LB.initialiseTailWithTermId(meta, 0, INIT);
  LB.initialiseTailWithTermId(meta, 1, INIT + 1 - 3);
  LB.initialiseTailWithTermId(meta, 2, INIT + 2 - 3);
  return new LB.LogBuffers(log);
}

function message(length: number, seed: number): AtomicBuffer {
  const b = AtomicBuffer.allocate(length + 3);
  for (let i = 0; i < length; i++) b.putUint8(i + 3, (seed + i) & 0xff);
  return b;
}

describe('TermAppender (concurrent) and TermReader', () => {
  it('appends until the term trips, pads, rotates and reads everything back', () => {
    const logs = newLog();
    const appenders = [0, 1, 2].map((i) => new TermAppender(logs.terms[i]!, logs.meta, i, 42, 10));
    const msg = message(100, 1); // frame 132 -> aligned 160
    let count = 0;
    let result = 0;
    while ((result = appenders[0]!.appendUnfragmentedMessage(INIT, msg, 3, 100)) > 0) count++;
    expect(result).toBe(TERM_APPENDER_FAILED);
    expect(count).toBe(Math.floor(TERM / 160));
    const padOffset = count * 160;
    expect(logs.terms[0]!.getInt32(padOffset)).toBe(TERM - padOffset);
    expect(logs.terms[0]!.getUint16(padOffset + 6)).toBe(0);
    expect(LB.rotateLog(logs.meta, 0, INIT)).toBe(true);
    expect(LB.activeTermCount(logs.meta)).toBe(1);
    expect(LB.termIdFromRawTail(LB.rawTailVolatile(logs.meta, 1))).toBe(INIT + 1);
    // A second rotation attempt for the same term does nothing.
    expect(LB.rotateLog(logs.meta, 0, INIT)).toBe(false);
    expect(appenders[1]!.appendUnfragmentedMessage(INIT + 1, message(5, 9), 3, 5)).toBe(64);

    const reader = new TermReader();
    const header = new Header(INIT, LB.positionBitsToShift(TERM));
    let bad = 0;
    reader.read(logs.terms[0]!, 0, (b, o, l, h) => {
      if (l !== 100 || b.getUint8(o) !== 1 || b.getUint8(o + 99) !== 100 || h.sessionId !== 42 || h.streamId !== 10 || h.termId !== INIT) bad++;
    }, 10_000, header);
    expect(reader.fragmentsRead).toBe(count);
    expect(bad).toBe(0);
    expect(reader.offset).toBe(TERM); // the padding frame was skipped to the end of the term
    const positions: number[] = [];
    reader.read(logs.terms[1]!, 0, (_b, _o, l, h) => positions.push(l, h.position()), 10, header);
    expect(positions).toEqual([5, TERM + 64]);
  });

  it('fragments a message larger than the MTU and reassembles it', () => {
    const logs = newLog();
    const appender = new TermAppender(logs.terms[0]!, logs.meta, 0, 1, 2);
    const big = message(5000, 3);
    const end = appender.appendFragmentedMessage(INIT, big, 3, 5000, 1408 - 32);
    // 3 full frames of 1408 + last frame 5000 - 3*1376 = 872 + 32 = 904 -> 928.
    expect(end).toBe(3 * 1408 + 928);
    const got: number[][] = [];
    const assembler = new FragmentAssembler((b, o, l) => got.push([...b.bytes.subarray(o, o + l)]));
    const reader = new TermReader();
    const flags: number[] = [];
    reader.read(logs.terms[0]!, 0, (b, o, l, h) => { flags.push(h.flags); assembler.onFragment(b, o, l, h); }, 100, new Header(INIT, 16));
    expect(flags).toEqual([0x80, 0, 0, 0x40]);
    expect(got.length).toBe(1);
    expect(got[0]).toEqual([...big.bytes.subarray(3, 5003)]);
  });

  it('claims, commits and aborts frames', () => {
    const logs = newLog();
    const appender = new TermAppender(logs.terms[0]!, logs.meta, 0, 1, 2);
    const claim = new BufferClaim();
    expect(appender.claimFrame(INIT, 8, claim)).toBe(64);
    claim.buffer.putInt64(claim.offset, 1234);
    const reader = new TermReader();
    const header = new Header(INIT, 16);
    expect(reader.read(logs.terms[0]!, 0, () => {}, 10, header)).toBe(0); // not committed yet
    claim.commit();
    expect(appender.claimFrame(INIT, 8, claim)).toBe(128);
    claim.abort();
    const got: number[] = [];
    expect(reader.read(logs.terms[0]!, 0, (b, o) => got.push(b.getInt64(o)), 10, header)).toBe(1);
    expect(got).toEqual([1234]);
    expect(reader.offset).toBe(128);
  });
});

describe('ExclusiveTermAppender', () => {
  it('writes frames and publishes the tail with the same layout as the concurrent appender', () => {
    const a = newLog();
    const b = newLog();
    const concurrent = new TermAppender(a.terms[0]!, a.meta, 0, 5, 6);
    const exclusive = new ExclusiveTermAppender(b.terms[0]!, b.meta, 0, 5, 6);
    let offset = 0;
    for (let i = 0; i < 20; i++) {
      const m = message(i * 7, i);
      concurrent.appendUnfragmentedMessage(INIT, m, 3, i * 7);
      offset = exclusive.appendUnfragmentedMessage(INIT, offset, m, 3, i * 7);
    }
    const big = message(3000, 1);
    concurrent.appendFragmentedMessage(INIT, big, 3, 3000, 1376);
    offset = exclusive.appendFragmentedMessage(INIT, offset, big, 3, 3000, 1376);
    expect(Buffer.compare(Buffer.from(a.terms[0]!.bytes), Buffer.from(b.terms[0]!.bytes))).toBe(0);
    expect(LB.rawTailVolatile(b.meta, 0)).toBe(LB.rawTailVolatile(a.meta, 0));
    expect(LB.termOffsetFromRawTail(LB.rawTailVolatile(b.meta, 0), TERM)).toBe(offset);
    // Trip the end of the term: padding, tail at the term end.
    let r = 0;
    while ((r = exclusive.appendUnfragmentedMessage(INIT, offset, big, 3, 1000)) > 0) offset = r;
    expect(r).toBe(TERM_APPENDER_FAILED);
    expect(LB.termOffsetFromRawTail(LB.rawTailVolatile(b.meta, 0), TERM)).toBe(TERM);
    expect(b.terms[0]!.getInt32(offset)).toBe(TERM - offset);
  });
});

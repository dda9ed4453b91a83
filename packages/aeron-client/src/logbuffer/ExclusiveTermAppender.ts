/**
 * Appends frames to one term for a single-writer (exclusive) publication: the writer knows the tail, writes the
 * frame at it and then release-stores the new tail, with no atomic add.
 *
 * Invariants:
 * - Only the low word (term offset) of the raw tail changes per message, so a 32-bit release store keeps the
 *   64-bit value atomic for readers (the driver) and allocates nothing; the term id changes only on rotation,
 *   which the publication does with a 64-bit store.
 * - Frame write order: plain header and payload, release-store +frameLength, then the tail. The slot was
 *   cleaned (all zero) so readers stop there until the commit; the -frameLength marker Aeron writes first is only
 *   needed by the driver's unblocker, which never runs on exclusive publications.
 */
import type { AtomicBuffer } from '@mm/agrona';
import {
  BEGIN_FLAG, END_FLAG, FRAME_ALIGNMENT, HDR_TYPE_DATA, HDR_TYPE_PAD, HEADER_LENGTH, SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET, TERM_ID_FIELD_OFFSET, TERM_OFFSET_FIELD_OFFSET, VERSION_FIELD_OFFSET,
} from '../protocol/DataHeaderFlyweight.js';
import type { BufferClaim } from './BufferClaim.js';
import { tailCounterOffset } from './LogBufferDescriptor.js';
import { TERM_APPENDER_FAILED, versionFlagsType } from './TermAppender.js';

export class ExclusiveTermAppender {
  readonly termBuffer: AtomicBuffer;
  readonly termLength: number;
  private readonly termI32: Int32Array;
  private readonly metaI32: Int32Array;
  private readonly tailLoIndex: number;
  private readonly sessionId: number;
  private readonly streamId: number;

  constructor(termBuffer: AtomicBuffer, meta: AtomicBuffer, partitionIndex: number, sessionId: number, streamId: number) {
    this.termBuffer = termBuffer;
    this.termLength = termBuffer.capacity;
    this.termI32 = termBuffer.i32;
    this.metaI32 = meta.i32;
    this.tailLoIndex = tailCounterOffset(partitionIndex) >> 2;
    this.sessionId = sessionId;
    this.streamId = streamId;
  }

  /** Frames are 32-aligned, so every header field is an aligned int32: plain typed-array stores (host is LE). */
  private writeHeader(frameOffset: number, _frameLength: number, flags: number, type: number, termId: number): void {
    const i32 = this.termI32;
    const i = frameOffset >> 2;
    i32[i + (VERSION_FIELD_OFFSET >> 2)] = versionFlagsType(flags, type);
    i32[i + (TERM_OFFSET_FIELD_OFFSET >> 2)] = frameOffset;
    i32[i + (SESSION_ID_FIELD_OFFSET >> 2)] = this.sessionId;
    i32[i + (STREAM_ID_FIELD_OFFSET >> 2)] = this.streamId;
    i32[i + (TERM_ID_FIELD_OFFSET >> 2)] = termId;
  }

  /** Release-stores the new tail (low word only; see the module invariants). */
  private putTail(termOffset: number): void {
    Atomics.store(this.metaI32, this.tailLoIndex, termOffset);
  }

  private handleEndOfLog(termOffset: number, termId: number): number {
    if (termOffset < this.termLength) {
      const paddingLength = this.termLength - termOffset;
      this.writeHeader(termOffset, paddingLength, 0, HDR_TYPE_PAD, termId);
      this.termBuffer.putInt32Ordered(termOffset, paddingLength);
      this.putTail(this.termLength);
    }
    return TERM_APPENDER_FAILED;
  }

  appendUnfragmentedMessage(termId: number, termOffset: number, src: AtomicBuffer, srcOffset: number, length: number): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = (frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1);
    const resultingOffset = termOffset + alignedLength;
    if (resultingOffset > this.termLength) return this.handleEndOfLog(termOffset, termId);
    this.writeHeader(termOffset, frameLength, BEGIN_FLAG | END_FLAG, HDR_TYPE_DATA, termId);
    this.termBuffer.copyFrom(termOffset + HEADER_LENGTH, src, srcOffset, length);
    this.termBuffer.putInt32Ordered(termOffset, frameLength);
    this.putTail(resultingOffset);
    return resultingOffset;
  }

  appendFragmentedMessage(termId: number, termOffset: number, src: AtomicBuffer, srcOffset: number, length: number, maxPayloadLength: number): number {
    const numMaxPayloads = Math.floor(length / maxPayloadLength);
    const remainingPayload = length % maxPayloadLength;
    const lastFrameLength = remainingPayload > 0 ? (remainingPayload + HEADER_LENGTH + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1) : 0;
    const requiredLength = numMaxPayloads * (maxPayloadLength + HEADER_LENGTH) + lastFrameLength;
    const resultingOffset = termOffset + requiredLength;
    if (resultingOffset > this.termLength) return this.handleEndOfLog(termOffset, termId);
    let flags = BEGIN_FLAG;
    let remaining = length;
    let frameOffset = termOffset;
    do {
      const bytesToWrite = Math.min(remaining, maxPayloadLength);
      const frameLength = bytesToWrite + HEADER_LENGTH;
      const alignedLength = (frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1);
      if (remaining <= maxPayloadLength) flags |= END_FLAG;
      this.writeHeader(frameOffset, frameLength, flags, HDR_TYPE_DATA, termId);
      this.termBuffer.copyFrom(frameOffset + HEADER_LENGTH, src, srcOffset + (length - remaining), bytesToWrite);
      this.termBuffer.putInt32Ordered(frameOffset, frameLength);
      flags = 0;
      frameOffset += alignedLength;
      remaining -= bytesToWrite;
    } while (remaining > 0);
    this.putTail(resultingOffset);
    return resultingOffset;
  }

  /**
   * Claims one frame; the tail moves now (so the driver sees the claim), the frame is committed later through the
   * claim. The frame length is stored negative until then, so readers and the driver see "claimed, pending".
   */
  claimFrame(termId: number, termOffset: number, length: number, bufferClaim: BufferClaim): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = (frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1);
    const resultingOffset = termOffset + alignedLength;
    if (resultingOffset > this.termLength) return this.handleEndOfLog(termOffset, termId);
    this.termBuffer.putInt32Ordered(termOffset, -frameLength);
    this.writeHeader(termOffset, frameLength, BEGIN_FLAG | END_FLAG, HDR_TYPE_DATA, termId);
    bufferClaim.wrap(this.termBuffer, termOffset, frameLength);
    this.putTail(resultingOffset);
    return resultingOffset;
  }
}

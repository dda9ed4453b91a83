/**
 * Appends frames to one term of a log shared by concurrent publishers (this process, other processes, C/Java
 * clients): space is claimed with an atomic add on the term's tail counter.
 *
 * Invariants and limits:
 * - The add is a 32-bit `Atomics.add` on the LOW word of the 64-bit raw tail `(termId << 32) | termOffset`. That
 *   is the same operation as Aeron's 64-bit getAndAdd as long as the offset never carries into the term id:
 *   offsets stay below termLength + (publishers x max message length) < 2^31. It allocates no BigInt.
 * - The term id is the one read before the add (`termId` argument): the partition cannot be rotated under us,
 *   because that needs two more terms to fill, and the publication window (<= termLength / 2) forbids it.
 * - Frame write order: release-store -frameLength, plain header and payload, release-store +frameLength.
 * - A claim crossing the end of the term writes a PAD frame up to the end (if any room is left) and returns
 *   `TERM_APPENDER_FAILED`; the publication then rotates the log.
 */
import type { AtomicBuffer } from '@mm/agrona';
import {
  BEGIN_FLAG, END_FLAG, FRAME_ALIGNMENT, HDR_TYPE_DATA, HDR_TYPE_PAD, HEADER_LENGTH, SESSION_ID_FIELD_OFFSET,
  STREAM_ID_FIELD_OFFSET, TERM_ID_FIELD_OFFSET, TERM_OFFSET_FIELD_OFFSET, VERSION_FIELD_OFFSET,
} from '../protocol/DataHeaderFlyweight.js';
import type { BufferClaim } from './BufferClaim.js';
import { tailCounterOffset } from './LogBufferDescriptor.js';

export const TERM_APPENDER_FAILED = -2;

/** version 0, flags, type as one little-endian int32 at header offset 4. */
export function versionFlagsType(flags: number, type: number): number {
  return (flags << 8) | (type << 16);
}

export class TermAppender {
  readonly termBuffer: AtomicBuffer;
  readonly termLength: number;
  private readonly termI32: Int32Array;
  private readonly tailLoIndex: number;
  private readonly metaI32: Int32Array;
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

  private claim(alignedLength: number): number {
    return Atomics.add(this.metaI32, this.tailLoIndex, alignedLength);
  }

  /** Frames are 32-aligned, so every header field is an aligned int32: plain typed-array stores (host is LE). */
  private writeHeader(frameOffset: number, frameLength: number, flags: number, termId: number): void {
    const i32 = this.termI32;
    const i = frameOffset >> 2;
    Atomics.store(i32, i, -frameLength);
    i32[i + (VERSION_FIELD_OFFSET >> 2)] = versionFlagsType(flags, HDR_TYPE_DATA);
    i32[i + (TERM_OFFSET_FIELD_OFFSET >> 2)] = frameOffset;
    i32[i + (SESSION_ID_FIELD_OFFSET >> 2)] = this.sessionId;
    i32[i + (STREAM_ID_FIELD_OFFSET >> 2)] = this.streamId;
    i32[i + (TERM_ID_FIELD_OFFSET >> 2)] = termId;
  }

  /** Pads [termOffset, termLength) when the claim tripped the end of the term. */
  private handleEndOfLog(termOffset: number, termId: number): number {
    if (termOffset < this.termLength) {
      const paddingLength = this.termLength - termOffset;
      this.writeHeader(termOffset, paddingLength, 0, termId);
      this.termBuffer.putUint16(termOffset + 6, HDR_TYPE_PAD);
      this.termBuffer.putInt32Ordered(termOffset, paddingLength);
    }
    return TERM_APPENDER_FAILED;
  }

  /** One frame carrying `src[srcOffset, +length)`; returns the resulting term offset or TERM_APPENDER_FAILED. */
  appendUnfragmentedMessage(termId: number, src: AtomicBuffer, srcOffset: number, length: number): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = (frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1);
    const termOffset = this.claim(alignedLength);
    const resultingOffset = termOffset + alignedLength;
    if (resultingOffset > this.termLength) return this.handleEndOfLog(termOffset, termId);
    this.writeHeader(termOffset, frameLength, BEGIN_FLAG | END_FLAG, termId);
    this.termBuffer.copyFrom(termOffset + HEADER_LENGTH, src, srcOffset, length);
    this.termBuffer.putInt32Ordered(termOffset, frameLength);
    return resultingOffset;
  }

  /** A message larger than one frame: all fragments claimed at once, each committed in order. */
  appendFragmentedMessage(termId: number, src: AtomicBuffer, srcOffset: number, length: number, maxPayloadLength: number): number {
    const numMaxPayloads = Math.floor(length / maxPayloadLength);
    const remainingPayload = length % maxPayloadLength;
    const lastFrameLength = remainingPayload > 0 ? (remainingPayload + HEADER_LENGTH + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1) : 0;
    const requiredLength = numMaxPayloads * (maxPayloadLength + HEADER_LENGTH) + lastFrameLength;
    const termOffset = this.claim(requiredLength);
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
      this.writeHeader(frameOffset, frameLength, flags, termId);
      this.termBuffer.copyFrom(frameOffset + HEADER_LENGTH, src, srcOffset + (length - remaining), bytesToWrite);
      this.termBuffer.putInt32Ordered(frameOffset, frameLength);
      flags = 0;
      frameOffset += alignedLength;
      remaining -= bytesToWrite;
    } while (remaining > 0);
    return resultingOffset;
  }

  /** Claims one frame of `length` payload bytes for the caller to fill; commit/abort through `claim`. */
  claimFrame(termId: number, length: number, bufferClaim: BufferClaim): number {
    const frameLength = length + HEADER_LENGTH;
    const alignedLength = (frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1);
    const termOffset = this.claim(alignedLength);
    const resultingOffset = termOffset + alignedLength;
    if (resultingOffset > this.termLength) return this.handleEndOfLog(termOffset, termId);
    this.writeHeader(termOffset, frameLength, BEGIN_FLAG | END_FLAG, termId);
    bufferClaim.wrap(this.termBuffer, termOffset, frameLength);
    return resultingOffset;
  }
}

/**
 * A concurrent publication: any number of publishers (threads, processes, C/Java clients) append to the same log,
 * each claiming space with an atomic add on the active term's tail.
 *
 * Hot path (`offer`, `tryClaim`): allocation-free; reads the limit counter and the active term count, reads the
 * raw tail as consistent 32-bit halves, appends, and rotates the log when a claim trips the end of a term
 * (returning ADMIN_ACTION: just retry). Messages above the MTU payload are fragmented by `offer`; `tryClaim` is
 * limited to one frame.
 */
import type { AtomicBuffer } from '@mm/agrona';
import type { BufferClaim } from './logbuffer/BufferClaim.js';
import * as LB from './logbuffer/LogBufferDescriptor.js';
import { TermAppender } from './logbuffer/TermAppender.js';
import { PublicationBase } from './PublicationBase.js';
import type { PublicationParams } from './PublicationBase.js';
import { ADMIN_ACTION, CLOSED, MAX_POSITION_EXCEEDED } from './status/ReturnCodes.js';

const ACTIVE_TERM_COUNT_INDEX = LB.LOG_ACTIVE_TERM_COUNT_OFFSET >> 2;

export class Publication extends PublicationBase {
  private readonly appenders: readonly TermAppender[];
  private readonly metaI32: Int32Array;

  constructor(params: PublicationParams) {
    super(params);
    this.appenders = [0, 1, 2].map((i) => new TermAppender(this.logBuffers.terms[i]!, this.meta, i, this.sessionId, this.streamId));
    this.metaI32 = this.meta.i32;
  }

  /** Current position of the publication (the tail), or CLOSED. */
  position(): number {
    if (this.closed) return CLOSED;
    const termCount = Atomics.load(this.metaI32, ACTIVE_TERM_COUNT_INDEX);
    const index = termCount % 3;
    const i32 = this.metaI32;
    let hi = i32[index * 2 + 1]!;
    let lo: number;
    for (;;) {
      lo = Atomics.load(i32, index * 2);
      const hi2 = i32[index * 2 + 1]!;
      if (hi2 === hi) break;
      hi = hi2;
    }
    return LB.computePosition(hi, Math.min(lo, this.termBufferLength), this.positionBitsToShift, this.initialTermId);
  }

  offer(buffer: AtomicBuffer, offset: number, length: number): number {
    if (this.closed) return CLOSED;
    const i32 = this.metaI32;
    const termCount = Atomics.load(i32, ACTIVE_TERM_COUNT_INDEX);
    const index = termCount % 3;
    // Raw tail as (termId, offset) halves: high word re-read until stable (see LogBufferDescriptor.readRawTail).
    // A plain first read is safe even on weakly ordered CPUs here: a stale term id fails the term count check.
    let termId = i32[index * 2 + 1]!;
    let rawOffset: number;
    for (;;) {
      rawOffset = Atomics.load(i32, index * 2);
      const hi2 = i32[index * 2 + 1]!;
      if (hi2 === termId) break;
      termId = hi2;
    }
    if (termCount !== ((termId - this.initialTermId) | 0)) return ADMIN_ACTION;
    const termLength = this.termBufferLength;
    const termOffset = rawOffset < termLength ? rawOffset : termLength;
    if (this.limitReached(termCount, termOffset)) return this.backPressureStatus(termCount, termOffset, length);
    let result: number;
    if (length <= this.maxPayloadLength && length >= 0) {
      result = this.appenders[index]!.appendUnfragmentedMessage(termId, buffer, offset, length);
    } else {
      this.checkLength(length, this.maxMessageLength, 'message');
      result = this.appenders[index]!.appendFragmentedMessage(termId, buffer, offset, length, this.maxPayloadLength);
    }
    return result > 0 ? termCount * termLength + result : this.rotate(termCount, termId);
  }

  /**
   * Claims one frame of `length` (<= maxPayloadLength) bytes to fill in place; `claim.commit()` publishes it.
   * Returns the new position or a negative code like `offer`.
   */
  tryClaim(length: number, claim: BufferClaim): number {
    this.checkLength(length, this.maxPayloadLength, 'claim');
    if (this.closed) return CLOSED;
    const i32 = this.metaI32;
    const termCount = Atomics.load(i32, ACTIVE_TERM_COUNT_INDEX);
    const index = termCount % 3;
    let termId = i32[index * 2 + 1]!;
    let rawOffset: number;
    for (;;) {
      rawOffset = Atomics.load(i32, index * 2);
      const hi2 = i32[index * 2 + 1]!;
      if (hi2 === termId) break;
      termId = hi2;
    }
    if (termCount !== ((termId - this.initialTermId) | 0)) return ADMIN_ACTION;
    const termLength = this.termBufferLength;
    const termOffset = rawOffset < termLength ? rawOffset : termLength;
    if (this.limitReached(termCount, termOffset)) return this.backPressureStatus(termCount, termOffset, length);
    const result = this.appenders[index]!.claimFrame(termId, length, claim);
    return result > 0 ? termCount * termLength + result : this.rotate(termCount, termId);
  }

  private rotate(termCount: number, termId: number): number {
    if ((termCount + 1) * this.termBufferLength >= this.maxPossiblePosition) return MAX_POSITION_EXCEEDED;
    LB.rotateLog(this.meta, termCount, termId);
    return ADMIN_ACTION;
  }
}

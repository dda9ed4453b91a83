/**
 * A publication with a single writer (this object): it tracks the term id, offset and begin position itself and
 * publishes the tail with an ordered store, so the hot path has no atomic read-modify-write. The driver gives
 * every exclusive publication its own log and session id.
 *
 * Invariants: only this object writes the log's tails and active term count; it must be used from one thread (the
 * service's agent). Rotation writes the next partition's tail (64-bit store) and then the term count.
 */
import type { AtomicBuffer } from '@mm/agrona';
import type { BufferClaim } from './logbuffer/BufferClaim.js';
import { ExclusiveTermAppender } from './logbuffer/ExclusiveTermAppender.js';
import * as LB from './logbuffer/LogBufferDescriptor.js';
import { PublicationBase } from './PublicationBase.js';
import type { PublicationParams } from './PublicationBase.js';
import { ADMIN_ACTION, CLOSED, MAX_POSITION_EXCEEDED } from './status/ReturnCodes.js';

export class ExclusivePublication extends PublicationBase {
  private readonly appenders: readonly ExclusiveTermAppender[];
  private termId: number;
  private termOffset: number;
  private termCount: number;
  private activePartitionIndex: number;

  constructor(params: PublicationParams) {
    super(params);
    this.appenders = [0, 1, 2].map((i) => new ExclusiveTermAppender(this.logBuffers.terms[i]!, this.meta, i, this.sessionId, this.streamId));
    this.termCount = LB.activeTermCount(this.meta);
    this.activePartitionIndex = LB.indexByTermCount(this.termCount);
    const split = new Int32Array(2);
    LB.readRawTail(this.meta, this.activePartitionIndex, split);
    this.termId = split[0]!;
    this.termOffset = Math.min(split[1]!, this.termBufferLength);
    if (this.termCount !== ((this.termId - this.initialTermId) | 0)) {
      throw new RangeError(`log ${params.logFile.path}: active term count ${this.termCount} does not match term id ${this.termId}`);
    }
  }

  position(): number { return this.closed ? CLOSED : this.termCount * this.termBufferLength + this.termOffset; }

  offer(buffer: AtomicBuffer, offset: number, length: number): number {
    if (this.closed) return CLOSED;
    const termCount = this.termCount;
    const termOffset = this.termOffset;
    if (this.limitReached(termCount, termOffset)) return this.backPressureStatus(termCount, termOffset, length);
    const appender = this.appenders[this.activePartitionIndex]!;
    let result: number;
    if (length <= this.maxPayloadLength && length >= 0) {
      result = appender.appendUnfragmentedMessage(this.termId, termOffset, buffer, offset, length);
    } else {
      this.checkLength(length, this.maxMessageLength, 'message');
      result = appender.appendFragmentedMessage(this.termId, termOffset, buffer, offset, length, this.maxPayloadLength);
    }
    if (result > 0) {
      this.termOffset = result;
      return termCount * this.termBufferLength + result;
    }
    return this.rotate();
  }

  tryClaim(length: number, claim: BufferClaim): number {
    this.checkLength(length, this.maxPayloadLength, 'claim');
    if (this.closed) return CLOSED;
    const termCount = this.termCount;
    const termOffset = this.termOffset;
    if (this.limitReached(termCount, termOffset)) return this.backPressureStatus(termCount, termOffset, length);
    const result = this.appenders[this.activePartitionIndex]!.claimFrame(this.termId, termOffset, length, claim);
    if (result > 0) {
      this.termOffset = result;
      return termCount * this.termBufferLength + result;
    }
    return this.rotate();
  }

  private rotate(): number {
    if ((this.termCount + 1) * this.termBufferLength >= this.maxPossiblePosition) return MAX_POSITION_EXCEEDED;
    const nextTermId = (this.termId + 1) | 0;
    const nextTermCount = (this.termCount + 1) | 0;
    const nextIndex = LB.indexByTermCount(nextTermCount);
    LB.initialiseTailWithTermId(this.meta, nextIndex, nextTermId);
    LB.setActiveTermCountOrdered(this.meta, nextTermCount);
    this.termId = nextTermId;
    this.termCount = nextTermCount;
    this.activePartitionIndex = nextIndex;
    this.termOffset = 0;
    return ADMIN_ACTION;
  }
}

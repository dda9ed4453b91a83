/**
 * What concurrent and exclusive publications share: the mapped log, the publication limit counter, the stream
 * identity, back-pressure status and closing. See `Publication` and `ExclusivePublication` for the append paths.
 *
 * Invariants: after `close()` (or the client closing) every offer returns CLOSED and the log is unmapped; the
 * closed flag is checked before any access to the mapping. Positions are Numbers (exact below 2^53).
 */
import { LOADS_ARE_ORDERED } from '@mm/agrona';
import type { AtomicBuffer, MappedFile } from '@mm/agrona';
import { BufferClaim } from './logbuffer/BufferClaim.js';
import * as LB from './logbuffer/LogBufferDescriptor.js';
import { HEADER_LENGTH } from './protocol/DataHeaderFlyweight.js';
import { BACK_PRESSURED, MAX_POSITION_EXCEEDED, NOT_CONNECTED } from './status/ReturnCodes.js';

export interface PublicationParams {
  readonly channel: string;
  readonly streamId: number;
  readonly sessionId: number;
  readonly registrationId: number;
  readonly originalRegistrationId: number;
  readonly logFile: MappedFile;
  readonly valuesBuffer: AtomicBuffer;
  readonly positionLimitCounterId: number;
  readonly channelStatusId: number;
  readonly onClose: (publication: PublicationBase) => void;
}

export abstract class PublicationBase {
  readonly channel: string;
  readonly streamId: number;
  readonly sessionId: number;
  /** Registration id of this add (the correlation id of the command). */
  readonly registrationId: number;
  /** Registration id of the log: differs from `registrationId` when a concurrent IPC publication is shared. */
  readonly originalRegistrationId: number;
  readonly initialTermId: number;
  readonly termBufferLength: number;
  readonly positionBitsToShift: number;
  readonly mtuLength: number;
  readonly maxPayloadLength: number;
  readonly maxMessageLength: number;
  readonly maxPossiblePosition: number;
  readonly positionLimitCounterId: number;
  readonly channelStatusId: number;
  protected readonly logFile: MappedFile;
  protected readonly logBuffers: LB.LogBuffers;
  protected readonly meta: AtomicBuffer;
  protected readonly limitBuffer: AtomicBuffer;
  protected readonly limitOffset: number;
  private readonly limitI32: Int32Array;
  private readonly limitIndex: number;
  protected closed = false;
  private readonly onClose: (publication: PublicationBase) => void;

  protected constructor(p: PublicationParams) {
    this.channel = p.channel;
    this.streamId = p.streamId;
    this.sessionId = p.sessionId;
    this.registrationId = p.registrationId;
    this.originalRegistrationId = p.originalRegistrationId;
    this.logFile = p.logFile;
    this.logBuffers = new LB.LogBuffers(p.logFile.buffer);
    this.meta = this.logBuffers.meta;
    this.initialTermId = LB.initialTermId(this.meta);
    this.termBufferLength = this.logBuffers.termLength;
    this.positionBitsToShift = LB.positionBitsToShift(this.termBufferLength);
    this.mtuLength = LB.mtuLength(this.meta);
    if (this.mtuLength <= HEADER_LENGTH || (this.mtuLength & 31) !== 0) {
      throw new RangeError(`log ${p.logFile.path} has an invalid MTU ${this.mtuLength}`);
    }
    this.maxPayloadLength = this.mtuLength - HEADER_LENGTH;
    this.maxMessageLength = LB.computeMaxMessageLength(this.termBufferLength);
    this.maxPossiblePosition = LB.maxPossiblePosition(this.termBufferLength);
    this.positionLimitCounterId = p.positionLimitCounterId;
    this.channelStatusId = p.channelStatusId;
    this.limitBuffer = p.valuesBuffer;
    this.limitOffset = p.positionLimitCounterId * 128;
    this.limitI32 = p.valuesBuffer.i32;
    this.limitIndex = this.limitOffset >> 2;
    this.onClose = p.onClose;
  }

  get isClosed(): boolean { return this.closed; }

  /** True while at least one subscriber is attached (as reported by the driver in the log metadata). */
  isConnected(): boolean { return !this.closed && LB.isConnected(this.meta); }

  /** Current publication limit (the position offers may not reach), or CLOSED. */
  positionLimit(): number {
    return this.closed ? -4 : this.limitBuffer.getInt64VolatileNumber(this.limitOffset);
  }

  /** Creates a claim object to reuse with `tryClaim`. */
  static newBufferClaim(): BufferClaim { return new BufferClaim(); }

  /** Sends REMOVE_PUBLICATION and unmaps the log. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.onClose(this);
  }

  /** Conductor side: marks closed and unmaps, without any command (client closing or driver gone). */
  internalClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.logFile.close();
  }

  /**
   * True when the position (termCount, termOffset) has reached the publication limit. Compared as 32-bit halves
   * so that nothing is boxed even when positions no longer fit a small integer: the hot path stays allocation-free
   * at any position. The limit counter is read like `getInt64VolatileNumber` (high, low atomically, high again).
   */
  protected limitReached(termCount: number, termOffset: number): boolean {
    const i32 = this.limitI32;
    const i = this.limitIndex;
    let limitHi = LOADS_ARE_ORDERED ? i32[i + 1]! : Atomics.load(i32, i + 1);
    let limitLo: number;
    for (;;) {
      limitLo = Atomics.load(i32, i);
      const hi2 = i32[i + 1]!;
      if (hi2 === limitHi) break;
      limitHi = hi2;
    }
    const shift = this.positionBitsToShift;
    const positionHi = termCount >> (32 - shift);
    const positionLo = (termCount << shift) | termOffset;
    return positionHi > limitHi || (positionHi === limitHi && (positionLo ^ 0x80000000) >= (limitLo ^ 0x80000000));
  }

  protected backPressureStatus(termCount: number, termOffset: number, length: number): number {
    if (termCount * this.termBufferLength + termOffset + length >= this.maxPossiblePosition) return MAX_POSITION_EXCEEDED;
    return LB.isConnected(this.meta) ? BACK_PRESSURED : NOT_CONNECTED;
  }

  protected checkLength(length: number, max: number, what: string): void {
    if (!Number.isInteger(length) || length < 0 || length > max) {
      throw new RangeError(`${what} length ${length} is invalid: must be an integer in [0, ${max}] (stream ${this.streamId})`);
    }
  }
}

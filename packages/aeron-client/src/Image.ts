/**
 * One publisher's stream as seen by a subscription: the mapped log plus this subscriber's position counter.
 *
 * Invariants:
 * - Only this Image writes its subscriber position counter (single writer), so the position is cached as
 *   (termCount, termOffset) integers and written through after each poll that made progress: a 32-bit ordered
 *   store of the low word while the high word is unchanged (64-bit store every 4 GiB). No double is boxed, so
 *   polling allocates nothing at any position.
 * - A poll never crosses a term boundary; padding brings the position to the boundary and the next poll continues
 *   in the next partition.
 * - After `close` (image unavailable, subscription closed, client closed) poll returns 0 and never touches the
 *   unmapped log.
 */
import type { AtomicBuffer, MappedFile } from '@mm/agrona';
import { Header } from './logbuffer/Header.js';
import * as LB from './logbuffer/LogBufferDescriptor.js';
import { TermReader } from './logbuffer/TermReader.js';
import type { TermFragmentHandler } from './logbuffer/TermReader.js';

export class Image {
  /** The publication's registration id (the image's key in driver messages). */
  readonly correlationId: number;
  readonly sessionId: number;
  readonly subscriberPositionId: number;
  readonly sourceIdentity: string;
  readonly subscriptionRegistrationId: number;
  readonly initialTermId: number;
  readonly termBufferLength: number;
  readonly positionBitsToShift: number;
  readonly mtuLength: number;
  readonly joinPosition: number;
  private readonly logFile: MappedFile;
  private readonly logBuffers: LB.LogBuffers;
  private readonly terms: readonly AtomicBuffer[];
  private readonly values: AtomicBuffer;
  private readonly positionOffset: number;
  private readonly header: Header;
  private readonly reader = new TermReader();
  private termCount: number;
  private termOffset: number;
  private positionHi: number;
  private closed = false;

  constructor(correlationId: number, sessionId: number, subscriberPositionId: number, sourceIdentity: string,
    subscriptionRegistrationId: number, logFile: MappedFile, values: AtomicBuffer) {
    this.correlationId = correlationId;
    this.sessionId = sessionId;
    this.subscriberPositionId = subscriberPositionId;
    this.sourceIdentity = sourceIdentity;
    this.subscriptionRegistrationId = subscriptionRegistrationId;
    this.logFile = logFile;
    this.logBuffers = new LB.LogBuffers(logFile.buffer);
    this.terms = this.logBuffers.terms;
    this.initialTermId = LB.initialTermId(this.logBuffers.meta);
    this.termBufferLength = this.logBuffers.termLength;
    this.positionBitsToShift = LB.positionBitsToShift(this.termBufferLength);
    this.mtuLength = LB.mtuLength(this.logBuffers.meta);
    this.values = values;
    this.positionOffset = subscriberPositionId * 128;
    const position = values.getInt64VolatileNumber(this.positionOffset);
    this.joinPosition = position;
    this.termCount = Math.floor(position / this.termBufferLength);
    this.termOffset = position - this.termCount * this.termBufferLength;
    this.positionHi = values.i32[(this.positionOffset >> 2) + 1]!;
    this.header = new Header(this.initialTermId, this.positionBitsToShift, this);
  }

  get isClosed(): boolean { return this.closed; }

  /** This subscriber's position in the stream. */
  position(): number { return this.termCount * this.termBufferLength + this.termOffset; }

  /** True once the publication closed and everything it published was consumed. */
  isEndOfStream(): boolean {
    return !this.closed && this.position() >= LB.endOfStreamPosition(this.logBuffers.meta);
  }

  /** Delivers up to `fragmentLimit` fragments to `handler`; returns how many. */
  poll(handler: TermFragmentHandler, fragmentLimit: number): number {
    if (this.closed) return 0;
    const termOffset = this.termOffset;
    const reader = this.reader;
    try {
      return reader.read(this.terms[this.termCount % 3]!, termOffset, handler, fragmentLimit, this.header);
    } finally {
      if (reader.offset > termOffset && !this.closed) this.advanceTo(reader.offset);
    }
  }

  private advanceTo(newTermOffset: number): void {
    let termCount = this.termCount;
    let termOffset = newTermOffset;
    if (termOffset >= this.termBufferLength) {
      termCount++;
      termOffset = 0;
    }
    this.termCount = termCount;
    this.termOffset = termOffset;
    const shift = this.positionBitsToShift;
    const hi = termCount >> (32 - shift);
    if (hi === this.positionHi) {
      Atomics.store(this.values.i32, this.positionOffset >> 2, (termCount << shift) | termOffset);
    } else {
      this.positionHi = hi;
      this.values.putInt64OrderedBigInt(this.positionOffset, BigInt(termCount) * BigInt(this.termBufferLength) + BigInt(termOffset));
    }
  }

  /** Unmaps the log; the driver owns the subscriber position counter and frees it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.logFile.close();
  }
}

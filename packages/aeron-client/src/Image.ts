/**
 * One publisher's stream as seen by a subscription: the mapped log plus this subscriber's position counter.
 *
 * Invariants:
 * - Only this Image writes its subscriber position counter (single writer), so the position is cached in a field
 *   and written through with an allocation-free ordered store after each poll that made progress.
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
  private subscriberPosition: number;
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
    this.subscriberPosition = values.getInt64VolatileNumber(this.positionOffset);
    this.joinPosition = this.subscriberPosition;
    this.header = new Header(this.initialTermId, this.positionBitsToShift, this);
  }

  get isClosed(): boolean { return this.closed; }

  /** This subscriber's position in the stream. */
  position(): number { return this.subscriberPosition; }

  /** True once the publication closed and everything it published was consumed. */
  isEndOfStream(): boolean {
    return !this.closed && this.subscriberPosition >= LB.endOfStreamPosition(this.logBuffers.meta);
  }

  /** Delivers up to `fragmentLimit` fragments to `handler`; returns how many. */
  poll(handler: TermFragmentHandler, fragmentLimit: number): number {
    if (this.closed) return 0;
    const position = this.subscriberPosition;
    const termLength = this.termBufferLength;
    const termOffset = position % termLength;
    const term = this.terms[Math.floor(position / termLength) % 3]!;
    const reader = this.reader;
    try {
      return reader.read(term, termOffset, handler, fragmentLimit, this.header);
    } finally {
      const newPosition = position + (reader.offset - termOffset);
      if (newPosition > position && !this.closed) {
        this.subscriberPosition = newPosition;
        this.values.putInt64OrderedNumber(this.positionOffset, newPosition);
      }
    }
  }

  /** Unmaps the log; the driver owns the subscriber position counter and frees it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.logFile.close();
  }
}

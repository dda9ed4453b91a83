/**
 * An IPC publication as the driver sees it: the log file, its pub-pos/pub-lmt counters, the subscriber positions
 * linked to it, and its life cycle ACTIVE -> DRAINING -> LINGER -> DONE.
 *
 * Invariants:
 * - Only this object (the conductor thread) writes pub-pos, pub-lmt, is_connected, end_of_stream and cleans terms;
 *   publishers in other processes write tails and frames; subscribers write their sub-pos counters.
 * - pub-lmt = slowest ACTIVE subscriber + term window, raised only when it passes the trip limit (steps of window/8);
 *   with no ACTIVE subscriber it falls back to the consumer position, so publishers see NOT_CONNECTED/BACK_PRESSURED.
 * - Terms are zeroed behind the slowest subscriber before the publisher can come round to them again (it is at most
 *   window <= termLength/2 ahead of the slowest subscriber, and a partition is reused three terms later).
 * - Raw tails are read as two 32-bit halves with a re-read of the high half, never as a JS Number.
 * - Untethered subscribers that stay more than 3/4 of a window behind for the window-limit timeout are dropped
 *   (unavailable image, LINGER), then RESTING (ignored for the limit), then rejoin at the consumer position.
 * - Unblocker: when the consumer position has not moved for the unblock timeout while the producer is ahead, the
 *   frame at the consumer position is a dead publisher's claim; it is rewritten as padding (and the log rotated if
 *   the padding reaches the end of the term).
 * The duty-cycle path (`updatePubPosAndLmt`) allocates nothing.
 */
import type { AtomicBuffer, CountersManager, MappedFile } from '@mm/agrona';
import {
  ACTIVE_TERM_COUNT_OFFSET,
  DATA_HEADER_LENGTH,
  END_OF_STREAM_POSITION_OFFSET,
  FRAME_ALIGNMENT,
  HDR_TYPE_PAD,
  IS_CONNECTED_OFFSET,
  PARTITION_COUNT,
  TERM_TAIL_COUNTERS_OFFSET,
  UNFRAGMENTED_FLAGS,
} from './IpcLogBuffer.js';

export const PublicationState = { ACTIVE: 0, DRAINING: 1, LINGER: 2, DONE: 3 } as const;
export type PublicationStateValue = (typeof PublicationState)[keyof typeof PublicationState];

export const TetherState = { ACTIVE: 0, LINGER: 1, RESTING: 2 } as const;
export type TetherStateValue = (typeof TetherState)[keyof typeof TetherState];

export interface SubscriberPosition {
  readonly subscriptionRegistrationId: number;
  readonly clientId: number;
  readonly counterId: number;
  readonly isTether: boolean;
  readonly channel: string;
  state: TetherStateValue;
  timeOfLastUpdateNs: number;
}

/** What the publication asks of the conductor when untethered subscribers leave and rejoin. */
export interface PublicationListener {
  onSubscriberUnavailable(publication: IpcPublication, subscriber: SubscriberPosition): void;
  onSubscriberRejoined(publication: IpcPublication, subscriber: SubscriberPosition, joinPosition: number): void;
  onUnblocked(publication: IpcPublication): void;
}

export interface IpcPublicationParams {
  readonly registrationId: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly channel: string;
  readonly isExclusive: boolean;
  readonly logFile: MappedFile;
  readonly logFileName: string;
  readonly metaOffset: number;
  readonly initialTermId: number;
  readonly termLength: number;
  readonly mtu: number;
  readonly termWindowLength: number;
  readonly publisherPositionId: number;
  readonly publisherLimitId: number;
  readonly unblockTimeoutNs: number;
  readonly lingerTimeoutNs: number;
  readonly untetheredWindowLimitTimeoutNs: number;
  readonly untetheredRestingTimeoutNs: number;
  readonly nowNs: number;
}

const UNBLOCK_NO_ACTION = 0;
const UNBLOCKED = 1;
const UNBLOCKED_TO_END = 2;

export class IpcPublication {
  readonly registrationId: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly channel: string;
  readonly isExclusive: boolean;
  readonly logFile: MappedFile;
  readonly logFileName: string;
  readonly initialTermId: number;
  readonly termLength: number;
  readonly mtu: number;
  readonly termWindowLength: number;
  readonly publisherPositionId: number;
  readonly publisherLimitId: number;
  readonly subscribers: SubscriberPosition[] = [];
  state: PublicationStateValue = PublicationState.ACTIVE;
  refCount = 1;

  private readonly log: AtomicBuffer;
  private readonly meta: number;
  private readonly i32: Int32Array;
  private readonly tripGain: number;
  private readonly unblockTimeoutNs: number;
  private readonly lingerTimeoutNs: number;
  private readonly untetheredWindowLimitTimeoutNs: number;
  private readonly untetheredRestingTimeoutNs: number;
  private tripLimit = 0;
  private consumerPosition: number;
  private lastConsumerPosition: number;
  private timeOfLastConsumerPositionUpdateNs: number;
  private cleanPosition: number;
  private timeOfLastStateChangeNs: number;
  private tailTermId = 0;
  private lastProducerPosition = -1;
  private tailOffset = 0;

  constructor(p: IpcPublicationParams, private readonly counters: CountersManager) {
    this.registrationId = p.registrationId;
    this.sessionId = p.sessionId;
    this.streamId = p.streamId;
    this.channel = p.channel;
    this.isExclusive = p.isExclusive;
    this.logFile = p.logFile;
    this.logFileName = p.logFileName;
    this.initialTermId = p.initialTermId;
    this.termLength = p.termLength;
    this.mtu = p.mtu;
    this.termWindowLength = p.termWindowLength;
    this.publisherPositionId = p.publisherPositionId;
    this.publisherLimitId = p.publisherLimitId;
    this.log = p.logFile.buffer;
    this.meta = p.metaOffset;
    this.i32 = this.log.i32;
    this.tripGain = p.termWindowLength >> 3;
    this.unblockTimeoutNs = p.unblockTimeoutNs;
    this.lingerTimeoutNs = p.lingerTimeoutNs;
    this.untetheredWindowLimitTimeoutNs = p.untetheredWindowLimitTimeoutNs;
    this.untetheredRestingTimeoutNs = p.untetheredRestingTimeoutNs;
    const start = this.producerPosition();
    this.consumerPosition = start;
    this.lastConsumerPosition = start;
    this.cleanPosition = start;
    this.timeOfLastConsumerPositionUpdateNs = p.nowNs;
    this.timeOfLastStateChangeNs = p.nowNs;
  }

  /** Position of the end of the last claimed frame, from the active term's raw tail. */
  producerPosition(): number {
    const termCount = Atomics.load(this.i32, (this.meta + ACTIVE_TERM_COUNT_OFFSET) >> 2);
    this.readTail(termCount % PARTITION_COUNT);
    const offset = this.tailOffset < this.termLength ? this.tailOffset : this.termLength;
    return ((this.tailTermId - this.initialTermId) | 0) * this.termLength + offset;
  }

  joinPosition(): number {
    let position = this.consumerPosition;
    for (const s of this.subscribers) {
      if (s.state === TetherState.ACTIVE) {
        const p = this.counters.getCounterValue(s.counterId);
        if (p < position) position = p;
      }
    }
    return position;
  }

  isAcceptingSubscriptions(): boolean {
    return this.state === PublicationState.ACTIVE || (this.state === PublicationState.DRAINING && !this.isDrained(this.producerPosition()));
  }

  /** Every duty cycle while ACTIVE: publish pub-pos, raise (or collapse) pub-lmt, clean consumed terms. */
  updatePubPosAndLmt(): number {
    if (this.state !== PublicationState.ACTIVE) return 0;
    const producer = this.producerPosition();
    if (producer !== this.lastProducerPosition) {
      this.lastProducerPosition = producer;
      this.counters.setCounterValue(this.publisherPositionId, producer);
    }
    let work = 0;
    let min = Number.MAX_SAFE_INTEGER;
    let max = -1;
    const subscribers = this.subscribers;
    for (let i = 0; i < subscribers.length; i++) {
      const s = subscribers[i]!;
      if (s.state === TetherState.ACTIVE) {
        const p = this.counters.getCounterValue(s.counterId);
        if (p < min) min = p;
        if (p > max) max = p;
      }
    }
    if (max >= 0) {
      const proposedLimit = min + this.termWindowLength;
      if (proposedLimit > this.tripLimit) {
        this.cleanBufferTo(min);
        this.counters.setCounterValue(this.publisherLimitId, proposedLimit);
        this.tripLimit = proposedLimit + this.tripGain;
        work = 1;
      }
      this.consumerPosition = max;
    } else if (this.counters.getCounterValue(this.publisherLimitId) > this.consumerPosition) {
      this.tripLimit = this.consumerPosition;
      this.counters.setCounterValue(this.publisherLimitId, this.consumerPosition);
      this.cleanBufferTo(this.consumerPosition);
      work = 1;
    }
    return work;
  }

  addSubscriber(subscriber: SubscriberPosition, joinPosition: number): void {
    this.counters.setCounterValue(subscriber.counterId, joinPosition);
    this.subscribers.push(subscriber);
    Atomics.store(this.i32, (this.meta + IS_CONNECTED_OFFSET) >> 2, 1);
  }

  /** Unlinks a subscriber (the caller frees its counter). */
  removeSubscriber(counterId: number): SubscriberPosition | undefined {
    const index = this.subscribers.findIndex((s) => s.counterId === counterId);
    if (index < 0) return undefined;
    const [removed] = this.subscribers.splice(index, 1);
    if (this.subscribers.length === 0) {
      this.updatePubPosAndLmt();
      Atomics.store(this.i32, (this.meta + IS_CONNECTED_OFFSET) >> 2, 0);
    }
    return removed;
  }

  /** Drops one reference; at zero the stream ends at the current producer position and the publication drains. */
  decRef(nowNs: number): void {
    this.refCount -= 1;
    if (this.refCount > 0 || this.state !== PublicationState.ACTIVE) return;
    const producer = this.producerPosition();
    this.counters.setCounterValue(this.publisherPositionId, producer);
    if (this.counters.getCounterValue(this.publisherLimitId) > producer) this.counters.setCounterValue(this.publisherLimitId, producer);
    this.log.putInt64Ordered(this.meta + END_OF_STREAM_POSITION_OFFSET, producer);
    this.state = PublicationState.DRAINING;
    this.timeOfLastStateChangeNs = nowNs;
    this.timeOfLastConsumerPositionUpdateNs = nowNs;
  }

  /** Timer-driven part of the life cycle. Returns true when the publication has reached the end of its life. */
  onTimeEvent(nowNs: number, listener: PublicationListener): boolean {
    switch (this.state) {
      case PublicationState.ACTIVE: {
        this.checkUntetheredSubscriptions(nowNs, listener);
        if (!this.isExclusive) this.checkForBlockedPublisher(nowNs, listener);
        return false;
      }
      case PublicationState.DRAINING: {
        const producer = this.producerPosition();
        this.counters.setCounterValue(this.publisherPositionId, producer);
        this.updateConsumerPositionFromSubscribers();
        if (this.isDrained(producer)) {
          this.state = PublicationState.LINGER;
          this.timeOfLastStateChangeNs = nowNs;
          for (const s of this.subscribers) {
            if (s.state === TetherState.ACTIVE) listener.onSubscriberUnavailable(this, s);
          }
        } else {
          // The stream has ended: a publisher that died mid-claim can no longer commit, so there is nothing to
          // wait for beyond the consumer stalling once.
          this.checkForBlockedPublisher(nowNs, listener, true);
        }
        return false;
      }
      case PublicationState.LINGER: {
        if (nowNs - this.timeOfLastStateChangeNs >= this.lingerTimeoutNs) {
          this.state = PublicationState.DONE;
          return true;
        }
        return false;
      }
      default:
        return true;
    }
  }

  /** Every ACTIVE subscriber has read up to `producer` (dropped untethered ones no longer read, so they don't count). */
  isDrained(producer: number): boolean {
    for (const s of this.subscribers) {
      if (s.state === TetherState.ACTIVE && this.counters.getCounterValue(s.counterId) < producer) return false;
    }
    return true;
  }

  private updateConsumerPositionFromSubscribers(): void {
    let max = -1;
    for (const s of this.subscribers) {
      if (s.state === TetherState.ACTIVE) {
        const p = this.counters.getCounterValue(s.counterId);
        if (p > max) max = p;
      }
    }
    if (max >= 0) this.consumerPosition = max;
  }

  private checkUntetheredSubscriptions(nowNs: number, listener: PublicationListener): void {
    const behindLimit = this.consumerPosition - (this.termWindowLength - (this.termWindowLength >> 2));
    for (const s of this.subscribers) {
      if (s.isTether) continue;
      if (s.state === TetherState.ACTIVE) {
        if (this.counters.getCounterValue(s.counterId) > behindLimit) {
          s.timeOfLastUpdateNs = nowNs;
        } else if (nowNs - s.timeOfLastUpdateNs > this.untetheredWindowLimitTimeoutNs) {
          listener.onSubscriberUnavailable(this, s);
          s.state = TetherState.LINGER;
          s.timeOfLastUpdateNs = nowNs;
        }
      } else if (s.state === TetherState.LINGER) {
        if (nowNs - s.timeOfLastUpdateNs > this.untetheredWindowLimitTimeoutNs) {
          s.state = TetherState.RESTING;
          s.timeOfLastUpdateNs = nowNs;
        }
      } else if (nowNs - s.timeOfLastUpdateNs > this.untetheredRestingTimeoutNs) {
        const join = this.consumerPosition;
        this.counters.setCounterValue(s.counterId, join);
        s.state = TetherState.ACTIVE;
        s.timeOfLastUpdateNs = nowNs;
        listener.onSubscriberRejoined(this, s, join);
      }
    }
  }

  private checkForBlockedPublisher(nowNs: number, listener: PublicationListener, ended = false): void {
    const consumer = this.consumerPosition;
    if (consumer === this.lastConsumerPosition && this.producerPosition() > consumer) {
      if (ended || nowNs - this.timeOfLastConsumerPositionUpdateNs > this.unblockTimeoutNs) {
        if (this.unblockAt(consumer)) {
          listener.onUnblocked(this);
          this.timeOfLastConsumerPositionUpdateNs = nowNs;
        }
      }
    } else {
      this.timeOfLastConsumerPositionUpdateNs = nowNs;
      this.lastConsumerPosition = consumer;
    }
  }

  /** Rewrites a dead publisher's claim at `blockedPosition` as padding. True when something was unblocked. */
  unblockAt(blockedPosition: number): boolean {
    const termLength = this.termLength;
    const termCount = Math.floor(blockedPosition / termLength);
    const termOffset = blockedPosition - termCount * termLength;
    const index = termCount % PARTITION_COUNT;
    const blockedTermId = (this.initialTermId + termCount) | 0;
    const activeTermCount = Atomics.load(this.i32, (this.meta + ACTIVE_TERM_COUNT_OFFSET) >> 2);
    if (termOffset === 0 && activeTermCount === ((termCount - 1) | 0)) {
      // A publisher padded the previous term and died before rotating.
      this.rotateLog(termCount - 1, (blockedTermId - 1) | 0);
      return true;
    }
    this.readTail(index);
    if (this.tailTermId !== blockedTermId) return false;
    const tailOffset = this.tailOffset < termLength ? this.tailOffset : termLength;
    if (tailOffset <= termOffset) return false;
    const status = this.unblockTerm(index * termLength, termOffset, tailOffset, blockedTermId);
    if (status === UNBLOCKED_TO_END) {
      this.rotateLog(termCount, blockedTermId);
      return true;
    }
    return status === UNBLOCKED;
  }

  private unblockTerm(termBase: number, blockedOffset: number, tailOffset: number, termId: number): number {
    const i32 = this.i32;
    const termLength = this.termLength;
    const frameLength = Atomics.load(i32, (termBase + blockedOffset) >> 2);
    if (frameLength < 0) {
      this.writePadding(termBase, blockedOffset, termId, -frameLength);
      return UNBLOCKED;
    }
    if (frameLength !== 0) return UNBLOCK_NO_ACTION;
    let current = blockedOffset + FRAME_ALIGNMENT;
    while (current < tailOffset) {
      if (Atomics.load(i32, (termBase + current) >> 2) !== 0) {
        for (let o = current - FRAME_ALIGNMENT; o > blockedOffset; o -= FRAME_ALIGNMENT) {
          if (Atomics.load(i32, (termBase + o) >> 2) !== 0) return UNBLOCK_NO_ACTION;
        }
        this.writePadding(termBase, blockedOffset, termId, current - blockedOffset);
        return UNBLOCKED;
      }
      current += FRAME_ALIGNMENT;
    }
    if (current >= termLength && Atomics.load(i32, (termBase + blockedOffset) >> 2) === 0) {
      this.writePadding(termBase, blockedOffset, termId, termLength - blockedOffset);
      return UNBLOCKED_TO_END;
    }
    return UNBLOCK_NO_ACTION;
  }

  private writePadding(termBase: number, termOffset: number, termId: number, length: number): void {
    const b = this.log;
    const at = termBase + termOffset;
    b.putUint8(at + 4, 0);
    b.putUint8(at + 5, UNFRAGMENTED_FLAGS);
    b.putInt16(at + 6, HDR_TYPE_PAD);
    b.putInt32(at + 8, termOffset);
    b.putInt32(at + 12, this.sessionId);
    b.putInt32(at + 16, this.streamId);
    b.putInt32(at + 20, termId);
    b.putInt32Ordered(at, length);
  }

  private rotateLog(termCount: number, termId: number): void {
    const nextTermId = (termId + 1) | 0;
    const nextTermCount = (termCount + 1) | 0;
    const nextIndex = nextTermCount % PARTITION_COUNT;
    const expectedTermId = (nextTermId - PARTITION_COUNT) | 0;
    const tailOffset = this.meta + TERM_TAIL_COUNTERS_OFFSET + nextIndex * 8;
    for (;;) {
      const raw = this.log.getInt64VolatileBigInt(tailOffset);
      if (Number(BigInt.asIntN(32, raw >> 32n)) !== expectedTermId) break;
      if (this.log.compareAndSetInt64BigInt(tailOffset, raw, BigInt(nextTermId) << 32n)) break;
    }
    this.log.compareAndSetInt32(this.meta + ACTIVE_TERM_COUNT_OFFSET, termCount | 0, nextTermCount);
  }

  private cleanBufferTo(position: number): void {
    const clean = this.cleanPosition;
    if (position <= clean) return;
    const termLength = this.termLength;
    const termCount = Math.floor(clean / termLength);
    const termOffset = clean - termCount * termLength;
    const length = Math.min(position - clean, termLength - termOffset);
    const at = (termCount % PARTITION_COUNT) * termLength + termOffset;
    this.log.bytes.fill(0, at + 8, at + length);
    Atomics.store(this.i32, (at + 4) >> 2, 0);
    Atomics.store(this.i32, at >> 2, 0);
    this.cleanPosition = clean + length;
  }

  /** Atomic 64-bit tail read as (termId, offset) without a BigInt: high, low, high again until stable. */
  private readTail(index: number): void {
    const i = (this.meta + TERM_TAIL_COUNTERS_OFFSET + index * 8) >> 2;
    const i32 = this.i32;
    let hi = Atomics.load(i32, i + 1);
    for (;;) {
      const lo = Atomics.load(i32, i);
      const hi2 = Atomics.load(i32, i + 1);
      if (hi2 === hi) {
        this.tailTermId = hi;
        this.tailOffset = lo >>> 0;
        return;
      }
      hi = hi2;
    }
  }

  /** Bytes of the log mapping (for the "Bytes currently mapped" counter). */
  mappedLength(): number {
    return this.logFile.length;
  }

  /** Frame header length, exported for tests that build frames. */
  static readonly HEADER_LENGTH = DATA_HEADER_LENGTH;
}

import type { AtomicBuffer } from '@mm/agrona';
import { streamBit, type Doorbell } from './Doorbell.js';
import { Stage, stageTrace } from './StageTrace.js';
import { DelegatingPublisher } from './DelegatingPublisher.js';
import type { BufferClaim, Publisher } from './Transport.js';

/**
 * A publisher that rings the doorbell (its stream's bit) after every successful `offer`, so a subscriber of the
 * stream asleep on it wakes at once.
 * A `tryClaim` is committed later by the caller, so it only marks the bell; the transport's duty cycle rings it
 * (`Doorbell.ringIfPending`). Costs one load per offer while no process sleeps. Allocates nothing.
 */
export class RingingPublisher extends DelegatingPublisher {
  private readonly bit: number;

  constructor(
    inner: Publisher,
    private readonly doorbell: Doorbell,
  ) {
    super(inner);
    this.bit = streamBit(inner.streamId);
  }

  offer(buffer: AtomicBuffer, offset: number, length: number): number {
    stageTrace.mark(Stage.OFFER_START, 0);
    const result = this.inner.offer(buffer, offset, length);
    // Traced: whether someone slept on this stream when the ring started (key of RING_START).
    stageTrace.mark(Stage.RING_START, stageTrace.enabled ? this.doorbell.sleepersOn(this.inner.streamId) : 0);
    if (result >= 0) this.doorbell.ring(this.bit);
    stageTrace.mark(Stage.RING_DONE, 0);
    return result;
  }

  tryClaim(length: number, claim: BufferClaim): number {
    const result = this.inner.tryClaim(length, claim);
    if (result >= 0) this.doorbell.ringLater(this.bit);
    return result;
  }
}

import type { AtomicBuffer } from '@mm/agrona';
import { DelegatingPublisher } from './DelegatingPublisher.js';
import type { BufferClaim, Publisher } from './Transport.js';

/**
 * A publisher that calls `wake` after every successful `offer` or `tryClaim`, so agents hosted in the same process
 * read the message in the same turn (`AgentRunner.wake`) rather than after the host's park timer. A claim is
 * committed by the caller before the woken cycle runs (the wake is a microtask). Allocates nothing.
 */
export class WakingPublisher extends DelegatingPublisher {
  constructor(
    inner: Publisher,
    private readonly wake: () => void,
  ) {
    super(inner);
  }

  offer(buffer: AtomicBuffer, offset: number, length: number): number {
    const result = this.inner.offer(buffer, offset, length);
    if (result >= 0) this.wake();
    return result;
  }

  tryClaim(length: number, claim: BufferClaim): number {
    const result = this.inner.tryClaim(length, claim);
    if (result >= 0) this.wake();
    return result;
  }
}

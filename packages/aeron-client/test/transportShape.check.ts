// Compile-time check (tsc, not vitest): Aeron's classes satisfy the runtime transport interfaces structurally.
import type { BufferClaim as RtClaim, Publisher, Subscriber, Transport } from '../../runtime/src/Transport.js';
import type { Aeron } from '../src/Aeron.js';
import type { ExclusivePublication } from '../src/ExclusivePublication.js';
import type { BufferClaim } from '../src/logbuffer/BufferClaim.js';
import type { Publication } from '../src/Publication.js';
import type { Subscription } from '../src/Subscription.js';

export function shapes(a: Aeron, p: Publication, e: ExclusivePublication, s: Subscription, c: BufferClaim): void {
  const t: Transport = a;
  const p1: Publisher = p;
  const p2: Publisher = e;
  const s1: Subscriber = s;
  const c1: RtClaim = c;
  void [t, p1, p2, s1, c1];
}

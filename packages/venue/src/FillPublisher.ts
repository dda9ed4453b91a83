import { AtomicBuffer } from '@mm/agrona';
import type { FillEvent } from '@mm/models/fills';
import { FillEncoder, type Liquidity, type Side, type Venue } from '@mm/protocol';
import type { Publisher } from '@mm/runtime';

/**
 * Stream 16 is never conflated: each fill is encoded once into a bounded ring and offered in order; whatever the
 * publication refuses (back pressure, no subscriber yet) stays queued and is retried by `drain()` from the duty
 * cycle, so a fill is published at most once and, unless the ring overflows, exactly once. The ring is
 * preallocated: nothing is allocated per fill. The fill message's orderId is the quote id (what the strategy knows).
 */
const SLOT = 128;

export class FillPublisher {
  private readonly ring: AtomicBuffer;
  private readonly lengths: Int32Array;
  private readonly encoder = new FillEncoder();
  private head = 0;
  private tail = 0;
  private sequence = 0;
  /** Fills accepted by the publication. */
  published = 0;

  constructor(
    private readonly publisher: Publisher,
    private readonly venue: Venue,
    readonly capacity = 4096,
  ) {
    this.ring = AtomicBuffer.allocate(capacity * SLOT);
    this.lengths = new Int32Array(capacity);
  }

  /** Fills queued and not yet accepted. */
  get pending(): number {
    return this.tail - this.head;
  }

  /** Queues a fill and offers what is queued; false (nothing queued) when the ring is full. */
  enqueue(f: Readonly<FillEvent>, symbol: Uint8Array): boolean {
    if (this.tail - this.head >= this.capacity) return false;
    const slot = this.tail % this.capacity;
    const enc = this.encoder.wrap(this.ring, slot * SLOT);
    enc
      .sequence(this.sequence++)
      .recvTimeNs(f.recvTimeNs)
      .fillId(f.fillId)
      .orderId(f.quoteId)
      .price(f.priceE8)
      .qty(f.qtyE8)
      .fee(f.feeE8)
      .fillTimeNs(f.fillTimeNs)
      .symbolBytes(symbol)
      .venue(this.venue)
      .side(f.side as Side)
      .liquidity(f.liquidity as Liquidity);
    this.lengths[slot] = enc.encodedLength();
    this.tail++;
    this.drain();
    return true;
  }

  /** Offers queued fills in order until one is refused; returns how many were accepted. */
  drain(): number {
    let sent = 0;
    while (this.head < this.tail) {
      const slot = this.head % this.capacity;
      if (this.publisher.offer(this.ring, slot * SLOT, this.lengths[slot]!) < 0) break;
      this.head++;
      sent++;
    }
    this.published += sent;
    return sent;
  }
}

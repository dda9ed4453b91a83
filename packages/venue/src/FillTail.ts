import { newFillEvent, type FillEvent } from '@mm/models/fills';
import type { FillPublisher } from './FillPublisher.js';

/**
 * The last `capacity` fills seen while a venue replays its journal, so they can be published again at start: a
 * fill journaled just before a kill -9 or a driver loss may never have reached stream 16 (still queued, or written
 * into the dead driver's log). Consumers skip fill ids they already have, so a repeat is harmless and a loss is
 * not. The ring is allocated once (at start); keeping a fill copies its fields.
 */
export class FillTail {
  private readonly fills: FillEvent[] = [];
  private readonly symbols: Uint8Array[] = [];
  private kept = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`fill tail capacity must be an integer >= 0, got ${capacity}`);
    for (let i = 0; i < capacity; i++) {
      this.fills.push(newFillEvent());
      this.symbols.push(new Uint8Array(0));
    }
  }

  /** Fills held (at most capacity). */
  get size(): number {
    return Math.min(this.kept, this.capacity);
  }

  keep(fill: Readonly<FillEvent>, symbol: Uint8Array): void {
    if (this.capacity === 0) return;
    const slot = this.kept % this.capacity;
    Object.assign(this.fills[slot]!, fill);
    this.symbols[slot] = symbol;
    this.kept++;
  }

  /** Queues the held fills on `out`, oldest first; returns how many were queued and the first id (0 if none). */
  republish(out: FillPublisher): { queued: number; firstFillId: number } {
    const n = this.size;
    let queued = 0;
    let firstFillId = 0;
    for (let i = this.kept - n; i < this.kept; i++) {
      const slot = i % this.capacity;
      if (i === this.kept - n) firstFillId = this.fills[slot]!.fillId;
      if (out.enqueue(this.fills[slot]!, this.symbols[slot]!)) queued++;
    }
    return { queued, firstFillId };
  }
}

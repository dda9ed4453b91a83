import { AtomicBuffer } from '@mm/agrona';

/**
 * A FIFO of whole messages copied out of a subscription, each with its event time (the carried receive time of the
 * market event behind it), its arrival time on this host's clock and the duty cycle that received it. The simulator
 * holds messages here so it can apply quotes and market events in event-time order (see SimulatorAgent).
 *
 * Layout: one preallocated byte ring (messages stored contiguously, 8-byte aligned; a message that would straddle
 * the end starts again at 0) and parallel metadata rings of `maxMessages` slots. Nothing is allocated per message.
 * Limits: `push` returns false when the bytes or the slots are full (the caller then releases the oldest first); a
 * message longer than a quarter of the byte capacity is refused by `push` (the caller handles it unheld).
 */
export class HeldMessages {
  readonly buffer: AtomicBuffer;
  private readonly capacity: number;
  private readonly slots: number;
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  /** Bytes each slot frees when popped: its aligned size plus the ring tail skipped before it. */
  private readonly spans: Int32Array;
  /** Event time, arrival time and cycle per slot (doubles: ns exceed int32). */
  private readonly times: Float64Array;
  private readonly arrivals: Float64Array;
  private readonly cycles: Float64Array;
  private head = 0;
  private count = 0;
  private writeAt = 0;
  private used = 0;

  constructor(capacityBytes: number, maxMessages: number) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 1024) throw new RangeError(`HeldMessages capacity must be an integer >= 1024, got ${capacityBytes}`);
    if (!Number.isInteger(maxMessages) || maxMessages < 1) throw new RangeError(`HeldMessages maxMessages must be an integer >= 1, got ${maxMessages}`);
    this.capacity = capacityBytes - (capacityBytes & 7);
    this.slots = maxMessages;
    this.buffer = AtomicBuffer.allocate(this.capacity);
    this.offsets = new Int32Array(maxMessages);
    this.lengths = new Int32Array(maxMessages);
    this.spans = new Int32Array(maxMessages);
    this.times = new Float64Array(maxMessages);
    this.arrivals = new Float64Array(maxMessages);
    this.cycles = new Float64Array(maxMessages);
  }

  get size(): number {
    return this.count;
  }

  /** Copies a message in; false when full (or too long to hold). */
  push(src: AtomicBuffer, offset: number, length: number, timeNs: number, arrivalNs: number, cycle: number): boolean {
    if (this.count === this.slots || length > this.capacity >> 2) return false;
    const aligned = (length + 7) & ~7;
    let at = this.writeAt;
    let skip = 0;
    if (at + aligned > this.capacity) {
      skip = this.capacity - at;
      at = 0;
    }
    if (this.used + skip + aligned > this.capacity) return false;
    this.buffer.copyFrom(at, src, offset, length);
    const slot = (this.head + this.count) % this.slots;
    this.offsets[slot] = at;
    this.lengths[slot] = length;
    this.spans[slot] = skip + aligned;
    this.times[slot] = timeNs;
    this.arrivals[slot] = arrivalNs;
    this.cycles[slot] = cycle;
    this.writeAt = at + aligned;
    this.used += skip + aligned;
    this.count++;
    return true;
  }

  /** Offset and length of the oldest message in `buffer` (only while size > 0). */
  headOffset(): number {
    return this.offsets[this.head]!;
  }

  headLength(): number {
    return this.lengths[this.head]!;
  }

  /** Event time of the oldest message; +Infinity when empty (so an empty FIFO never wins a merge). */
  headTimeNs(): number {
    return this.count > 0 ? this.times[this.head]! : Number.POSITIVE_INFINITY;
  }

  headArrivalNs(): number {
    return this.arrivals[this.head]!;
  }

  headCycle(): number {
    return this.cycles[this.head]!;
  }

  /** Drops the oldest message (after it was handled). */
  pop(): void {
    if (this.count === 0) return;
    this.used -= this.spans[this.head]!;
    this.head = (this.head + 1) % this.slots;
    this.count--;
    if (this.count === 0) {
      this.used = 0;
      this.writeAt = 0;
    }
  }
}

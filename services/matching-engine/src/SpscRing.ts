/**
 * Single-producer single-consumer ring of fixed 64-byte records over a SharedArrayBuffer (one producer thread, one
 * consumer thread). Layout:
 *
 *   control (192 bytes): head i32 @0 (consumer) | tail i32 @64 (producer) | parked i32 @128 (consumer asleep)
 *     each on its own 64-byte line so producer and consumer do not share a cache line
 *   records: capacity × 64 bytes; a record is 16 i32 (or, for its last 8 bytes, one f64 at float index 7)
 *
 * Invariants: capacity is a power of two; 0 ≤ tail - head ≤ capacity (counters wrap as i32, compared by
 * difference); records are written before the tail store that publishes them (Atomics.store is sequentially
 * consistent), and read before the head store that frees them; both counters move in batches. A consumer parks with Atomics.wait on the tail after
 * setting `parked`; the producer notifies only when `parked` is set, so an idle consumer costs no CPU and a busy
 * one no syscalls.
 */
export const RECORD_INTS = 16;
const HEAD = 0;
const TAIL = 16;
const PARKED = 32;
const CONTROL_BYTES = 192;

export class SpscRing {
  readonly ctrl: Int32Array;
  readonly i32: Int32Array;
  readonly f64: Float64Array;
  readonly mask: number;

  constructor(
    readonly sab: SharedArrayBuffer,
    readonly capacity: number,
  ) {
    if ((capacity & (capacity - 1)) !== 0 || capacity < 2) throw new RangeError(`ring capacity must be a power of two ≥ 2, got ${capacity}`);
    if (sab.byteLength !== SpscRing.bytesFor(capacity)) throw new RangeError('ring buffer size does not match its capacity');
    this.ctrl = new Int32Array(sab, 0, CONTROL_BYTES / 4);
    this.i32 = new Int32Array(sab, CONTROL_BYTES, capacity * RECORD_INTS);
    this.f64 = new Float64Array(sab, CONTROL_BYTES, capacity * (RECORD_INTS / 2));
    this.mask = capacity - 1;
  }

  static bytesFor(capacity: number): number {
    return CONTROL_BYTES + capacity * RECORD_INTS * 4;
  }

  static create(capacity: number): SpscRing {
    return new SpscRing(new SharedArrayBuffer(SpscRing.bytesFor(capacity)), capacity);
  }

  // Producer side. Records are claimed and advanced privately, then made visible together by publish(), so a burst
  // costs one shared store (and at most one wake-up) instead of one per record.
  private tailLocal = 0;
  private tailPublished = 0;
  private headCache = 0;

  /** Int index of a free record to fill, or -1 when the ring is full (pending records are published first). */
  claim(): number {
    if (this.tailLocal - this.headCache >= this.capacity) {
      this.headCache = Atomics.load(this.ctrl, HEAD);
      if (this.tailLocal - this.headCache >= this.capacity) {
        this.publish();
        return -1;
      }
    }
    return (this.tailLocal & this.mask) * RECORD_INTS;
  }

  /** Marks the claimed record as written (not yet visible to the consumer). */
  advance(): void {
    this.tailLocal = (this.tailLocal + 1) | 0;
  }

  /** Makes every advanced record visible and wakes a parked consumer. */
  publish(): void {
    if (this.tailLocal === this.tailPublished) return;
    this.tailPublished = this.tailLocal;
    Atomics.store(this.ctrl, TAIL, this.tailLocal);
    // Only the publish that finds the consumer asleep pays for the wake-up (clearing the flag claims it).
    if (Atomics.load(this.ctrl, PARKED) === 1 && Atomics.compareExchange(this.ctrl, PARKED, 1, 0) === 1) Atomics.notify(this.ctrl, TAIL);
  }

  // Consumer side. Freed records are returned to the producer in batches (every 64, and whenever the ring is seen
  // empty or the consumer stops), for the same reason.
  private headLocal = 0;
  private headPublished = 0;
  private tailCache = 0;

  /** Int index of the next record to read, or -1 when empty. */
  peek(): number {
    if (this.headLocal === this.tailCache) {
      this.commit();
      this.tailCache = Atomics.load(this.ctrl, TAIL);
      if (this.headLocal === this.tailCache) return -1;
    }
    return (this.headLocal & this.mask) * RECORD_INTS;
  }

  /** Frees the record returned by peek. */
  release(): void {
    this.headLocal = (this.headLocal + 1) | 0;
    if (this.headLocal - this.headPublished >= 64) this.commit();
  }

  /** Returns freed records to the producer and wakes it if it is parked on a full ring. */
  commit(): void {
    if (this.headLocal === this.headPublished) return;
    this.headPublished = this.headLocal;
    Atomics.store(this.ctrl, HEAD, this.headLocal);
    if (Atomics.load(this.ctrl, PARKED) === 2 && Atomics.compareExchange(this.ctrl, PARKED, 2, 0) === 2) Atomics.notify(this.ctrl, HEAD);
  }

  /** Consumer: sleeps until the producer publishes (or timeoutMs passes). Only worker threads may call it. */
  parkConsumer(timeoutMs: number): void {
    this.commit();
    Atomics.store(this.ctrl, PARKED, 1);
    const seen = this.headLocal;
    if (Atomics.load(this.ctrl, TAIL) === seen) Atomics.wait(this.ctrl, TAIL, seen, timeoutMs);
    Atomics.store(this.ctrl, PARKED, 0);
  }

  /**
   * Consumer on an event-loop thread: resolves when the producer publishes (or after timeoutMs) without blocking
   * the thread; null when Atomics.waitAsync is unavailable (the caller then polls from setImmediate).
   */
  parkConsumerAsync(timeoutMs: number): Promise<unknown> | null {
    const waitAsync = (Atomics as { waitAsync?: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: unknown } }).waitAsync;
    if (waitAsync === undefined) return null;
    this.commit();
    Atomics.store(this.ctrl, PARKED, 1);
    const seen = this.headLocal;
    if (Atomics.load(this.ctrl, TAIL) !== seen) {
      Atomics.store(this.ctrl, PARKED, 0);
      return Promise.resolve();
    }
    const r = waitAsync(this.ctrl, TAIL, seen, timeoutMs);
    const done = (): void => {
      Atomics.compareExchange(this.ctrl, PARKED, 1, 0);
    };
    if (!r.async) {
      done();
      return Promise.resolve();
    }
    return (r.value as Promise<unknown>).then(done);
  }

  /** Producer (worker thread only): sleeps until the consumer frees a record (or timeoutMs passes). */
  parkProducer(timeoutMs: number): void {
    this.publish();
    Atomics.store(this.ctrl, PARKED, 2);
    const h = Atomics.load(this.ctrl, HEAD);
    if (this.tailLocal - h >= this.capacity) Atomics.wait(this.ctrl, HEAD, h, timeoutMs);
    Atomics.store(this.ctrl, PARKED, 0);
  }
}

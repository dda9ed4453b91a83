/**
 * A counter this client allocated in the driver's counters (ADD_COUNTER): a 64-bit value other processes read from
 * the CnC file (e.g. a service's heartbeat for `mm health`). Setting it is a single ordered store, no allocation.
 */
import { CountersLayout, type AtomicBuffer } from '@mm/agrona';

export class Counter {
  private closed = false;

  constructor(
    readonly registrationId: number,
    readonly counterId: number,
    private readonly values: AtomicBuffer,
    private readonly onClose: (counter: Counter) => void,
  ) {}

  get isClosed(): boolean { return this.closed; }

  /** Stores `value` (an integer within ±2^53) with release semantics. */
  setOrdered(value: number): void {
    if (!this.closed) this.values.putInt64OrderedNumber(this.counterId * CountersLayout.COUNTER_LENGTH, value);
  }

  get(): number {
    return this.values.getInt64VolatileNumber(this.counterId * CountersLayout.COUNTER_LENGTH);
  }

  /** Asks the driver to free the counter (REMOVE_COUNTER). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose(this);
  }
}

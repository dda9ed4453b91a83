import type { AtomicBuffer } from './AtomicBuffer.js';

/**
 * Driver-side allocator of Aeron counters in the CnC counters metadata and values buffers (CnC 0.2.0 layout).
 *
 * Values record, 128 bytes, counter id i at `i * 128`:
 *   +0 int64 value, +8 int64 registration id, +16 int64 owner id, +24 int64 reference id, then padding.
 * Metadata record, 512 bytes, counter id i at `i * 512`:
 *   +0 int32 state (0 unused, 1 allocated, -1 reclaimed), +4 int32 type id, +8 int64 free-for-reuse deadline (epoch ms,
 *   INT64_MAX while allocated), +16 key (112 bytes), +128 int32 label length, +132 label (380 bytes, ASCII).
 *
 * Invariants:
 * - Only one manager writes a pair of buffers (the driver conductor); readers in other processes trust type, key and
 *   label only after an acquire load of state == 1, so state is release-stored after everything else in the record.
 * - A freed id is reused only after its deadline (`freeToReuseTimeoutMs`, Aeron's 1 s) so a reader still holding the
 *   id sees RECLAIMED rather than somebody else's counter.
 * - Labels longer than 380 bytes and keys longer than 112 bytes are truncated, as Aeron does.
 * Allocation is control-path work and may allocate; value accessors allocate nothing beyond transient BigInts.
 */
export const COUNTER_VALUES_RECORD_LENGTH = 128;
export const COUNTER_METADATA_RECORD_LENGTH = 512;
export const COUNTER_VALUE_OFFSET = 0;
export const COUNTER_REGISTRATION_ID_OFFSET = 8;
export const COUNTER_OWNER_ID_OFFSET = 16;
export const COUNTER_REFERENCE_ID_OFFSET = 24;
export const COUNTER_STATE_OFFSET = 0;
export const COUNTER_TYPE_ID_OFFSET = 4;
export const COUNTER_FREE_FOR_REUSE_DEADLINE_OFFSET = 8;
export const COUNTER_KEY_OFFSET = 16;
export const COUNTER_MAX_KEY_LENGTH = 112;
export const COUNTER_LABEL_LENGTH_OFFSET = 128;
export const COUNTER_LABEL_OFFSET = 132;
export const COUNTER_MAX_LABEL_LENGTH = 380;
export const COUNTER_RECORD_UNUSED = 0;
export const COUNTER_RECORD_ALLOCATED = 1;
export const COUNTER_RECORD_RECLAIMED = -1;
export const COUNTER_NOT_FREE_TO_REUSE = 0x7fffffffffffffffn;
export const COUNTER_DEFAULT_FREE_TO_REUSE_TIMEOUT_MS = 1000;

/** Thrown when every counter id is in use; the driver turns it into an error response. */
export class CountersFullError extends Error {
  constructor(maxCounterId: number) {
    super(`unable to allocate counter, counters buffer is full (max counter id ${maxCounterId})`);
    this.name = 'CountersFullError';
  }
}

export type EpochMsClock = () => number;

export class CountersManager {
  readonly metadataBuffer: AtomicBuffer;
  readonly valuesBuffer: AtomicBuffer;
  readonly maxCounterId: number;
  private readonly epochClockMs: EpochMsClock;
  private readonly freeToReuseTimeoutMs: number;
  private highWaterMarkId = -1;
  /** Freed ids in the order they were freed, so the oldest (first to pass its deadline) is at the head. */
  private readonly freeList: number[] = [];
  private readonly labelScratch: Uint8Array = new Uint8Array(COUNTER_MAX_LABEL_LENGTH);

  constructor(
    metadataBuffer: AtomicBuffer,
    valuesBuffer: AtomicBuffer,
    epochClockMs: EpochMsClock = Date.now,
    freeToReuseTimeoutMs: number = COUNTER_DEFAULT_FREE_TO_REUSE_TIMEOUT_MS,
  ) {
    if (valuesBuffer.capacity < COUNTER_VALUES_RECORD_LENGTH) {
      throw new RangeError(`counters values buffer of ${valuesBuffer.capacity} bytes holds no counter`);
    }
    if (metadataBuffer.capacity < valuesBuffer.capacity * (COUNTER_METADATA_RECORD_LENGTH / COUNTER_VALUES_RECORD_LENGTH)) {
      throw new RangeError(
        `counters metadata buffer of ${metadataBuffer.capacity} bytes is smaller than 4 x values (${valuesBuffer.capacity})`,
      );
    }
    this.metadataBuffer = metadataBuffer;
    this.valuesBuffer = valuesBuffer;
    this.maxCounterId = valuesBuffer.capacity / COUNTER_VALUES_RECORD_LENGTH - 1;
    this.epochClockMs = epochClockMs;
    this.freeToReuseTimeoutMs = freeToReuseTimeoutMs;
  }

  /**
   * Allocates a counter and returns its id. `key` (up to 112 bytes) and `label` (ASCII, up to 380 bytes) are
   * written before the state is published. Registration, owner and reference ids start at 0 (set them after).
   */
  allocate(typeId: number, label: string, key?: Uint8Array, keyOffset = 0, keyLength = key ? key.length - keyOffset : 0): number {
    const id = this.nextCounterId();
    const meta = this.metadataBuffer;
    const recordOffset = id * COUNTER_METADATA_RECORD_LENGTH;
    meta.putInt32(recordOffset + COUNTER_TYPE_ID_OFFSET, typeId);
    meta.putInt64BigInt(recordOffset + COUNTER_FREE_FOR_REUSE_DEADLINE_OFFSET, COUNTER_NOT_FREE_TO_REUSE);
    meta.setMemory(recordOffset + COUNTER_KEY_OFFSET, COUNTER_MAX_KEY_LENGTH, 0);
    if (key !== undefined && keyLength > 0) {
      meta.putBytes(recordOffset + COUNTER_KEY_OFFSET, key, keyOffset, Math.min(keyLength, COUNTER_MAX_KEY_LENGTH));
    }
    this.writeLabel(recordOffset, label);
    meta.putInt32Ordered(recordOffset + COUNTER_STATE_OFFSET, COUNTER_RECORD_ALLOCATED);
    return id;
  }

  /** Writes the key through a callback on the metadata buffer (offset of the key, max 112 bytes) before publishing. */
  allocateWithKeyWriter(typeId: number, label: string, writeKey: (buffer: AtomicBuffer, keyOffset: number) => void): number {
    const id = this.nextCounterId();
    const meta = this.metadataBuffer;
    const recordOffset = id * COUNTER_METADATA_RECORD_LENGTH;
    meta.putInt32(recordOffset + COUNTER_TYPE_ID_OFFSET, typeId);
    meta.putInt64BigInt(recordOffset + COUNTER_FREE_FOR_REUSE_DEADLINE_OFFSET, COUNTER_NOT_FREE_TO_REUSE);
    meta.setMemory(recordOffset + COUNTER_KEY_OFFSET, COUNTER_MAX_KEY_LENGTH, 0);
    writeKey(meta, recordOffset + COUNTER_KEY_OFFSET);
    this.writeLabel(recordOffset, label);
    meta.putInt32Ordered(recordOffset + COUNTER_STATE_OFFSET, COUNTER_RECORD_ALLOCATED);
    return id;
  }

  /** Frees a counter: state RECLAIMED, key zeroed, reusable after the free-to-reuse timeout. */
  free(counterId: number): void {
    this.validateId(counterId);
    const meta = this.metadataBuffer;
    const recordOffset = counterId * COUNTER_METADATA_RECORD_LENGTH;
    if (meta.getInt32Volatile(recordOffset + COUNTER_STATE_OFFSET) !== COUNTER_RECORD_ALLOCATED) {
      throw new Error(`counter ${counterId} is not allocated, cannot free it`);
    }
    meta.putInt64(recordOffset + COUNTER_FREE_FOR_REUSE_DEADLINE_OFFSET, this.epochClockMs() + this.freeToReuseTimeoutMs);
    meta.setMemory(recordOffset + COUNTER_KEY_OFFSET, COUNTER_MAX_KEY_LENGTH, 0);
    meta.putInt32Ordered(recordOffset + COUNTER_STATE_OFFSET, COUNTER_RECORD_RECLAIMED);
    this.freeList.push(counterId);
  }

  /** Ordered store; allocation-free when only the low word changes (the common case for positions). */
  setCounterValue(counterId: number, value: number): void {
    this.valuesBuffer.putInt64OrderedNumber(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_VALUE_OFFSET, value);
  }
  /** Volatile load without a BigInt. */
  getCounterValue(counterId: number): number {
    return this.valuesBuffer.getInt64VolatileNumber(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_VALUE_OFFSET);
  }
  /** Atomic add (other processes never write system counters, but an atomic add costs little on the control path). */
  addCounterValue(counterId: number, delta: number): void {
    this.valuesBuffer.getAndAddInt64BigInt(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_VALUE_OFFSET, BigInt(delta));
  }
  setCounterRegistrationId(counterId: number, registrationId: number): void {
    this.valuesBuffer.putInt64Ordered(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_REGISTRATION_ID_OFFSET, registrationId);
  }
  getCounterRegistrationId(counterId: number): number {
    return this.valuesBuffer.getInt64Volatile(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_REGISTRATION_ID_OFFSET);
  }
  setCounterOwnerId(counterId: number, ownerId: number): void {
    this.valuesBuffer.putInt64(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_OWNER_ID_OFFSET, ownerId);
  }
  getCounterOwnerId(counterId: number): number {
    return this.valuesBuffer.getInt64(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_OWNER_ID_OFFSET);
  }
  setCounterReferenceId(counterId: number, referenceId: number): void {
    this.valuesBuffer.putInt64(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_REFERENCE_ID_OFFSET, referenceId);
  }
  getCounterReferenceId(counterId: number): number {
    return this.valuesBuffer.getInt64(counterId * COUNTER_VALUES_RECORD_LENGTH + COUNTER_REFERENCE_ID_OFFSET);
  }
  getCounterState(counterId: number): number {
    return this.metadataBuffer.getInt32Volatile(counterId * COUNTER_METADATA_RECORD_LENGTH + COUNTER_STATE_OFFSET);
  }
  getCounterTypeId(counterId: number): number {
    return this.metadataBuffer.getInt32(counterId * COUNTER_METADATA_RECORD_LENGTH + COUNTER_TYPE_ID_OFFSET);
  }
  getCounterLabel(counterId: number): string {
    const recordOffset = counterId * COUNTER_METADATA_RECORD_LENGTH;
    const length = this.metadataBuffer.getInt32(recordOffset + COUNTER_LABEL_LENGTH_OFFSET);
    const bytes = this.metadataBuffer.bytes.subarray(recordOffset + COUNTER_LABEL_OFFSET, recordOffset + COUNTER_LABEL_OFFSET + length);
    return String.fromCharCode(...bytes);
  }
  /** Offset of the key of `counterId` in the metadata buffer. */
  keyOffset(counterId: number): number {
    return counterId * COUNTER_METADATA_RECORD_LENGTH + COUNTER_KEY_OFFSET;
  }
  /** Highest id ever allocated (-1 if none). */
  highWaterMark(): number {
    return this.highWaterMarkId;
  }
  /** Number of ids currently waiting in the free list. */
  freeCount(): number {
    return this.freeList.length;
  }

  private nextCounterId(): number {
    if (this.freeList.length > 0) {
      const candidate = this.freeList[0]!;
      const deadline = this.metadataBuffer.getInt64(candidate * COUNTER_METADATA_RECORD_LENGTH + COUNTER_FREE_FOR_REUSE_DEADLINE_OFFSET);
      if (this.epochClockMs() >= deadline) {
        this.freeList.shift();
        const valuesOffset = candidate * COUNTER_VALUES_RECORD_LENGTH;
        this.valuesBuffer.putInt64Ordered(valuesOffset + COUNTER_REGISTRATION_ID_OFFSET, 0);
        this.valuesBuffer.putInt64(valuesOffset + COUNTER_OWNER_ID_OFFSET, 0);
        this.valuesBuffer.putInt64(valuesOffset + COUNTER_REFERENCE_ID_OFFSET, 0);
        this.valuesBuffer.putInt64Ordered(valuesOffset + COUNTER_VALUE_OFFSET, 0);
        return candidate;
      }
    }
    if (this.highWaterMarkId >= this.maxCounterId) throw new CountersFullError(this.maxCounterId);
    this.highWaterMarkId += 1;
    return this.highWaterMarkId;
  }

  private writeLabel(recordOffset: number, label: string): void {
    const scratch = this.labelScratch;
    const length = Math.min(label.length, COUNTER_MAX_LABEL_LENGTH);
    for (let i = 0; i < length; i++) {
      const code = label.charCodeAt(i);
      scratch[i] = code < 0x80 ? code : 0x3f; // '?' for non-ASCII: labels are ASCII by contract
    }
    this.metadataBuffer.setMemory(recordOffset + COUNTER_LABEL_OFFSET, COUNTER_MAX_LABEL_LENGTH, 0);
    this.metadataBuffer.putBytes(recordOffset + COUNTER_LABEL_OFFSET, scratch, 0, length);
    this.metadataBuffer.putInt32(recordOffset + COUNTER_LABEL_LENGTH_OFFSET, length);
  }

  private validateId(counterId: number): void {
    if (!Number.isInteger(counterId) || counterId < 0 || counterId > this.highWaterMarkId) {
      throw new RangeError(`counter id ${counterId} outside allocated range [0, ${this.highWaterMarkId}]`);
    }
  }
}

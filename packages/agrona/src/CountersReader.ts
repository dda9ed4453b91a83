/**
 * Reads Aeron/Agrona counters from the two CnC regions: metadata (512 bytes per counter) and values (128 bytes).
 *
 * Metadata record:                         Value record:
 *   +0   int32 state (0 unused, 1 allocated,  +0  int64 value
 *        -1 reclaimed)                        +8  int64 registration id
 *   +4   int32 type id                        +16 int64 owner id (client id; 0/-1 for system counters)
 *   +8   int64 free-for-reuse deadline (ms)   +24 int64 reference id
 *   +16  key (112 bytes)
 *   +128 int32 label length
 *   +132 label (380 bytes, ASCII)
 *
 * Invariants: the state is acquire-loaded and type, key and label are only trusted when it is ALLOCATED (the
 * writer release-stores the state after them). Scans stop at the first UNUSED record (the high-water mark).
 */
import type { AtomicBuffer } from './AtomicBuffer.js';

export const CountersLayout = {
  METADATA_LENGTH: 512,
  COUNTER_LENGTH: 128,
  TYPE_ID_OFFSET: 4,
  FREE_FOR_REUSE_DEADLINE_OFFSET: 8,
  KEY_OFFSET: 16,
  MAX_KEY_LENGTH: 112,
  LABEL_LENGTH_OFFSET: 128,
  LABEL_OFFSET: 132,
  MAX_LABEL_LENGTH: 380,
  REGISTRATION_ID_OFFSET: 8,
  OWNER_ID_OFFSET: 16,
  REFERENCE_ID_OFFSET: 24,
  RECORD_UNUSED: 0,
  RECORD_ALLOCATED: 1,
  RECORD_RECLAIMED: -1,
  NULL_COUNTER_ID: -1,
} as const;

const L = CountersLayout;

/** Called per allocated counter: the key is `keyBuffer[keyOffset, keyOffset + 112)`. */
export type CounterConsumer = (counterId: number, typeId: number, keyBuffer: AtomicBuffer, keyOffset: number, label: string) => void;

export class CountersReader {
  readonly metadataBuffer: AtomicBuffer;
  readonly valuesBuffer: AtomicBuffer;
  readonly maxCounterId: number;

  constructor(metadataBuffer: AtomicBuffer, valuesBuffer: AtomicBuffer) {
    this.metadataBuffer = metadataBuffer;
    this.valuesBuffer = valuesBuffer;
    this.maxCounterId = Math.min(valuesBuffer.capacity / L.COUNTER_LENGTH, metadataBuffer.capacity / L.METADATA_LENGTH) - 1;
  }

  static metadataOffset(counterId: number): number { return counterId * L.METADATA_LENGTH; }
  static counterOffset(counterId: number): number { return counterId * L.COUNTER_LENGTH; }

  private check(counterId: number): void {
    if (!Number.isInteger(counterId) || counterId < 0 || counterId > this.maxCounterId) {
      throw new RangeError(`counter id ${counterId} out of range [0, ${this.maxCounterId}]`);
    }
  }

  /** Volatile value (exact below 2^53); allocation-free. */
  getCounterValue(counterId: number): number {
    this.check(counterId);
    return this.valuesBuffer.getInt64VolatileNumber(counterId * L.COUNTER_LENGTH);
  }
  getCounterValueBigInt(counterId: number): bigint {
    this.check(counterId);
    return this.valuesBuffer.getInt64VolatileBigInt(counterId * L.COUNTER_LENGTH);
  }
  getCounterState(counterId: number): number {
    this.check(counterId);
    return this.metadataBuffer.getInt32Volatile(counterId * L.METADATA_LENGTH);
  }
  getCounterTypeId(counterId: number): number {
    this.check(counterId);
    return this.metadataBuffer.getInt32(counterId * L.METADATA_LENGTH + L.TYPE_ID_OFFSET);
  }
  getCounterRegistrationId(counterId: number): number {
    this.check(counterId);
    return this.valuesBuffer.getInt64VolatileNumber(counterId * L.COUNTER_LENGTH + L.REGISTRATION_ID_OFFSET);
  }
  getCounterOwnerId(counterId: number): number {
    this.check(counterId);
    return this.valuesBuffer.getInt64VolatileNumber(counterId * L.COUNTER_LENGTH + L.OWNER_ID_OFFSET);
  }
  getCounterReferenceId(counterId: number): number {
    this.check(counterId);
    return this.valuesBuffer.getInt64VolatileNumber(counterId * L.COUNTER_LENGTH + L.REFERENCE_ID_OFFSET);
  }
  getFreeForReuseDeadline(counterId: number): number {
    this.check(counterId);
    return this.metadataBuffer.getInt64VolatileNumber(counterId * L.METADATA_LENGTH + L.FREE_FOR_REUSE_DEADLINE_OFFSET);
  }
  /** Offset of the counter's key in `metadataBuffer`. */
  keyOffset(counterId: number): number { return counterId * L.METADATA_LENGTH + L.KEY_OFFSET; }

  getCounterLabel(counterId: number): string {
    this.check(counterId);
    const offset = counterId * L.METADATA_LENGTH;
    const length = Math.max(0, Math.min(L.MAX_LABEL_LENGTH, this.metadataBuffer.getInt32(offset + L.LABEL_LENGTH_OFFSET)));
    return asciiString(this.metadataBuffer, offset + L.LABEL_OFFSET, length);
  }

  /** Visits every allocated counter up to the high-water mark (the first never-used record). */
  forEach(consumer: CounterConsumer): void {
    const meta = this.metadataBuffer;
    for (let id = 0; id <= this.maxCounterId; id++) {
      const offset = id * L.METADATA_LENGTH;
      const state = meta.getInt32Volatile(offset);
      if (state === L.RECORD_UNUSED) break;
      if (state === L.RECORD_ALLOCATED) {
        consumer(id, meta.getInt32(offset + L.TYPE_ID_OFFSET), meta, offset + L.KEY_OFFSET, this.getCounterLabel(id));
      }
    }
  }

  /** First allocated counter with this type id and registration id, or NULL_COUNTER_ID (-1). */
  findByTypeIdAndRegistrationId(typeId: number, registrationId: number): number {
    const meta = this.metadataBuffer;
    for (let id = 0; id <= this.maxCounterId; id++) {
      const offset = id * L.METADATA_LENGTH;
      const state = meta.getInt32Volatile(offset);
      if (state === L.RECORD_UNUSED) break;
      if (state === L.RECORD_ALLOCATED && meta.getInt32(offset + L.TYPE_ID_OFFSET) === typeId &&
        this.valuesBuffer.getInt64VolatileNumber(id * L.COUNTER_LENGTH + L.REGISTRATION_ID_OFFSET) === registrationId) {
        return id;
      }
    }
    return L.NULL_COUNTER_ID;
  }
}

/** Decodes ASCII/Latin-1 bytes without a TextDecoder round trip (labels are short). */
export function asciiString(buffer: AtomicBuffer, offset: number, length: number): string {
  let s = '';
  const bytes = buffer.bytes;
  for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[offset + i]!);
  return s;
}

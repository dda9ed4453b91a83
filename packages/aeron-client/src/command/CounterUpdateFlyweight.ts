/**
 * ON_COUNTER_READY (0x0F08), ON_UNAVAILABLE_COUNTER (0x0F09), ON_STATIC_COUNTER (0x0F0B).
 *
 *   0 int64 correlation id (registration id; the client id for a client's heartbeat counter)
 *   8 int32 counter id
 */
import { Flyweight } from './Flyweight.js';

export const COUNTER_UPDATE_LENGTH = 12;

export class CounterUpdateFlyweight extends Flyweight {
  correlationId(): number { return this.buffer.getInt64(this.offset); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset, v); return this; }
  counterId(): number { return this.buffer.getInt32(this.offset + 8); }
  setCounterId(v: number): this { this.buffer.putInt32(this.offset + 8, v); return this; }
  length(): number { return COUNTER_UPDATE_LENGTH; }
}

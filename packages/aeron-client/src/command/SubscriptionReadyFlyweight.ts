/**
 * ON_SUBSCRIPTION_READY (0x0F07).
 *
 *   0 int64 correlation id
 *   8 int32 channel status indicator id (-1 for IPC)
 */
import { Flyweight } from './Flyweight.js';

export const SUBSCRIPTION_READY_LENGTH = 12;

export class SubscriptionReadyFlyweight extends Flyweight {
  correlationId(): number { return this.buffer.getInt64(this.offset); }
  setCorrelationId(v: number): this { this.buffer.putInt64(this.offset, v); return this; }
  channelStatusIndicatorId(): number { return this.buffer.getInt32(this.offset + 8); }
  setChannelStatusIndicatorId(v: number): this { this.buffer.putInt32(this.offset + 8, v); return this; }
  length(): number { return SUBSCRIPTION_READY_LENGTH; }
}

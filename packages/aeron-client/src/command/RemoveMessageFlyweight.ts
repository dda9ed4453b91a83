/**
 * REMOVE_PUBLICATION (0x02), REMOVE_SUBSCRIPTION (0x05), REMOVE_COUNTER (0x0A).
 *
 *   0  int64 client id | 8 int64 correlation id
 *   16 int64 registration id of the resource to remove
 */
import { CorrelatedMessageFlyweight } from './CorrelatedMessageFlyweight.js';
import { Flyweight } from './Flyweight.js';

export const REMOVE_REGISTRATION_ID_OFFSET = 16;
export const REMOVE_MESSAGE_LENGTH = 24;

export class RemoveMessageFlyweight extends CorrelatedMessageFlyweight {
  registrationId(): number { return this.buffer.getInt64(this.offset + REMOVE_REGISTRATION_ID_OFFSET); }
  setRegistrationId(v: number): this { this.buffer.putInt64(this.offset + REMOVE_REGISTRATION_ID_OFFSET, v); return this; }
  length(): number { return REMOVE_MESSAGE_LENGTH; }
  validateLength(msgTypeId: number, length: number): void {
    Flyweight.checkLength(`remove command 0x${msgTypeId.toString(16)}`, length, REMOVE_MESSAGE_LENGTH);
  }
}

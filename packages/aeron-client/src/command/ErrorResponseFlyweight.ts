/**
 * ON_ERROR (0x0F01).
 *
 *   0  int64 offending command's correlation id
 *   8  int32 error code (see ErrorCode)
 *   12 int32 message length
 *   16 message (ASCII/UTF-8)
 */
import { Flyweight } from './Flyweight.js';

export const OFFENDING_COMMAND_CORRELATION_ID_OFFSET = 0;
export const ERROR_CODE_OFFSET = 8;
export const ERROR_MESSAGE_OFFSET = 12;

export class ErrorResponseFlyweight extends Flyweight {
  offendingCommandCorrelationId(): number { return this.buffer.getInt64(this.offset + OFFENDING_COMMAND_CORRELATION_ID_OFFSET); }
  setOffendingCommandCorrelationId(v: number): this { this.buffer.putInt64(this.offset + OFFENDING_COMMAND_CORRELATION_ID_OFFSET, v); return this; }
  errorCode(): number { return this.buffer.getInt32(this.offset + ERROR_CODE_OFFSET); }
  setErrorCode(v: number): this { this.buffer.putInt32(this.offset + ERROR_CODE_OFFSET, v); return this; }
  errorMessage(): string { return this.getString(ERROR_MESSAGE_OFFSET); }
  setErrorMessage(v: string): this { this.putString(ERROR_MESSAGE_OFFSET, v); return this; }
  length(): number { return ERROR_MESSAGE_OFFSET + 4 + this.stringLength(ERROR_MESSAGE_OFFSET); }
}

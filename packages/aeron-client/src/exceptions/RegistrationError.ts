/** The driver refused a command (ON_ERROR): carries the driver's error code and message. */
import { errorCodeName } from '../command/ControlProtocolEvents.js';
import { AeronError } from './AeronError.js';

export class RegistrationError extends AeronError {
  /** Driver error code (see `ErrorCode`, e.g. 1 = INVALID_CHANNEL). */
  readonly errorCode: number;
  readonly errorCodeName: string;
  /** The driver's own message (for the C driver, its whole error stack). */
  readonly driverMessage: string;
  readonly correlationId: number;

  constructor(correlationId: number, errorCode: number, driverMessage: string, what: string) {
    super(`${what} refused by the media driver: ${errorCodeName(errorCode)} (${errorCode}): ${driverMessage}`);
    this.name = 'RegistrationError';
    this.errorCode = errorCode;
    this.errorCodeName = errorCodeName(errorCode);
    this.driverMessage = driverMessage;
    this.correlationId = correlationId;
  }
}

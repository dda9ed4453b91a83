/**
 * The media driver is gone or not answering: no CnC file, no heartbeat within the driver timeout, or no response
 * to a command in time. After a driver timeout the client is closed; the service decides what to do (product
 * decision: log and exit, the supervisor restarts it).
 */
import { AeronError } from './AeronError.js';

export class DriverTimeoutError extends AeronError {
  constructor(message: string) {
    super(message);
    this.name = 'DriverTimeoutError';
  }
}

/** The driver timed this client out (it stopped heartbeating for longer than the client liveness timeout). */
export class ClientTimeoutError extends AeronError {
  constructor(message: string) {
    super(message);
    this.name = 'ClientTimeoutError';
  }
}

/**
 * Aeron 1.47 control protocol ids and error codes (client commands on the to-driver ring, driver responses on the
 * to-clients broadcast buffer). Message layouts are documented where they are encoded (ClientProxy) and decoded
 * (ClientCommandAdapter).
 */
export const Command = {
  ADD_PUBLICATION: 0x01,
  REMOVE_PUBLICATION: 0x02,
  ADD_EXCLUSIVE_PUBLICATION: 0x03,
  ADD_SUBSCRIPTION: 0x04,
  REMOVE_SUBSCRIPTION: 0x05,
  CLIENT_KEEPALIVE: 0x06,
  ADD_DESTINATION: 0x07,
  REMOVE_DESTINATION: 0x08,
  ADD_COUNTER: 0x09,
  REMOVE_COUNTER: 0x0a,
  CLIENT_CLOSE: 0x0b,
  ADD_RCV_DESTINATION: 0x0c,
  REMOVE_RCV_DESTINATION: 0x0d,
  TERMINATE_DRIVER: 0x0e,
  ADD_STATIC_COUNTER: 0x0f,
  REJECT_IMAGE: 0x10,
  REMOVE_DESTINATION_BY_ID: 0x11,
} as const;

export const Response = {
  ON_ERROR: 0x0f01,
  ON_AVAILABLE_IMAGE: 0x0f02,
  ON_PUBLICATION_READY: 0x0f03,
  ON_OPERATION_SUCCESS: 0x0f04,
  ON_UNAVAILABLE_IMAGE: 0x0f05,
  ON_EXCLUSIVE_PUBLICATION_READY: 0x0f06,
  ON_SUBSCRIPTION_READY: 0x0f07,
  ON_COUNTER_READY: 0x0f08,
  ON_UNAVAILABLE_COUNTER: 0x0f09,
  ON_CLIENT_TIMEOUT: 0x0f0a,
  ON_STATIC_COUNTER: 0x0f0b,
} as const;

export const ErrorCode = {
  GENERIC_ERROR: 11,
  INVALID_CHANNEL: 1,
  UNKNOWN_SUBSCRIPTION: 2,
  UNKNOWN_PUBLICATION: 3,
  CHANNEL_ENDPOINT_ERROR: 4,
  UNKNOWN_COUNTER: 5,
  UNKNOWN_COMMAND_TYPE_ID: 6,
  MALFORMED_COMMAND: 7,
  NOT_SUPPORTED: 8,
  RESOURCE_TEMPORARILY_UNAVAILABLE: 10,
  STORAGE_SPACE: 12,
} as const;

export const CHANNEL_STATUS_NOT_ALLOCATED = -1;
export const IPC_CHANNEL_PREFIX = 'aeron:ipc';
export const SPY_PREFIX = 'aeron-spy:';

/** A failure while handling a command that becomes an ON_ERROR response with `code`. */
export class ControlProtocolError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.name = 'ControlProtocolError';
    this.code = code;
  }
}

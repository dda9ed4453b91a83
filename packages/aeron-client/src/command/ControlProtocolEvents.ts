/**
 * Message type ids of the client <-> driver control protocol (Aeron 1.47). Commands go client -> driver on the
 * to-driver ring buffer; responses come back on the to-clients broadcast buffer.
 */
export const ControlProtocolEvents = {
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
  ON_PUBLICATION_ERROR: 0x0f0c,
} as const;

/** Error codes carried by ON_ERROR. */
export const ErrorCode = {
  UNKNOWN_CODE_VALUE: -1,
  UNUSED: 0,
  INVALID_CHANNEL: 1,
  UNKNOWN_SUBSCRIPTION: 2,
  UNKNOWN_PUBLICATION: 3,
  CHANNEL_ENDPOINT_ERROR: 4,
  UNKNOWN_COUNTER: 5,
  UNKNOWN_COMMAND_TYPE_ID: 6,
  MALFORMED_COMMAND: 7,
  NOT_SUPPORTED: 8,
  UNKNOWN_HOST: 9,
  RESOURCE_TEMPORARILY_UNAVAILABLE: 10,
  GENERIC_ERROR: 11,
  STORAGE_SPACE: 12,
  IMAGE_REJECTED: 13,
  PUBLICATION_REVOKED: 14,
} as const;

export function errorCodeName(code: number): string {
  for (const [name, value] of Object.entries(ErrorCode)) if (value === code) return name;
  return `UNKNOWN(${code})`;
}

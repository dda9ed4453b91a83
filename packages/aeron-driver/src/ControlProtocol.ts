/**
 * Driver-side additions to Aeron 1.47's control protocol (client commands on the to-driver ring, driver responses on the
 * to-clients broadcast buffer). Message layouts are documented where they are encoded (ClientProxy) and decoded
 * (ClientCommandAdapter).
 */
import { ControlProtocolEvents, ErrorCode } from '@mm/aeron-client';

/** Command and response ids come from the client's protocol definitions (one source of truth). */
export const Command = ControlProtocolEvents;
export const Response = ControlProtocolEvents;
export { ErrorCode };

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

/**
 * Reads client commands from the to-driver ring and hands them, decoded, to the conductor (Aeron 1.47 layouts):
 * ```
 * every command   +0 i64 client id, +8 i64 correlation id
 * ADD_(EXCLUSIVE_)PUBLICATION  +16 i32 stream id, +20 i32 channel length, +24 channel
 * REMOVE_PUBLICATION / REMOVE_SUBSCRIPTION / REMOVE_COUNTER  +16 i64 registration id
 * ADD_SUBSCRIPTION  +16 i64 registration correlation id (ignored), +24 i32 stream id, +28 i32 channel length, +32 channel
 * ADD_COUNTER       +16 i32 type id, +20 i32 key length, +24 key, then at 24 + align(keyLength, 4): i32 label length, label
 * ADD_STATIC_COUNTER +16 i64 registration id, +24 i32 type id, +28 i32 key length, +32 key, (4-aligned) label
 * TERMINATE_DRIVER  +16 i32 token length, +20 token
 * CLIENT_KEEPALIVE / CLIENT_CLOSE: header only
 * ```
 * Invariants: at most `commandDrainLimit` commands per call (Aeron drains 2). A command too short for its own lengths
 * is MALFORMED: logged in the error log, no response (as Aeron). A handler failure becomes ON_ERROR for that
 * correlation id, an error-log entry and +1 on the Errors counter; it never escapes into the duty cycle.
 */
import type { AtomicBuffer, ManyToOneRingBuffer } from '@mm/agrona';
import { Command, ControlProtocolError, ErrorCode } from './ControlProtocol.js';

export interface CommandHandler {
  onAddPublication(clientId: number, correlationId: number, streamId: number, channel: string, exclusive: boolean): void;
  onRemovePublication(clientId: number, correlationId: number, registrationId: number): void;
  onAddSubscription(clientId: number, correlationId: number, streamId: number, channel: string): void;
  onRemoveSubscription(clientId: number, correlationId: number, registrationId: number): void;
  onClientKeepalive(clientId: number): void;
  onClientClose(clientId: number): void;
  onAddCounter(clientId: number, correlationId: number, typeId: number, key: Uint8Array, label: string): void;
  onAddStaticCounter(clientId: number, correlationId: number, registrationId: number, typeId: number, key: Uint8Array, label: string): void;
  onRemoveCounter(clientId: number, correlationId: number, registrationId: number): void;
  onTerminateDriver(clientId: number, token: Uint8Array): void;
  /** A command that failed: respond and record. */
  onCommandError(correlationId: number, code: number, message: string, error: unknown): void;
  /** A command that gets no response (malformed, unknown type). */
  onIgnoredCommand(description: string): void;
}

export const COMMAND_DRAIN_LIMIT = 2;
const decoder = new TextDecoder('latin1');

class MalformedCommand extends Error {}

export class ClientCommandAdapter {
  private readonly ring: ManyToOneRingBuffer;
  private readonly handler: CommandHandler;
  private readonly onMessage: (msgTypeId: number, buffer: AtomicBuffer, index: number, length: number) => void;

  constructor(ring: ManyToOneRingBuffer, handler: CommandHandler) {
    this.ring = ring;
    this.handler = handler;
    this.onMessage = (msgTypeId, buffer, index, length) => this.dispatch(msgTypeId, buffer, index, length);
  }

  receive(limit = COMMAND_DRAIN_LIMIT): number {
    return this.ring.read(this.onMessage, limit);
  }

  private dispatch(msgTypeId: number, b: AtomicBuffer, index: number, length: number): void {
    const h = this.handler;
    if (length < 16) {
      h.onIgnoredCommand(`MALFORMED_COMMAND: command type 0x${msgTypeId.toString(16)} of ${length} bytes is shorter than its 16-byte header`);
      return;
    }
    const clientId = b.getInt64(index);
    const correlationId = b.getInt64(index + 8);
    try {
      switch (msgTypeId) {
        case Command.ADD_PUBLICATION:
        case Command.ADD_EXCLUSIVE_PUBLICATION: {
          need(length, 24, msgTypeId);
          const streamId = b.getInt32(index + 16);
          const channel = readString(b, index, 20, length, msgTypeId);
          h.onAddPublication(clientId, correlationId, streamId, channel, msgTypeId === Command.ADD_EXCLUSIVE_PUBLICATION);
          break;
        }
        case Command.REMOVE_PUBLICATION:
          need(length, 24, msgTypeId);
          h.onRemovePublication(clientId, correlationId, b.getInt64(index + 16));
          break;
        case Command.ADD_SUBSCRIPTION: {
          need(length, 32, msgTypeId);
          const streamId = b.getInt32(index + 24);
          const channel = readString(b, index, 28, length, msgTypeId);
          h.onAddSubscription(clientId, correlationId, streamId, channel);
          break;
        }
        case Command.REMOVE_SUBSCRIPTION:
          need(length, 24, msgTypeId);
          h.onRemoveSubscription(clientId, correlationId, b.getInt64(index + 16));
          break;
        case Command.CLIENT_KEEPALIVE:
          h.onClientKeepalive(clientId);
          break;
        case Command.CLIENT_CLOSE:
          h.onClientClose(clientId);
          break;
        case Command.ADD_COUNTER: {
          need(length, 28, msgTypeId);
          const typeId = b.getInt32(index + 16);
          const { key, label } = readKeyAndLabel(b, index, 20, length, msgTypeId);
          h.onAddCounter(clientId, correlationId, typeId, key, label);
          break;
        }
        case Command.ADD_STATIC_COUNTER: {
          need(length, 36, msgTypeId);
          const registrationId = b.getInt64(index + 16);
          const typeId = b.getInt32(index + 24);
          const { key, label } = readKeyAndLabel(b, index, 28, length, msgTypeId);
          h.onAddStaticCounter(clientId, correlationId, registrationId, typeId, key, label);
          break;
        }
        case Command.REMOVE_COUNTER:
          need(length, 24, msgTypeId);
          h.onRemoveCounter(clientId, correlationId, b.getInt64(index + 16));
          break;
        case Command.TERMINATE_DRIVER: {
          need(length, 20, msgTypeId);
          const tokenLength = b.getInt32(index + 16);
          if (tokenLength < 0 || 20 + tokenLength > length) throw new MalformedCommand(`token length ${tokenLength} exceeds the command`);
          h.onTerminateDriver(clientId, b.bytes.slice(index + 20, index + 20 + tokenLength));
          break;
        }
        case Command.ADD_DESTINATION:
        case Command.REMOVE_DESTINATION:
        case Command.ADD_RCV_DESTINATION:
        case Command.REMOVE_RCV_DESTINATION:
        case Command.REMOVE_DESTINATION_BY_ID:
        case Command.REJECT_IMAGE:
          throw new ControlProtocolError(
            ErrorCode.NOT_SUPPORTED,
            `command 0x${msgTypeId.toString(16)} (destinations/image rejection) is not supported by this IPC-only driver: use Aeron's C or Java media driver`,
          );
        default:
          h.onIgnoredCommand(`UNKNOWN_COMMAND_TYPE_ID: 0x${msgTypeId.toString(16)} from client ${clientId} (correlation ${correlationId})`);
      }
    } catch (e) {
      if (e instanceof MalformedCommand) {
        h.onIgnoredCommand(`MALFORMED_COMMAND: command type 0x${msgTypeId.toString(16)} of ${length} bytes: ${e.message}`);
      } else if (e instanceof ControlProtocolError) {
        h.onCommandError(correlationId, e.code, e.message, e);
      } else {
        h.onCommandError(correlationId, ErrorCode.GENERIC_ERROR, e instanceof Error ? e.message : String(e), e);
      }
    }
  }
}

function need(length: number, minimum: number, msgTypeId: number): void {
  if (length < minimum) throw new MalformedCommand(`type 0x${msgTypeId.toString(16)} needs at least ${minimum} bytes`);
}

function readString(b: AtomicBuffer, index: number, lengthOffset: number, length: number, msgTypeId: number): string {
  const strLength = b.getInt32(index + lengthOffset);
  if (strLength < 0 || lengthOffset + 4 + strLength > length) {
    throw new MalformedCommand(`string length ${strLength} at +${lengthOffset} overruns command type 0x${msgTypeId.toString(16)}`);
  }
  const start = index + lengthOffset + 4;
  return decoder.decode(b.bytes.subarray(start, start + strLength));
}

function readKeyAndLabel(b: AtomicBuffer, index: number, keyLengthOffset: number, length: number, msgTypeId: number): { key: Uint8Array; label: string } {
  const keyLength = b.getInt32(index + keyLengthOffset);
  if (keyLength < 0 || keyLengthOffset + 4 + keyLength > length) throw new MalformedCommand(`key length ${keyLength} overruns the command`);
  const keyStart = index + keyLengthOffset + 4;
  const key = b.bytes.slice(keyStart, keyStart + keyLength);
  const labelLengthOffset = keyLengthOffset + 4 + ((keyLength + 3) & ~3);
  if (labelLengthOffset + 4 > length) throw new MalformedCommand('label length missing');
  const label = readString(b, index, labelLengthOffset, length, msgTypeId);
  return { key, label };
}

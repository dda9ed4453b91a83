/**
 * Encodes the driver's responses onto the to-clients broadcast buffer (Aeron 1.47 layouts, little-endian):
 * ```
 * ON_ERROR                 +0 i64 offending correlation id, +8 i32 code, +12 i32 msg length, +16 msg
 * ON_AVAILABLE_IMAGE       +0 i64 publication registration id, +8 i32 session, +12 i32 stream,
 *                          +16 i64 subscription registration id, +24 i32 sub-pos counter id,
 *                          +28 i32 log file length, +32 log file, then (4-aligned) i32 source length, source
 * ON_(EXCLUSIVE_)PUBLICATION_READY +0 i64 correlation id, +8 i64 registration id, +16 i32 session, +20 i32 stream,
 *                          +24 i32 pub-lmt counter id, +28 i32 channel status id, +32 i32 log file length, +36 log file
 * ON_OPERATION_SUCCESS     +0 i64 correlation id
 * ON_UNAVAILABLE_IMAGE     +0 i64 publication registration id, +8 i64 subscription registration id, +16 i32 stream,
 *                          +20 i32 channel length, +24 channel
 * ON_SUBSCRIPTION_READY    +0 i64 correlation id, +8 i32 channel status id
 * ON_COUNTER_READY / ON_UNAVAILABLE_COUNTER  +0 i64 correlation/registration id, +8 i32 counter id
 * ON_CLIENT_TIMEOUT        +0 i64 client id
 * ```
 * One scratch buffer is reused for every response (control path; strings are ASCII).
 */
import { AtomicBuffer, type BroadcastTransmitter } from '@mm/agrona';
import { CHANNEL_STATUS_NOT_ALLOCATED, Response } from './ControlProtocol.js';

export class ClientProxy {
  private readonly transmitter: BroadcastTransmitter;
  private readonly scratch: AtomicBuffer;

  constructor(transmitter: BroadcastTransmitter) {
    this.transmitter = transmitter;
    this.scratch = AtomicBuffer.allocate(Math.max(4096, transmitter.maxMsgLength));
  }

  onError(correlationId: number, code: number, message: string): void {
    const b = this.scratch;
    b.putInt64(0, correlationId);
    b.putInt32(8, code);
    const length = this.putAscii(12, message, this.transmitter.maxMsgLength - 16);
    this.transmit(Response.ON_ERROR, 16 + length);
  }

  onAvailableImage(
    publicationRegistrationId: number,
    sessionId: number,
    streamId: number,
    subscriptionRegistrationId: number,
    subscriberPositionId: number,
    logFileName: string,
    sourceIdentity: string,
  ): void {
    const b = this.scratch;
    b.putInt64(0, publicationRegistrationId);
    b.putInt32(8, sessionId);
    b.putInt32(12, streamId);
    b.putInt64(16, subscriptionRegistrationId);
    b.putInt32(24, subscriberPositionId);
    const nameLength = this.putAscii(28, logFileName, 4096);
    const sourceOffset = 32 + ((nameLength + 3) & ~3);
    const sourceLength = this.putAscii(sourceOffset, sourceIdentity, 4096);
    this.transmit(Response.ON_AVAILABLE_IMAGE, sourceOffset + 4 + sourceLength);
  }

  onPublicationReady(
    exclusive: boolean,
    correlationId: number,
    registrationId: number,
    sessionId: number,
    streamId: number,
    publicationLimitId: number,
    logFileName: string,
  ): void {
    const b = this.scratch;
    b.putInt64(0, correlationId);
    b.putInt64(8, registrationId);
    b.putInt32(16, sessionId);
    b.putInt32(20, streamId);
    b.putInt32(24, publicationLimitId);
    b.putInt32(28, CHANNEL_STATUS_NOT_ALLOCATED);
    const length = this.putAscii(32, logFileName, 4096);
    this.transmit(exclusive ? Response.ON_EXCLUSIVE_PUBLICATION_READY : Response.ON_PUBLICATION_READY, 36 + length);
  }

  onOperationSuccess(correlationId: number): void {
    this.scratch.putInt64(0, correlationId);
    this.transmit(Response.ON_OPERATION_SUCCESS, 8);
  }

  onUnavailableImage(publicationRegistrationId: number, subscriptionRegistrationId: number, streamId: number, channel: string): void {
    const b = this.scratch;
    b.putInt64(0, publicationRegistrationId);
    b.putInt64(8, subscriptionRegistrationId);
    b.putInt32(16, streamId);
    const length = this.putAscii(20, channel, 4096);
    this.transmit(Response.ON_UNAVAILABLE_IMAGE, 24 + length);
  }

  onSubscriptionReady(correlationId: number): void {
    this.scratch.putInt64(0, correlationId);
    this.scratch.putInt32(8, CHANNEL_STATUS_NOT_ALLOCATED);
    this.transmit(Response.ON_SUBSCRIPTION_READY, 12);
  }

  onCounterReady(correlationId: number, counterId: number): void {
    this.counterMessage(Response.ON_COUNTER_READY, correlationId, counterId);
  }

  onStaticCounter(correlationId: number, counterId: number): void {
    this.counterMessage(Response.ON_STATIC_COUNTER, correlationId, counterId);
  }

  onUnavailableCounter(registrationId: number, counterId: number): void {
    this.counterMessage(Response.ON_UNAVAILABLE_COUNTER, registrationId, counterId);
  }

  onClientTimeout(clientId: number): void {
    this.scratch.putInt64(0, clientId);
    this.transmit(Response.ON_CLIENT_TIMEOUT, 8);
  }

  private counterMessage(type: number, id: number, counterId: number): void {
    this.scratch.putInt64(0, id);
    this.scratch.putInt32(8, counterId);
    this.transmit(type, 12);
  }

  /** Writes `[int32 length][ascii]` at `offset`, truncated to `max`; returns the string length written. */
  private putAscii(offset: number, value: string, max: number): number {
    const length = Math.min(value.length, max);
    const b = this.scratch;
    b.putInt32(offset, length);
    for (let i = 0; i < length; i++) b.putUint8(offset + 4 + i, value.charCodeAt(i) & 0x7f);
    return length;
  }

  private transmit(type: number, length: number): void {
    this.transmitter.transmit(type, this.scratch, 0, length);
  }
}

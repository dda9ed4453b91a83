/**
 * Allocation of Aeron's stream position counters and client heartbeat counters, with Aeron's type ids, keys and
 * labels (`aeron_position.c` formats).
 *
 * Stream position key: +0 int64 registration id, +8 int32 session id, +12 int32 stream id, +16 int32 channel length,
 * +20 channel (ASCII, truncated to 92 bytes).
 * Label: `<name>: <registrationId> <sessionId> <streamId> <channel> <suffix>` (suffix empty for pub-lmt/pub-pos,
 * `@<joinPosition>` for sub-pos). Client heartbeat key: +0 int64 client id; label `client-heartbeat: id=<clientId>`.
 */
import type { AtomicBuffer, CountersManager } from '@mm/agrona';

export const PUBLISHER_LIMIT_TYPE_ID = 1;
export const SUBSCRIBER_POSITION_TYPE_ID = 4;
export const CLIENT_HEARTBEAT_TYPE_ID = 11;
export const PUBLISHER_POSITION_TYPE_ID = 12;

const KEY_CHANNEL_MAX = 112 - 20;

function writeStreamKey(buffer: AtomicBuffer, offset: number, registrationId: number, sessionId: number, streamId: number, channel: string): void {
  buffer.putInt64(offset, registrationId);
  buffer.putInt32(offset + 8, sessionId);
  buffer.putInt32(offset + 12, streamId);
  const length = Math.min(channel.length, KEY_CHANNEL_MAX);
  buffer.putInt32(offset + 16, length);
  for (let i = 0; i < length; i++) buffer.putUint8(offset + 20 + i, channel.charCodeAt(i) & 0x7f);
}

function allocateStreamCounter(
  counters: CountersManager,
  typeId: number,
  name: string,
  registrationId: number,
  sessionId: number,
  streamId: number,
  channel: string,
  suffix: string,
): number {
  const label = `${name}: ${registrationId} ${sessionId} ${streamId} ${channel} ${suffix}`;
  const id = counters.allocateWithKeyWriter(typeId, label, (b, o) => writeStreamKey(b, o, registrationId, sessionId, streamId, channel));
  counters.setCounterRegistrationId(id, registrationId);
  return id;
}

export function allocatePublisherPosition(counters: CountersManager, registrationId: number, sessionId: number, streamId: number, channel: string): number {
  return allocateStreamCounter(counters, PUBLISHER_POSITION_TYPE_ID, 'pub-pos (sampled)', registrationId, sessionId, streamId, channel, '');
}

export function allocatePublisherLimit(
  counters: CountersManager,
  registrationId: number,
  sessionId: number,
  streamId: number,
  channel: string,
  ownerClientId: number,
): number {
  const id = allocateStreamCounter(counters, PUBLISHER_LIMIT_TYPE_ID, 'pub-lmt', registrationId, sessionId, streamId, channel, '');
  counters.setCounterOwnerId(id, ownerClientId);
  return id;
}

export function allocateSubscriberPosition(
  counters: CountersManager,
  subscriptionRegistrationId: number,
  sessionId: number,
  streamId: number,
  channel: string,
  joinPosition: number,
  ownerClientId: number,
  publicationRegistrationId: number,
): number {
  const id = allocateStreamCounter(
    counters, SUBSCRIBER_POSITION_TYPE_ID, 'sub-pos', subscriptionRegistrationId, sessionId, streamId, channel, `@${joinPosition}`,
  );
  counters.setCounterOwnerId(id, ownerClientId);
  counters.setCounterReferenceId(id, publicationRegistrationId);
  return id;
}

export function allocateClientHeartbeat(counters: CountersManager, clientId: number, nowMs: number): number {
  const id = counters.allocateWithKeyWriter(CLIENT_HEARTBEAT_TYPE_ID, `client-heartbeat: id=${clientId}`, (b, o) => b.putInt64(o, clientId));
  counters.setCounterValue(id, nowMs);
  counters.setCounterRegistrationId(id, clientId);
  counters.setCounterOwnerId(id, clientId);
  return id;
}

/**
 * The counters a service owns for health: their type ids, keys and labels. `mm health` finds them in the CnC file's
 * counters (read-only, no client registration) by type id and the service name in the key.
 *
 * Key layout (little-endian): service name ASCII NUL-padded [0, 16), instance id u32 [16, 20), pid u32 [20, 24).
 * Heartbeat counter value: epoch ms of the service's latest duty cycle. State counter value: the ServiceState enum.
 */
export const HEARTBEAT_COUNTER_TYPE_ID = 2001;
export const STATE_COUNTER_TYPE_ID = 2002;
export const HEALTH_KEY_LENGTH = 24;

export function healthCounterKey(service: string, instanceId: number, pid: number): Uint8Array {
  const key = new Uint8Array(HEALTH_KEY_LENGTH);
  for (let i = 0; i < service.length && i < 16; i++) key[i] = service.charCodeAt(i) & 0x7f;
  const view = new DataView(key.buffer);
  view.setUint32(16, instanceId >>> 0, true);
  view.setUint32(20, pid >>> 0, true);
  return key;
}

export function decodeHealthCounterKey(key: Uint8Array): { service: string; instanceId: number; pid: number } {
  let end = 0;
  while (end < 16 && key[end] !== 0) end++;
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return {
    service: String.fromCharCode(...key.subarray(0, end)),
    instanceId: key.byteLength >= 20 ? view.getUint32(16, true) : 0,
    pid: key.byteLength >= 24 ? view.getUint32(20, true) : 0,
  };
}

export const heartbeatCounterLabel = (service: string, instanceId: number, pid: number): string =>
  `mm heartbeat: ${service} instance=${instanceId} pid=${pid}`;
export const stateCounterLabel = (service: string, instanceId: number, pid: number): string =>
  `mm state: ${service} instance=${instanceId} pid=${pid}`;

import { CncFile } from '@mm/aeron-client';
import { ServiceState, SERVICE_STATE_NAMES } from '@mm/protocol';
import { HEARTBEAT_COUNTER_TYPE_ID, STATE_COUNTER_TYPE_ID, decodeHealthCounterKey } from '@mm/runtime';

/**
 * `mm health <service>`: exit 0 only when the service is live — its heartbeat counter is fresh and its state
 * counter says LIVE. Reads the CnC file read-only and never registers as an Aeron client, so a compose healthcheck
 * every few seconds costs the driver nothing.
 */
export interface HealthReport {
  readonly live: boolean;
  readonly reason: string;
  readonly heartbeatAgeMs?: number;
  readonly state?: string;
  readonly pid?: number;
}

export function checkHealth(aeronDir: string, service: string, maxAgeMs: number, nowMs = Date.now(), driverTimeoutMs = 10_000): HealthReport {
  let cnc: CncFile;
  try {
    cnc = CncFile.openReadOnly(aeronDir);
  } catch (error) {
    return { live: false, reason: error instanceof Error ? error.message : String(error) };
  }
  try {
    const driverAge = cnc.driverHeartbeatAgeMs(nowMs);
    if (driverAge > driverTimeoutMs) {
      return { live: false, reason: `the media driver is not running (its heartbeat is ${Number.isFinite(driverAge) ? `${driverAge} ms old` : 'absent'})` };
    }
    // The driver's liveness is its own heartbeat in the CnC file (it owns no service counters).
    if (service === 'aeronmd') {
      return driverAge <= maxAgeMs
        ? { live: true, reason: 'live', heartbeatAgeMs: driverAge, state: 'LIVE', pid: cnc.pid() }
        : { live: false, reason: `the media driver heartbeat is ${driverAge} ms old (limit ${maxAgeMs} ms)`, heartbeatAgeMs: driverAge, pid: cnc.pid() };
    }
    const counters = cnc.countersReader;
    // The newest heartbeat among this service's instances decides (a restarted service may briefly have two).
    let best: { heartbeatMs: number; pid: number; instanceId: number } | undefined;
    const states = new Map<string, number>();
    counters.forEach((id, typeId, keyBuffer, keyOffset) => {
      if (typeId !== HEARTBEAT_COUNTER_TYPE_ID && typeId !== STATE_COUNTER_TYPE_ID) return;
      const key = decodeHealthCounterKey(keyBuffer.bytes.subarray(keyOffset, keyOffset + 24));
      if (key.service !== service) return;
      const value = counters.getCounterValue(id);
      if (typeId === STATE_COUNTER_TYPE_ID) states.set(`${key.pid}/${key.instanceId}`, value);
      else if (!best || value > best.heartbeatMs) best = { heartbeatMs: value, pid: key.pid, instanceId: key.instanceId };
    });
    if (!best) return { live: false, reason: `no heartbeat counter for ${service} in ${aeronDir} (not running, or not connected to this driver)` };
    const { heartbeatMs, pid, instanceId } = best;
    const age = nowMs - heartbeatMs;
    const state = states.get(`${pid}/${instanceId}`);
    const stateName = state === undefined ? 'UNKNOWN' : (SERVICE_STATE_NAMES[state] ?? `state ${state}`);
    if (age > maxAgeMs) return { live: false, reason: `heartbeat is ${age} ms old (limit ${maxAgeMs} ms)`, heartbeatAgeMs: age, state: stateName, pid };
    if (state !== ServiceState.LIVE) return { live: false, reason: `state is ${stateName}`, heartbeatAgeMs: age, state: stateName, pid };
    return { live: true, reason: 'live', heartbeatAgeMs: age, state: stateName, pid };
  } finally {
    cnc.close();
  }
}

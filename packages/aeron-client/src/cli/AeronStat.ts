/**
 * Formats the counters of a CnC file the way Aeron's `AeronStat` prints them: a header with the CnC version,
 * driver pid and heartbeat age, then `id : value - label` for every allocated counter (system counters,
 * pub-pos, pub-lmt, sub-pos, client heartbeats, ...). Reads only: it never registers with the driver.
 */
import type { CncFile } from '../CncFile.js';
import { formatTimestamp } from './args.js';

const groupFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatAeronStat(cnc: CncFile, nowMs: number, filter?: string): string {
  const age = cnc.driverHeartbeatAgeMs(nowMs);
  const lines = [
    `${formatTimestamp(nowMs)} - Aeron Stat (CnC v${cnc.cncVersion()}), pid ${cnc.pid()}, heartbeat age ${Number.isFinite(age) ? `${age}ms` : 'n/a (no heartbeat)'}`,
    '===========================',
  ];
  const reader = cnc.countersReader;
  const pattern = filter === undefined ? undefined : new RegExp(filter);
  reader.forEach((id, _typeId, _keyBuffer, _keyOffset, label) => {
    if (pattern !== undefined && !pattern.test(label)) return;
    const value = reader.getCounterValueBigInt(id);
    lines.push(`${String(id).padStart(3)} : ${groupFormat.format(value).padStart(20)} - ${label}`);
  });
  return lines.join('\n');
}

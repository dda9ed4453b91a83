/** Hourly file naming: `<service>.log.YYYY-MM-DD-HH` in UTC. */

export const HOUR_MS = 3_600_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2026-11-21-13` for any instant within 13:00:00.000–13:59:59.999 UTC. */
export function hourStamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}-${pad2(d.getUTCHours())}`;
}

export function hourlyFileName(service: string, epochMs: number): string {
  return `${service}.log.${hourStamp(epochMs)}`;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches exactly the hourly files of one service (not its link, not another service's files). */
export function hourlyFilePattern(service: string): RegExp {
  return new RegExp(`^${escapeRegExp(service)}\\.log\\.\\d{4}-\\d{2}-\\d{2}-\\d{2}$`);
}

/**
 * Prefixes a service's output line for the terminal. pino JSON lines become `time name LEVEL msg {extra}`; other
 * lines are printed as they are. Names are padded so columns line up.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLORS = [36, 32, 33, 35, 34, 96, 92, 93];
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'name']);

export function formatLine(name: string, line: string, width: number, color: boolean, index = 0): string {
  const label = name.padEnd(width);
  const prefix = color ? `\x1b[${COLORS[index % COLORS.length]}m${label}\x1b[0m |` : `${label} |`;
  if (line.startsWith('{')) {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const time = typeof o.time === 'number' ? new Date(o.time).toISOString().slice(11, 23) : '';
      const level = typeof o.level === 'number' ? (LEVELS[o.level] ?? String(o.level)) : '';
      const extra: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) if (!OMIT.has(k)) extra[k] = v;
      const rest = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
      return `${prefix} ${time} ${level} ${String(o.msg ?? '')}${rest}`;
    } catch {
      /* not JSON: print as is */
    }
  }
  return `${prefix} ${line}`;
}

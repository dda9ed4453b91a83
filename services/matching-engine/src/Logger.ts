/**
 * A minimal JSON-lines logger (one object per line on stdout) until @mm/logging lands; the first line a process
 * test looks for is `{"msg":"listening",...}`. Not for hot paths.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function createLogger(service: string, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const log = (level: string, msg: string, fields?: LogFields): void => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields })}\n`);
  };
  return {
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

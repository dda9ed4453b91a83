/**
 * Reads Aeron's standard `AERON_*` environment variables into driver settings.
 *
 * Accepted forms, as Aeron accepts them: sizes as bytes with an optional k/m/g suffix (`64k`, `1m`); durations as
 * nanoseconds with an optional ns/us/ms/s suffix (`500ms`, `10s`); booleans `true`/`false`. A malformed value throws
 * a DriverConfigError naming the variable. Unset variables leave the setting out of the result.
 */
import { DriverConfigError, type DriverContext, type TerminationValidator } from './DriverContext.js';

type Env = Readonly<Record<string, string | undefined>>;
type Mutable<T> = { -readonly [K in keyof T]?: T[K] };

export function parseSize(name: string, raw: string): number {
  const m = /^\s*(\d+)\s*([kmg]?)\s*$/i.exec(raw);
  if (!m) throw new DriverConfigError(`${name}='${raw}' is not a size (bytes, optional k/m/g suffix)`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const v = Number(m[1]) * scale;
  if (!Number.isSafeInteger(v)) throw new DriverConfigError(`${name}='${raw}' is too large`);
  return v;
}

export function parseDurationNs(name: string, raw: string): number {
  const m = /^\s*(\d+)\s*(ns|us|ms|s)?\s*$/i.exec(raw);
  if (!m) throw new DriverConfigError(`${name}='${raw}' is not a duration (nanoseconds, optional ns/us/ms/s suffix)`);
  const scale = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 }[(m[2] ?? 'ns').toLowerCase() as 'ns' | 'us' | 'ms' | 's'];
  const v = Number(m[1]) * scale;
  if (!Number.isSafeInteger(v)) throw new DriverConfigError(`${name}='${raw}' is too large`);
  return v;
}

export function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  throw new DriverConfigError(`${name}='${raw}' is not a boolean (true/false)`);
}

/** The recognised variables and where they go; exported so config docs and tests can list them. */
export const AERON_ENV_VARS = [
  'AERON_DIR', 'AERON_DIR_DELETE_ON_START', 'AERON_DIR_DELETE_ON_SHUTDOWN', 'AERON_IPC_TERM_BUFFER_LENGTH',
  'AERON_IPC_MTU_LENGTH', 'AERON_IPC_PUBLICATION_TERM_WINDOW_LENGTH', 'AERON_TERM_BUFFER_SPARSE_FILE',
  'AERON_CLIENT_LIVENESS_TIMEOUT', 'AERON_PUBLICATION_UNBLOCK_TIMEOUT', 'AERON_PUBLICATION_LINGER_TIMEOUT',
  'AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT', 'AERON_UNTETHERED_RESTING_TIMEOUT', 'AERON_TIMER_INTERVAL',
  'AERON_DRIVER_TIMEOUT', 'AERON_CONDUCTOR_BUFFER_LENGTH', 'AERON_CLIENTS_BUFFER_LENGTH',
  'AERON_COUNTERS_BUFFER_LENGTH', 'AERON_ERROR_BUFFER_LENGTH', 'AERON_DRIVER_TERMINATION_VALIDATOR',
] as const;

export function driverSettingsFromEnv(env: Env = process.env): Partial<DriverContext> {
  const out: Mutable<DriverContext> = {};
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const size = (name: string, set: (v: number) => void): void => {
    const raw = get(name);
    if (raw !== undefined) set(parseSize(name, raw));
  };
  const ns = (name: string, set: (v: number) => void): void => {
    const raw = get(name);
    if (raw !== undefined) set(parseDurationNs(name, raw));
  };
  const bool = (name: string, set: (v: boolean) => void): void => {
    const raw = get(name);
    if (raw !== undefined) set(parseBoolean(name, raw));
  };
  const dir = get('AERON_DIR');
  if (dir !== undefined) out.aeronDir = dir;
  bool('AERON_DIR_DELETE_ON_START', (v) => (out.dirDeleteOnStart = v));
  bool('AERON_DIR_DELETE_ON_SHUTDOWN', (v) => (out.dirDeleteOnShutdown = v));
  size('AERON_IPC_TERM_BUFFER_LENGTH', (v) => (out.ipcTermBufferLength = v));
  size('AERON_IPC_MTU_LENGTH', (v) => (out.ipcMtuLength = v));
  size('AERON_IPC_PUBLICATION_TERM_WINDOW_LENGTH', (v) => (out.ipcPublicationTermWindowLength = v));
  bool('AERON_TERM_BUFFER_SPARSE_FILE', (v) => (out.termBufferSparseFile = v));
  ns('AERON_CLIENT_LIVENESS_TIMEOUT', (v) => (out.clientLivenessTimeoutNs = v));
  ns('AERON_PUBLICATION_UNBLOCK_TIMEOUT', (v) => (out.publicationUnblockTimeoutNs = v));
  ns('AERON_PUBLICATION_LINGER_TIMEOUT', (v) => (out.publicationLingerTimeoutNs = v));
  ns('AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT', (v) => (out.untetheredWindowLimitTimeoutNs = v));
  ns('AERON_UNTETHERED_RESTING_TIMEOUT', (v) => (out.untetheredRestingTimeoutNs = v));
  ns('AERON_TIMER_INTERVAL', (v) => (out.timerIntervalNs = v));
  // Aeron's AERON_DRIVER_TIMEOUT is in milliseconds, unlike the other timeouts.
  size('AERON_DRIVER_TIMEOUT', (v) => (out.driverTimeoutMs = v));
  size('AERON_CONDUCTOR_BUFFER_LENGTH', (v) => (out.conductorBufferLength = v));
  size('AERON_CLIENTS_BUFFER_LENGTH', (v) => (out.clientsBufferLength = v));
  size('AERON_COUNTERS_BUFFER_LENGTH', (v) => (out.countersBufferLength = v));
  size('AERON_ERROR_BUFFER_LENGTH', (v) => (out.errorBufferLength = v));
  const validator = get('AERON_DRIVER_TERMINATION_VALIDATOR');
  if (validator !== undefined) {
    const v = validator.trim().toLowerCase();
    if (v !== 'allow' && v !== 'deny') {
      throw new DriverConfigError(`AERON_DRIVER_TERMINATION_VALIDATOR='${validator}' must be allow or deny`);
    }
    out.terminationValidator = v as TerminationValidator;
  }
  return out as Partial<DriverContext>;
}

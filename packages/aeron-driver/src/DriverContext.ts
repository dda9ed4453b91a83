/**
 * Settings of the IPC media driver, with Aeron's names, units and defaults except where noted.
 *
 * Limits: IPC only. Term lengths must be powers of two in [64 KiB, 1 GiB]; the CnC buffer capacities powers of two.
 * Default IPC term length is 1 MiB (Aeron's is 64 MiB) so every stream of the product fits a 512 MiB `/dev/shm`
 * (a 1 MiB term gives a 3 MiB + 4 KiB log per publication). Timeouts are nanoseconds as in Aeron's env vars.
 */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export type TerminationValidator = 'allow' | 'deny';

export interface DriverContext {
  readonly aeronDir: string;
  readonly dirDeleteOnStart: boolean;
  readonly dirDeleteOnShutdown: boolean;
  readonly ipcTermBufferLength: number;
  readonly ipcMtuLength: number;
  /** 0 = termLength / 2 (Aeron's rule); otherwise min(this, termLength / 2). */
  readonly ipcPublicationTermWindowLength: number;
  readonly termBufferSparseFile: boolean;
  readonly clientLivenessTimeoutNs: number;
  readonly publicationUnblockTimeoutNs: number;
  readonly publicationLingerTimeoutNs: number;
  readonly untetheredWindowLimitTimeoutNs: number;
  readonly untetheredRestingTimeoutNs: number;
  readonly timerIntervalNs: number;
  /** How old the to-driver heartbeat of an existing CnC may be for that driver to count as alive. */
  readonly driverTimeoutMs: number;
  readonly conductorBufferLength: number;
  readonly clientsBufferLength: number;
  readonly countersBufferLength: number;
  readonly errorBufferLength: number;
  readonly terminationValidator: TerminationValidator;
  /** Duty cycles run back to back before yielding to the event loop. */
  readonly dutyCycleBatch: number;
  /** Idle cycles that yield with setImmediate before parking with setTimeout. */
  readonly idleYieldCycles: number;
  /** Longest park when idle, ms (timers in Node have 1 ms granularity). */
  readonly idleMaxParkMs: number;
  readonly epochClockMs: () => number;
  readonly nanoClock: () => number;
}

const MIB = 1024 * 1024;

export function defaultAeronDir(): string {
  let user = process.env['USER'];
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = homedir() ? 'default' : 'default';
    }
  }
  return join('/dev/shm', `aeron-${user || 'default'}`);
}

/** Monotonic nanoseconds since this process started (from performance.now(), no BigInt per call). */
export function monotonicNs(): number {
  return Math.round(performance.now() * 1e6);
}

export const DRIVER_DEFAULTS: Omit<DriverContext, 'aeronDir' | 'epochClockMs' | 'nanoClock'> = {
  dirDeleteOnStart: false,
  dirDeleteOnShutdown: false,
  ipcTermBufferLength: MIB,
  ipcMtuLength: 1408,
  ipcPublicationTermWindowLength: 0,
  termBufferSparseFile: false,
  clientLivenessTimeoutNs: 10_000_000_000,
  publicationUnblockTimeoutNs: 15_000_000_000,
  publicationLingerTimeoutNs: 5_000_000_000,
  untetheredWindowLimitTimeoutNs: 5_000_000_000,
  untetheredRestingTimeoutNs: 10_000_000_000,
  timerIntervalNs: 1_000_000_000,
  driverTimeoutMs: 10_000,
  conductorBufferLength: MIB + 768,
  clientsBufferLength: MIB + 128,
  countersBufferLength: MIB,
  errorBufferLength: MIB,
  terminationValidator: 'deny',
  dutyCycleBatch: 64,
  idleYieldCycles: 20,
  idleMaxParkMs: 4,
};

/** Thrown for a setting that is out of range; the message names the setting. */
export class DriverConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DriverConfigError';
  }
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

export function checkTermLength(termLength: number, what: string): void {
  if (!isPowerOfTwo(termLength) || termLength < 64 * 1024 || termLength > 1024 * MIB) {
    throw new DriverConfigError(`${what} ${termLength} must be a power of two in [65536, 1073741824]`);
  }
}

export function checkMtu(mtu: number, termLength: number, what: string): void {
  if (!Number.isInteger(mtu) || mtu < 64 || mtu > 65504 || (mtu & 31) !== 0) {
    throw new DriverConfigError(`${what} ${mtu} must be a multiple of 32 in [64, 65504]`);
  }
  if (mtu > termLength / 8) throw new DriverConfigError(`${what} ${mtu} exceeds term length / 8 (${termLength / 8})`);
}

/** Fills in defaults and validates; throws DriverConfigError naming the bad setting. */
export function resolveDriverContext(options: Partial<DriverContext> = {}): DriverContext {
  const ctx: DriverContext = {
    ...DRIVER_DEFAULTS,
    aeronDir: defaultAeronDir(),
    epochClockMs: Date.now,
    nanoClock: monotonicNs,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
  checkTermLength(ctx.ipcTermBufferLength, 'ipc term buffer length');
  checkMtu(ctx.ipcMtuLength, ctx.ipcTermBufferLength, 'ipc mtu length');
  if (!isPowerOfTwo(ctx.conductorBufferLength - 768)) {
    throw new DriverConfigError(`conductor buffer length ${ctx.conductorBufferLength} must be a power of two + 768`);
  }
  if (!isPowerOfTwo(ctx.clientsBufferLength - 128)) {
    throw new DriverConfigError(`clients buffer length ${ctx.clientsBufferLength} must be a power of two + 128`);
  }
  if (!isPowerOfTwo(ctx.countersBufferLength) || ctx.countersBufferLength < 64 * 128) {
    throw new DriverConfigError(`counters buffer length ${ctx.countersBufferLength} must be a power of two >= 8192`);
  }
  if (!Number.isInteger(ctx.errorBufferLength) || ctx.errorBufferLength < 1024 || ctx.errorBufferLength % 8 !== 0) {
    throw new DriverConfigError(`error buffer length ${ctx.errorBufferLength} must be a multiple of 8 >= 1024`);
  }
  const positiveNs: Array<keyof DriverContext> = [
    'clientLivenessTimeoutNs', 'publicationUnblockTimeoutNs', 'publicationLingerTimeoutNs',
    'untetheredWindowLimitTimeoutNs', 'untetheredRestingTimeoutNs', 'timerIntervalNs', 'driverTimeoutMs',
  ];
  for (const key of positiveNs) {
    const v = ctx[key] as number;
    if (!Number.isSafeInteger(v) || v <= 0) throw new DriverConfigError(`${key} ${v} must be a positive integer`);
  }
  if (ctx.terminationValidator !== 'allow' && ctx.terminationValidator !== 'deny') {
    throw new DriverConfigError(`termination validator '${String(ctx.terminationValidator)}' must be allow or deny`);
  }
  if (!(ctx.idleMaxParkMs >= 0 && ctx.idleMaxParkMs <= 100)) {
    throw new DriverConfigError(`idle max park ${ctx.idleMaxParkMs} ms must be in [0, 100]`);
  }
  if (!ctx.aeronDir) throw new DriverConfigError('aeron dir must not be empty');
  return ctx;
}

/** Window rule for IPC publications: termLength/2, or the configured window when set and smaller. */
export function ipcTermWindowLength(ctx: DriverContext, termLength: number): number {
  const half = termLength / 2;
  return ctx.ipcPublicationTermWindowLength > 0 ? Math.min(ctx.ipcPublicationTermWindowLength, half) : half;
}

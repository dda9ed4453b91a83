import { c, type InferShape } from '@mm/config';

/** How a parked service sleeps; see `[runtime.idle] wait`. */
export type IdleWait = 'doorbell' | 'timer';

/** A service's own defaults for `[runtime.idle]` (what it declares in its `ServiceDefinition`). */
export interface IdleDefaults {
  readonly wait?: IdleWait;
  readonly maxParkMs?: number;
  /** Default 50 with the timer; 0 with the doorbell (nothing to yield to: its sole input wakes it). */
  readonly maxYields?: number;
}

/**
 * The `[runtime]` section every service's TOML accepts, next to its own keys. Idle strategy settings trade idle CPU
 * for latency from idle: a service parked on a timer wakes at most `max-park-ms` after a message arrives; one
 * parked on the doorbell wakes when the message is published, so for it `max-park-ms` only bounds how late its own
 * periodic duties (heartbeats, staleness checks, a throttled quote) can run.
 */
export function runtimeSectionWith(defaults: IdleDefaults = {}) {
  return c.object({
    instanceId: c.int({ min: 0, max: 2 ** 32 - 1, default: 0, doc: 'distinguishes two instances of a service' }),
    heartbeatIntervalMs: c.int({ min: 50, max: 60_000, default: 1000 }),
    shutdownTimeoutMs: c.int({ min: 100, max: 120_000, default: 5000 }),
    idle: c.object({
      maxSpins: c.int({ min: 0, max: 1_000_000, default: 20 }),
      maxYields: c.int({ min: 0, max: 1_000_000, default: defaults.maxYields ?? (defaults.wait === 'doorbell' ? 0 : 50) }),
      minParkMs: c.int({ min: 1, max: 1000, default: 1 }),
      maxParkMs: c.int({ min: 1, max: 1000, default: defaults.maxParkMs ?? 4 }),
      wait: c.enum(['doorbell', 'timer'], {
        default: defaults.wait ?? 'timer',
        doc: "how a parked service sleeps: 'doorbell' (woken by any publication in the Aeron dir; blocks the thread up to max-park-ms, so only for services whose sole input is Aeron) or 'timer'",
      }),
    }),
    scheduling: c.object({
      policy: c.enum(['other', 'fifo', 'rr'], {
        default: 'other',
        doc: "the service thread's Linux scheduling policy: 'fifo' (or 'rr') runs it, once woken, ahead of every ordinary task (needs CAP_SYS_NICE; refused → a warning, the service runs on as 'other'); only for services that sleep when idle (the doorbell)",
      }),
      priority: c.int({ min: 1, max: 99, default: 1, doc: "real-time priority for 'fifo'/'rr' (ignored for 'other')" }),
    }),
    rehearsal: c.object({
      intervalMs: c.int({
        min: 0, max: 1000, default: 1,
        doc: 'colocated tick path only (services/tick-path): while the market is quiet but not dead (no book for this long, one within the last second), a synthetic tick runs through scratch copies of the path so its code stays warm for the next real one; 0 = off',
      }),
    }),
    aeron: c.object({
      dir: c.string({ default: '', env: 'AERON_DIR', doc: "Aeron dir; empty = Aeron's default" }),
      driverTimeoutMs: c.int({ min: 100, max: 600_000, default: 10_000, env: 'AERON_DRIVER_TIMEOUT' }),
    }),
  });
}

export const runtimeSection = runtimeSectionWith();

export type RuntimeSettings = InferShape<(typeof runtimeSection)['shape']>;

/**
 * Client configuration, modelled on Aeron's `Aeron.Context`. Every option has Aeron's default.
 *
 * - aeronDir: `AERON_DIR`, else `/dev/shm/aeron-<user>` on Linux (`<tmpdir>/aeron-<user>` elsewhere), where
 *   `<user>` is `$USER`, else the OS user name, else `default`.
 * - driverTimeoutMs (10 s): how stale the driver heartbeat may be, and how long a command may wait for its answer.
 * - keepAliveIntervalMs (500 ms): how often the conductor heartbeats and checks the driver.
 * - clientName: `AERON_CLIENT_NAME`, else empty (as Aeron's C client). Appended with this client's version to the
 *   label of its heartbeat counter (` name=<clientName> version=<version>`), so `aeron-stat` shows who is connected.
 * - epochClock: injected wall clock (ms); tests pass a manual one.
 * - onError: every asynchronous error (default: written to stderr). onDriverTimeout: called once, before
 *   onError, when the driver is declared dead or this client was timed out; the client is closed by then.
 */
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AeronError } from './exceptions/AeronError.js';

export interface ContextOptions {
  aeronDir?: string;
  driverTimeoutMs?: number;
  keepAliveIntervalMs?: number;
  /** How long `Aeron.connect` waits for a CnC file and a live driver; defaults to driverTimeoutMs. */
  connectTimeoutMs?: number;
  clientName?: string;
  epochClock?: () => number;
  onError?: (error: Error) => void;
  onDriverTimeout?: (error: AeronError) => void;
}

export function defaultAeronDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AERON_DIR !== undefined && env.AERON_DIR !== '') return env.AERON_DIR;
  let user = env.USER;
  if (user === undefined || user === '') {
    try { user = userInfo().username; } catch { user = 'default'; }
  }
  if (user === '') user = 'default';
  const base = process.platform === 'linux' ? '/dev/shm' : tmpdir();
  return join(base, `aeron-${user}`);
}

export class Context {
  readonly aeronDir: string;
  readonly driverTimeoutMs: number;
  readonly keepAliveIntervalMs: number;
  readonly connectTimeoutMs: number;
  readonly clientName: string;
  readonly epochClock: () => number;
  readonly onError: (error: Error) => void;
  readonly onDriverTimeout: ((error: AeronError) => void) | undefined;

  constructor(options: ContextOptions = {}) {
    this.aeronDir = options.aeronDir ?? defaultAeronDir();
    this.driverTimeoutMs = positive('driverTimeoutMs', options.driverTimeoutMs ?? 10_000);
    this.keepAliveIntervalMs = positive('keepAliveIntervalMs', options.keepAliveIntervalMs ?? 500);
    this.connectTimeoutMs = positive('connectTimeoutMs', options.connectTimeoutMs ?? this.driverTimeoutMs);
    this.clientName = options.clientName ?? process.env.AERON_CLIENT_NAME ?? '';
    this.epochClock = options.epochClock ?? Date.now;
    this.onError = options.onError ?? ((e) => process.stderr.write(`aeron-client: ${e.stack ?? e.message}\n`));
    this.onDriverTimeout = options.onDriverTimeout;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`Context.${name} must be a positive number of ms, got ${value}`);
  return value;
}

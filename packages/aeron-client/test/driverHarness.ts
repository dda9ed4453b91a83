// Starts a media driver as a real separate process for process tests: the product's driver
// (services/aeronmd/dist/main.js) or, for the interop suite, any Aeron driver binary named by AERON_MD.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { ChildProcessHandle, repoRoot, tempDir, waitFor } from '@mm/test-support';
import { CncFile } from '../src/CncFile.js';

export interface DriverKind {
  readonly name: string;
  /** Executable (a node script for the product driver). */
  readonly command: string;
  readonly isNodeScript: boolean;
}

export const PRODUCT_DRIVER: DriverKind = { name: 'product aeronmd', command: join(repoRoot(), 'services/aeronmd/dist/main.js'), isNodeScript: true };
export const AERON_MD: DriverKind | undefined = process.env.AERON_MD
  ? { name: `AERON_MD (${process.env.AERON_MD})`, command: process.env.AERON_MD, isNodeScript: false }
  : undefined;

export const fixturesDir = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Sub-second timeouts and 64 KiB terms; names are Aeron's own env vars (C driver and product driver alike). */
export function driverEnv(aeronDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AERON_DIR: aeronDir,
    AERON_DIR_DELETE_ON_START: 'true',
    AERON_DIR_DELETE_ON_SHUTDOWN: 'true',
    AERON_IPC_TERM_BUFFER_LENGTH: '65536',
    AERON_TERM_BUFFER_SPARSE_FILE: 'true',
    AERON_THREADING_MODE: 'SHARED',
    AERON_TIMER_INTERVAL: '50000000',
    AERON_CLIENT_LIVENESS_TIMEOUT: '2000000000',
    AERON_PUBLICATION_UNBLOCK_TIMEOUT: '3000000000',
    AERON_PUBLICATION_LINGER_TIMEOUT: '100000000',
    AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT: '300000000',
    AERON_UNTETHERED_RESTING_TIMEOUT: '300000000',
    AERON_DRIVER_TERMINATION_VALIDATOR: 'allow',
    ...extra,
  };
}

export class DriverProcess {
  readonly aeronDir: string;
  readonly child: ChildProcess;
  private exited = false;
  exitCode: number | null = null;
  readonly output: string[] = [];

  constructor(kind: DriverKind, extraEnv: Record<string, string> = {}) {
    this.aeronDir = join(tempDir('aeron-test-'), 'aeron');
    const env = { ...process.env, ...driverEnv(this.aeronDir, extraEnv) };
    const [cmd, args] = kind.isNodeScript ? [process.execPath, [kind.command]] : [kind.command, []];
    this.child = spawn(cmd, args, { cwd: repoRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => this.output.push(d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => this.output.push(d.toString()));
    this.child.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
  }

  get hasExited(): boolean { return this.exited; }

  /** Resolves once the CnC file is ready and the driver heartbeats. */
  async ready(timeoutMs = 10_000): Promise<this> {
    await waitFor(() => {
      if (this.exited) throw new Error(`driver exited (${this.exitCode}) before it was ready:\n${this.output.join('')}`);
      const cnc = CncFile.openReadOnly(this.aeronDir);
      try {
        return cnc.driverHeartbeatAgeMs() < 1000;
      } finally {
        cnc.close();
      }
    }, { timeoutMs, what: `the media driver at ${this.aeronDir}` });
    return this;
  }

  /** Sends `signal` and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill(signal);
    await waitFor(() => this.exited, { timeoutMs, what: 'the media driver to exit' });
  }
}

export function spawnFixture(name: string, args: readonly (string | number)[]): ChildProcessHandle {
  return new ChildProcessHandle(join(fixturesDir, name), { args: args.map(String), name });
}

/** Runs `step` in a loop (yielding to the event loop now and then) until it returns true or the deadline passes. */
export async function drive(step: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; ; i++) {
    if (step()) return;
    if ((i & 255) === 0) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setImmediate(r));
    }
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaDriver, type LaunchOptions } from '../../src/MediaDriver.js';
import { RawClient } from './RawClient.js';

/** Short timeouts and 64 KiB terms, as every driver test uses. */
export const FAST: LaunchOptions = {
  ipcTermBufferLength: 65536,
  timerIntervalNs: 10_000_000,
  clientLivenessTimeoutNs: 1_000_000_000,
  publicationUnblockTimeoutNs: 300_000_000,
  publicationLingerTimeoutNs: 50_000_000,
  untetheredWindowLimitTimeoutNs: 200_000_000,
  untetheredRestingTimeoutNs: 300_000_000,
  conductorBufferLength: 64 * 1024 + 768,
  clientsBufferLength: 64 * 1024 + 128,
  countersBufferLength: 64 * 1024,
  errorBufferLength: 64 * 1024,
  idleMaxParkMs: 1,
};

const tempParents: string[] = [];

/** A fresh Aeron dir path (not created) under a temp parent that `removeTempDirs()` deletes. */
export function tempAeronDir(): string {
  const base = process.platform === 'linux' ? '/dev/shm' : tmpdir();
  const parent = mkdtempSync(join(base, 'mm-driver-test-'));
  tempParents.push(parent);
  return join(parent, 'aeron');
}

export function removeTempDirs(): void {
  for (const p of tempParents.splice(0)) rmSync(p, { recursive: true, force: true });
}

export interface Harness {
  readonly dir: string;
  readonly driver: MediaDriver;
  readonly clients: RawClient[];
  client(): RawClient;
  close(): Promise<void>;
}

/** Starts an in-process driver and heartbeats every client it hands out until closed. */
export function startDriver(options: LaunchOptions = {}): Harness {
  const dir = tempAeronDir();
  const driver = MediaDriver.launch({ ...FAST, aeronDir: dir, ...options });
  const clients: RawClient[] = [];
  const beat = setInterval(() => {
    for (const c of clients) if (c.cnc.isOpen) c.heartbeat();
  }, 20);
  return {
    dir,
    driver,
    clients,
    client() {
      const c = new RawClient(dir);
      clients.push(c);
      return c;
    },
    async close() {
      clearInterval(beat);
      for (const c of clients) c.close();
      await driver.close();
      rmSync(join(dir, '..'), { recursive: true, force: true });
    },
  };
}

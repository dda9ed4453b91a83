// startDriver with AERON_MD set: a native driver binary runs under a Node parent. CI has no Aeron binaries, so the
// "binary" here is a shell script that execs the product's driver: same env, same CnC, but a separate process
// below the handle's Node parent, exactly like Aeron's C aeronmd.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CncFile } from '@mm/aeron-client';
import { createTestSystem, isProcessAlive, killAll, removeTempDirs, repoRoot, startDriver, tempDir, waitFor } from '../src/index.js';

const saved = process.env.AERON_MD;
afterEach(async () => {
  if (saved === undefined) delete process.env.AERON_MD;
  else process.env.AERON_MD = saved;
  await killAll();
  removeTempDirs();
});

/** A stand-in binary that records its environment in `<its dir>/env.txt`, then execs the product driver. */
function fakeNativeDriver(): string {
  const path = join(tempDir('fake-aeronmd-'), 'aeronmd');
  writeFileSync(path, `#!/bin/sh\nenv > "$(dirname "$0")/env.txt"\nexec "${process.execPath}" "${join(repoRoot(), 'services/aeronmd/dist/main.js')}"\n`);
  chmodSync(path, 0o755);
  return path;
}

function envSeenBy(binary: string): Map<string, string> {
  const lines = readFileSync(join(dirname(binary), 'env.txt'), 'utf8').split('\n');
  return new Map(lines.filter((l) => l.startsWith('AERON_')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function driverPid(aeronDir: string): number {
  const cnc = CncFile.openReadOnly(aeronDir);
  try {
    return cnc.pid();
  } finally {
    cnc.close();
  }
}

describe('startDriver with AERON_MD', () => {
  it('runs the named binary with the AERON_* env and takes it down when the handle is SIGKILLed', async () => {
    const binary = fakeNativeDriver();
    process.env.AERON_MD = binary;
    const sys = createTestSystem();
    const handle = await startDriver(sys);
    const env = envSeenBy(binary);
    expect(env.get('AERON_DIR')).toBe(sys.aeronDir);
    expect(env.get('AERON_IPC_TERM_BUFFER_LENGTH')).toBe('65536'); // the test's setting wins over aeronmd.toml
    // From the shipped aeronmd.toml, and a timer interval Aeron accepts with a 0.5 s untethered window limit.
    expect(env.get('AERON_UNTETHERED_WINDOW_LIMIT_TIMEOUT')).toBe('500000000');
    expect(env.get('AERON_TIMER_INTERVAL')).toBe('100000000');
    const pid = driverPid(sys.aeronDir);
    expect(pid).not.toBe(handle.pid); // the binary runs below the Node parent
    expect(isProcessAlive(pid)).toBe(true);
    handle.kill('SIGKILL');
    await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5000, what: `driver pid ${pid} to die with its parent` });
  });

  it('passes SIGTERM on and mirrors the exit code', async () => {
    process.env.AERON_MD = fakeNativeDriver();
    const sys = createTestSystem();
    const handle = await startDriver(sys);
    const pid = driverPid(sys.aeronDir);
    handle.kill('SIGTERM');
    const exit = await handle.waitForExit(10_000);
    expect(exit).toEqual({ code: 0, signal: null }); // the product driver's clean shutdown
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('fails with the reason when the binary cannot run', async () => {
    process.env.AERON_MD = join(tempDir('no-aeronmd-'), 'missing');
    const startedAt = Date.now();
    await expect(startDriver(createTestSystem())).rejects.toThrow(/driver exited \(\d+\)[\s\S]*missing/);
    expect(Date.now() - startedAt).toBeLessThan(5000); // reported when it happens, not at the 10 s deadline
  });
});

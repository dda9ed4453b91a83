import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, removeTempDirs, spawnNode, tempDir } from '@mm/test-support';
import { startEngine } from './support/engine.js';
import { TcpClient } from './support/clients.js';

const MAIN = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'main.js');

afterAll(async () => {
  await killAll();
  removeTempDirs();
});

describe('configuration', () => {
  for (const [name, value, what] of [
    ['ENGINE_TCP_PORT', 'abc', /tcp\.port|tcp-port/],
    ['ENGINE_THREADED', 'maybe', /threaded/],
    ['ENGINE_CANCEL_OWNERSHIP', 'nobody', /cancel-ownership/],
  ] as const) {
    it(`exits 78 naming the key for ${name}=${value}`, async () => {
      const p = spawnNode(MAIN, { env: { MM_CONFIG_DIR: tempDir('mm-engine-'), MM_LOG_DIR: tempDir('mm-engine-logs-'), [name]: value } });
      const { code } = await p.waitForExit(10_000);
      expect(code).toBe(78);
      expect(p.output()).toMatch(what);
    });
  }

  it('reads config/matching-engine.toml-style files (TOML keys) and lets ENGINE_* win', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir('mm-engine-');
    writeFileSync(join(dir, 'matching-engine.toml'), 'threaded = false\n[tcp]\nport = 1\n[controls]\ncancel-ownership = "any"\n');
    const e = await startEngine({ MM_CONFIG_DIR: dir });
    const a = await TcpClient.connect(e.tcpPort);
    const b = await TcpClient.connect(e.tcpPort);
    a.send('N, 1, CFG, 10, 1, B, 1');
    await a.waitForLine((l) => l === 'A, CFG, 1, 1');
    b.send('C, 1, 1');
    // cancel-ownership = "any" from the file: another connection may cancel (the original protocol).
    await b.waitForLine((l) => l === 'C, CFG, 1, 1');
    expect(e.tcpPort).not.toBe(1);
    a.close();
    b.close();
  });
});

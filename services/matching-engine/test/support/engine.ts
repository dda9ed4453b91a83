import { join } from 'node:path';
import { spawnNode, tempDir, type ChildProcessHandle } from '@mm/test-support';
import { fileURLToPath } from 'node:url';

const MAIN = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'dist', 'main.js');

export interface RunningEngine {
  proc: ChildProcessHandle;
  tcpPort: number;
  udpPort: number;
}

/** Starts dist/main.js on OS-chosen ports with an empty config dir (defaults) plus `env`; resolves once listening. */
export async function startEngine(env: Record<string, string> = {}): Promise<RunningEngine> {
  const proc = spawnNode(MAIN, {
    env: { MM_CONFIG_DIR: tempDir('mm-engine-'), MM_LOG_DIR: tempDir('mm-engine-logs-'), ENGINE_TCP_PORT: '0', ENGINE_UDP_PORT: '0', ENGINE_TCP_HOST: '127.0.0.1', ENGINE_UDP_HOST: '127.0.0.1', ...env },
    name: 'matching-engine',
  });
  const l = await proc.waitForJson<{ tcpPort: number; udpPort: number }>((o) => o.msg === 'listening', 15_000);
  return { proc, tcpPort: l.tcpPort, udpPort: l.udpPort };
}

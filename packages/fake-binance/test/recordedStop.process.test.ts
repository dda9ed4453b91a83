import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeTradeRecording } from './recording.js';

const script = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/recordedStop.mjs');

describe('fake-binance serving a recording, embedded in a process', () => {
  it('leaves nothing behind once stopped: the process exits by itself', async () => {
    const recording = writeTradeRecording(60, 10);
    const child = spawn(process.execPath, [script, recording], { cwd: dirname(script), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const code = await new Promise<number | null>((resolve, reject) => {
      // Its 24 h connection-age timer used to outlive the connection once the playback had waited 64 times.
      const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`still running 10 s after start; printed: ${JSON.stringify(out)}`)); }, 10_000);
      child.once('exit', (c) => { clearTimeout(t); resolve(c); });
    });
    rmSync(dirname(recording), { recursive: true, force: true });
    expect(out.trim()).toBe('stopped');
    expect(code).toBe(0);
  });
});

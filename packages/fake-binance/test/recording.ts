import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A recording of `frames` BTCUSDT trades `spacingMs` apart, in the recorder's line format; returns its path. */
export function writeTradeRecording(frames: number, spacingMs: number): string {
  const startNs = 1_723_161_253_937_085_768n;
  const lines: string[] = [];
  for (let i = 0; i < frames; i++) {
    const ms = 1_723_161_255_208 + i * spacingMs;
    const data = `{"e":"trade","E":${ms},"s":"BTCUSDT","t":${1000 + i},"p":"61737.63000000","q":"0.01000000","T":${ms},"m":false,"M":true}`;
    lines.push(`${startNs + BigInt(i * spacingMs) * 1_000_000n} {"stream":"btcusdt@trade","data":${data}}`);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'mm-fake-rec-')), 'btcusdt.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLineTime } from '@mm/binance';

/** A recording of `frames` BTCUSDT trades `spacingMs` apart, in the recorder's line format; returns its path. */
export function writeTradeRecording(frames: number, spacingMs: number): string {
  const startSeconds = 1_723_161_255;
  const lines: string[] = [];
  for (let i = 0; i < frames; i++) {
    const offsetMs = i * spacingMs;
    const ms = startSeconds * 1000 + offsetMs;
    const data = `{"e":"trade","E":${ms},"s":"BTCUSDT","t":${1000 + i},"p":"61737.63000000","q":"0.01000000","T":${ms},"m":false,"M":true}`;
    const time = formatLineTime(startSeconds + Math.floor(offsetMs / 1000), (offsetMs % 1000) * 1e6);
    lines.push(`${time} {"stream":"btcusdt@trade","data":${data}}`);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'mm-fake-rec-')), 'btcusdt.txt');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

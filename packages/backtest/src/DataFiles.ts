import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { LineTime } from '@mm/binance';
import { DataTime } from './DataTime.js';

/**
 * Recording files: the symbol a file's inline REST snapshots belong to (hftbacktest names files
 * `<symbol>_<date>.gz`), and the earliest first-line time over a set of files (the backtest's time anchor).
 * Only the first line of each file is read here; the replay source loads the files itself.
 */

/** `btcusdt_20240808.gz` → `BTCUSDT` when that symbol is among `symbols` (case-insensitive prefix match). */
export function symbolOfFile(path: string, symbols: readonly string[]): string | undefined {
  const name = basename(path).toLowerCase();
  return symbols.find((s) => name.startsWith(s.toLowerCase()));
}

/** The symbol-looking prefix of a file name (`btcusdt_20240808.gz` → `BTCUSDT`), or undefined. */
export function symbolPrefixOfFile(path: string): string | undefined {
  const m = /^([a-z0-9]{2,16})[_.-]/i.exec(basename(path));
  return m ? m[1]!.toUpperCase() : undefined;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The receive time of the first line of `path` (gzip or plain); rejects naming the file if it has none. */
export async function firstLineTime(path: string): Promise<LineTime> {
  const stream = isGzip(path) ? createReadStream(path).pipe(createGunzip()) : createReadStream(path);
  let text = '';
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        text = text.slice(0, nl);
        break;
      }
      if (text.length > 1 << 22) break;
    }
  } finally {
    stream.destroy();
  }
  const t = DataTime.lineTime(text);
  if (t === undefined) throw new RangeError(`${path}: the first line is not '<receive time ns> <frame>' (not a recording?)`);
  return t;
}

/** The earliest first-line time over `paths`. */
export async function earliestTime(paths: readonly string[]): Promise<LineTime> {
  const times = await Promise.all(paths.map((p) => firstLineTime(p)));
  let best = times[0]!;
  for (const t of times) if (t.seconds < best.seconds || (t.seconds === best.seconds && t.nanos < best.nanos)) best = t;
  return best;
}

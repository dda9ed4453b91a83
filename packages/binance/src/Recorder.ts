import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import type { Clock } from '@mm/runtime';
import { writeExchangeInfoSidecar } from './ExchangeInfoSidecar.js';
import { formatLineTime } from './RecordingLine.js';

/**
 * Records raw Binance frames with their receive times, in hftbacktest's collector format so either tool can
 * read the other's files: one gzip file per symbol and UTC hour, `<dir>/<symbol>_<YYYYMMDD>_<HH>.gz`, each line
 * `<receive time, epoch ns> <raw text as received>\n`. REST depth bodies are written raw (no wrapper) into their
 * symbol's file, as hftbacktest does; frames of no known symbol (serverShutdown, malformed) go to `misc_…`.
 *
 * Receive times are monotonic (`clock.nanoTime()`); they are turned into epoch ns against one anchor taken at
 * construction (epoch ms + the monotonic offset since), exactly, without BigInt.
 * Instruments: `setExchangeInfo(body)` hands over each exchangeInfo fetched; every symbol file gets it as its
 * sidecar `<file>.exchangeInfo.json` (ExchangeInfoSidecar: raw Binance JSON, written once per file, the first body
 * known while the file is open), so a replay or backtest of the file knows tick, step, minimums and status.
 * Limits: files are closed on hour change and on `close()`; a crash loses the gzip tail of the open hour. A sidecar
 * is written synchronously (a few KiB, at most once per file and hour).
 */
export class Recorder {
  private readonly anchorEpochMs: number;
  private readonly anchorNs: number;
  private readonly open = new Map<string, { hourKey: string; path: string; gzip: Gzip; file: WriteStream; sidecar: boolean }>();
  private exchangeInfoBody: string | undefined;
  private readonly closing: Promise<void>[] = [];
  linesWritten = 0;

  /** Sidecars that could not be written (each also reported through `onError`). */
  sidecarFailures = 0;

  constructor(
    private readonly dir: string,
    private readonly clock: Clock,
    private readonly symbols: readonly string[],
    private readonly onError: (message: string) => void = () => {},
  ) {
    mkdirSync(dir, { recursive: true });
    this.anchorEpochMs = clock.epochMs();
    this.anchorNs = clock.nanoTime();
  }

  /** Records one frame; `snapshotSymbol` names the symbol of an unwrapped REST depth body. */
  write(text: string, recvNs: number, snapshotSymbol = ''): void {
    const offsetNs = recvNs - this.anchorNs;
    const offsetMs = Math.floor(offsetNs / 1e6);
    const epochMs = this.anchorEpochMs + offsetMs;
    const seconds = Math.floor(epochMs / 1000);
    const nanos = (epochMs - seconds * 1000) * 1e6 + (offsetNs - offsetMs * 1e6);
    const symbol = snapshotSymbol !== '' ? snapshotSymbol.toLowerCase() : this.symbolOf(text);
    const out = this.fileFor(symbol, epochMs);
    out.write(`${formatLineTime(seconds, nanos)} ${text}\n`);
    this.linesWritten++;
  }

  /** The latest exchangeInfo body (raw): the sidecar of every open symbol file that has none yet, and of the next. */
  setExchangeInfo(body: string): void {
    this.exchangeInfoBody = body;
    for (const [symbol, cur] of this.open) this.writeSidecar(symbol, cur);
  }

  async close(): Promise<void> {
    for (const key of [...this.open.keys()]) this.closeFile(key);
    await Promise.all(this.closing);
  }

  private symbolOf(text: string): string {
    // Combined frames start with {"stream":"<symbol>@…
    if (text.startsWith('{"stream":"')) {
      const at = text.indexOf('@', 11);
      if (at > 11 && at < 40) {
        const s = text.slice(11, at);
        for (const k of this.symbols) if (k.toLowerCase() === s) return s;
      }
    }
    return 'misc';
  }

  private fileFor(symbol: string, epochMs: number): Gzip {
    const d = new Date(epochMs);
    const hourKey = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}`;
    const cur = this.open.get(symbol);
    if (cur !== undefined && cur.hourKey === hourKey) return cur.gzip;
    if (cur !== undefined) this.closeFile(symbol);
    const gzip = createGzip();
    const path = join(this.dir, `${symbol}_${hourKey}.gz`);
    const file = createWriteStream(path, { flags: 'a' });
    gzip.pipe(file);
    const entry = { hourKey, path, gzip, file, sidecar: false };
    this.open.set(symbol, entry);
    this.writeSidecar(symbol, entry);
    return gzip;
  }

  private writeSidecar(symbol: string, entry: { path: string; sidecar: boolean }): void {
    if (entry.sidecar || this.exchangeInfoBody === undefined || symbol === 'misc') return;
    // Once per file: a file reopened (a restart in the same hour) keeps the sidecar it has.
    entry.sidecar = true;
    try {
      writeExchangeInfoSidecar(entry.path, this.exchangeInfoBody);
    } catch (error) {
      // The recording goes on without it; a replay then needs [recorded.<SYMBOL>] or an explicit file.
      this.sidecarFailures++;
      this.onError(`exchangeInfo sidecar of ${entry.path} not written: ${(error as Error).message}`);
    }
  }

  private closeFile(symbol: string): void {
    const cur = this.open.get(symbol);
    if (cur === undefined) return;
    this.open.delete(symbol);
    this.closing.push(new Promise((resolve) => {
      cur.file.once('close', () => resolve());
      cur.gzip.end();
    }));
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

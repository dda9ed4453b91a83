import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Clock, MarketDataSource } from '@mm/runtime';
import { MarketDataAdapter, type BinanceMarketDataSink } from './MarketDataAdapter.js';
import { diffNs, parseLineTime, type LineTime } from './RecordingLine.js';

/**
 * Replays recordings through the same `MarketDataAdapter` as the live client.
 *
 * Reads both the product's recordings (`Recorder`) and hftbacktest's collector files: gzip (or plain) text,
 * `<ns> <raw frame>` per line, where REST depth bodies appear inline without a stream wrapper. Such a body has no
 * symbol, so each file names the symbol its snapshots belong to (hftbacktest writes one file per symbol).
 *
 * Pace: `fast` delivers everything on `pump(any)`; `recorded` delivers a line once `clock.nanoTime()` (or the
 * `untilNs` given to `pump`) has advanced past the line's offset from the first line, divided by `speed`.
 * Receive times handed to the sink are the replay clock's: start time + recorded offset / speed.
 *
 * Limits: files are loaded whole into memory when `start` is called (a day of two symbols is a few hundred MB of
 * text; stream per hour file for longer runs). Lines that are not `<ns> <text>` are counted in `badLines` and skipped.
 */

export interface ReplayFile {
  path: string;
  /** Symbol of inline REST snapshots in this file. */
  symbol?: string;
}

export interface ReplayOptions {
  files: readonly ReplayFile[];
  symbols: readonly string[];
  pace: 'fast' | 'recorded';
  clock: Clock;
  /** Recorded-pace speed-up factor (2 = twice as fast). */
  speed?: number;
  /** When true, `start` drives itself with timers; otherwise the owner calls `pump`. */
  autoPump?: boolean;
}

interface Line {
  fileIndex: number;
  text: string;
  payloadStart: number;
  offsetNs: number;
}

export class ReplaySource implements MarketDataSource<BinanceMarketDataSink> {
  readonly name = 'binance-replay';
  badLines = 0;
  private lines: Line[] = [];
  private next = 0;
  private startNs = 0;
  private adapter: MarketDataAdapter | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly speed: number;

  constructor(private readonly options: ReplayOptions) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0)) throw new RangeError(`ReplaySource speed must be > 0, got ${options.speed}`);
    if (options.files.length === 0) throw new RangeError('ReplaySource needs at least one file');
  }

  get finished(): boolean {
    return this.adapter !== null && this.next >= this.lines.length;
  }

  get adapterOrNull(): MarketDataAdapter | null {
    return this.adapter;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  async start(sink: BinanceMarketDataSink): Promise<void> {
    this.load();
    this.adapter = new MarketDataAdapter(this.options.symbols, sink, { onSnapshotNeeded: () => {} });
    this.startNs = this.options.clock.nanoTime();
    if (this.options.autoPump === true) {
      const tick = (): void => {
        this.pump(this.options.clock.nanoTime());
        if (!this.finished) this.timer = setTimeout(tick, this.options.pace === 'fast' ? 0 : 1);
        else this.timer = null;
      };
      this.timer = setTimeout(tick, 0);
    }
  }

  pump(untilNs: number): number {
    const adapter = this.adapter;
    if (adapter === null) return 0;
    const fast = this.options.pace === 'fast';
    let delivered = 0;
    const limit = fast ? this.next + 50_000 : this.lines.length;
    while (this.next < this.lines.length && this.next < limit) {
      const line = this.lines[this.next]!;
      const dueNs = this.startNs + line.offsetNs / this.speed;
      if (!fast && dueNs > untilNs) break;
      this.next++;
      const file = this.options.files[line.fileIndex]!;
      adapter.onFrame(line.text.slice(line.payloadStart), Math.round(dueNs), file.symbol ?? '');
      delivered++;
    }
    return delivered;
  }

  /** Delivers everything left, whatever the pace (tests, backtests). */
  runToEnd(): number {
    let n = 0;
    const savedPace = this.options.pace;
    (this.options as { pace: 'fast' | 'recorded' }).pace = 'fast';
    while (!this.finished) n += this.pump(Infinity);
    (this.options as { pace: 'fast' | 'recorded' }).pace = savedPace;
    return n;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private load(): void {
    const t: LineTime = { seconds: 0, nanos: 0 };
    const first: LineTime = { seconds: Infinity, nanos: 0 };
    const raw: { fileIndex: number; text: string; payloadStart: number; seconds: number; nanos: number }[] = [];
    this.options.files.forEach((f, fileIndex) => {
      const bytes = readFileSync(f.path);
      const isGzip = bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b;
      const text = (isGzip ? gunzipSync(bytes) : bytes).toString('utf8');
      let start = 0;
      while (start < text.length) {
        let end = text.indexOf('\n', start);
        if (end < 0) end = text.length;
        if (end > start) {
          const line = text.slice(start, end);
          const payloadStart = parseLineTime(line, t);
          if (payloadStart < 0) this.badLines++;
          else {
            raw.push({ fileIndex, text: line, payloadStart, seconds: t.seconds, nanos: t.nanos });
            if (t.seconds < first.seconds || (t.seconds === first.seconds && t.nanos < first.nanos)) {
              first.seconds = t.seconds;
              first.nanos = t.nanos;
            }
          }
        }
        start = end + 1;
      }
    });
    // Merge the files by time, never reordering lines within a file (its order is the order received).
    const perFile: Line[][] = this.options.files.map(() => []);
    for (const r of raw) {
      perFile[r.fileIndex]!.push({ fileIndex: r.fileIndex, text: r.text, payloadStart: r.payloadStart, offsetNs: diffNs(r, first) });
    }
    const heads = perFile.map(() => 0);
    const lines: Line[] = [];
    for (;;) {
      let best = -1;
      for (let f = 0; f < perFile.length; f++) {
        const l = perFile[f]![heads[f]!];
        if (l !== undefined && (best < 0 || l.offsetNs < perFile[best]![heads[best]!]!.offsetNs)) best = f;
      }
      if (best < 0) break;
      lines.push(perFile[best]![heads[best]!++]!);
    }
    this.lines = lines;
    this.next = 0;
  }
}

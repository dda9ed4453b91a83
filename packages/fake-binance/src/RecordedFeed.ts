import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { diffNs, parseLineTime, type LineTime } from '@mm/binance';

/**
 * Recorded Binance traffic for the fake server: the stream frames of one or more recordings (`<ns> <frame>` lines,
 * gzip or plain; the product's and hftbacktest's format), merged by time, plus the first inline REST depth body
 * per symbol, which the fake's `GET /api/v3/depth` returns so a client can synchronise on real traffic end to end.
 *
 * Limits: loaded whole into memory; a client that re-synchronises later gets the same (by then too old) snapshot
 * and keeps retrying: recorded traffic supports exactly one sync per connection run.
 */

export interface RecordedFile {
  path: string;
  symbol: string;
}

export interface RecordedFrame {
  /** Offset from the first line, ns. */
  offsetNs: number;
  stream: string;
  /** The whole combined-stream frame as recorded. */
  text: string;
}

export class RecordedFeed {
  readonly frames: RecordedFrame[] = [];
  readonly snapshots = new Map<string, string>();

  constructor(files: readonly RecordedFile[]) {
    const t: LineTime = { seconds: 0, nanos: 0 };
    let first: LineTime | null = null;
    const perFile: { time: LineTime; stream: string; text: string }[][] = [];
    for (const f of files) {
      const bytes = readFileSync(f.path);
      const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
      const list: { time: LineTime; stream: string; text: string }[] = [];
      for (const line of text.split('\n')) {
        const at = parseLineTime(line, t);
        if (at < 0) continue;
        const payload = line.slice(at);
        if (payload.startsWith('{"lastUpdateId"')) {
          const sym = f.symbol.toUpperCase();
          if (!this.snapshots.has(sym)) this.snapshots.set(sym, payload);
          continue;
        }
        const m = /^\{"stream":"([^"]+)"/.exec(payload);
        if (m === null) continue;
        const time = { seconds: t.seconds, nanos: t.nanos };
        if (first === null || diffNs(time, first) < 0) first = time;
        list.push({ time, stream: m[1]!, text: payload });
      }
      perFile.push(list);
    }
    const heads = perFile.map(() => 0);
    for (;;) {
      let best = -1;
      for (let i = 0; i < perFile.length; i++) {
        const l = perFile[i]![heads[i]!];
        if (l !== undefined && (best < 0 || diffNs(l.time, perFile[best]![heads[best]!]!.time) < 0)) best = i;
      }
      if (best < 0) break;
      const l = perFile[best]![heads[best]!++]!;
      this.frames.push({ offsetNs: diffNs(l.time, first!), stream: l.stream, text: l.text });
    }
  }
}

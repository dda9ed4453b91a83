import { parseLineTime, type LineTime } from '@mm/binance';

/**
 * Data time: a backtest's clock runs in nanoseconds since the first recorded line (exact as a Number for 104
 * days), anchored to that line's epoch receive time, which exceeds 2^53 ns and is kept as (seconds, nanos).
 * Conversions to ISO text and from user-given times (`--from`, `--to`) go through the anchor, so no epoch
 * nanosecond count is ever held in a Number.
 */
export class DataTime {
  constructor(readonly anchor: Readonly<LineTime>) {}

  /** Epoch milliseconds of the anchor (floor), for `ManualClock`'s wall clock. */
  get anchorEpochMs(): number {
    return this.anchor.seconds * 1000 + Math.floor(this.anchor.nanos / 1e6);
  }

  /** ISO-8601 UTC with microseconds for `relNs` after the anchor, e.g. `2024-08-09T00:34:13.937085Z`. */
  iso(relNs: number): string {
    const total = this.anchor.nanos + Math.round(relNs);
    const carry = Math.floor(total / 1e9);
    const nanos = total - carry * 1e9;
    const base = new Date((this.anchor.seconds + carry) * 1000).toISOString(); // ...:SS.000Z
    return `${base.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
  }

  /**
   * `text` (ISO-8601 date/time, or epoch milliseconds as digits) as ns after the anchor; negative before it.
   * Throws a RangeError naming the text when it is neither.
   */
  parse(text: string, what: string): number {
    const trimmed = text.trim();
    let ms: number;
    if (/^\d+(\.\d+)?$/.test(trimmed)) ms = Number(trimmed);
    else {
      ms = Date.parse(trimmed);
      if (!Number.isFinite(ms)) throw new RangeError(`${what}: '${text}' is neither an ISO time (2024-08-09T00:35:00Z) nor epoch milliseconds`);
    }
    return Math.round((ms - this.anchor.seconds * 1000) * 1e6 - this.anchor.nanos);
  }

  /** The anchor of a recording line's text, or undefined if the line has no `<ns> ` prefix. */
  static lineTime(line: string): LineTime | undefined {
    const t: LineTime = { seconds: 0, nanos: 0 };
    return parseLineTime(line, t) < 0 ? undefined : t;
  }
}

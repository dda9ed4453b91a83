/**
 * The recording line format shared with hftbacktest's collector: `<receive time in ns> <raw text as received>\n`.
 * hftbacktest writes epoch nanoseconds (19 digits, above 2^53), so times are handled as (seconds, nanos) pairs and
 * only differences are turned into Numbers, which keeps them exact.
 */

export interface LineTime {
  seconds: number;
  nanos: number;
}

/** Splits `line` into its time and payload; returns the payload start index, or -1 if the line is not one. */
export function parseLineTime(line: string, out: LineTime): number {
  const sp = line.indexOf(' ');
  if (sp <= 0 || sp > 20) return -1;
  let seconds = 0;
  let nanos = 0;
  const nsDigits = Math.min(9, sp);
  for (let i = 0; i < sp; i++) {
    const d = line.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    if (i < sp - nsDigits) seconds = seconds * 10 + d;
    else nanos = nanos * 10 + d;
  }
  out.seconds = seconds;
  out.nanos = nanos;
  return sp + 1;
}

/** `a − b` in ns, exact while the difference is below 2^53 ns (104 days). */
export function diffNs(a: LineTime, b: LineTime): number {
  return (a.seconds - b.seconds) * 1e9 + (a.nanos - b.nanos);
}

/** Formats (seconds, nanos) as the decimal ns count (no leading zeros). */
export function formatLineTime(seconds: number, nanos: number): string {
  if (seconds === 0) return String(nanos);
  return `${seconds}${String(nanos).padStart(9, '0')}`;
}

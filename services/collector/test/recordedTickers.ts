import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { toFixed8 } from '@mm/protocol';

export interface RecordedTicker { bid: number; bidQty: number; ask: number; askQty: number }

/** Every `@bookTicker` in the recordings (the product's line format), by update id, prices and quantities in 1e-8. */
export function recordedTickers(files: readonly string[]): Map<number, RecordedTicker> {
  const out = new Map<number, RecordedTicker>();
  for (const f of files) {
    for (const line of gunzipSync(readFileSync(f)).toString('utf8').split('\n')) {
      const i = line.indexOf(' ');
      if (i < 0 || !line.includes('@bookTicker')) continue;
      const d = JSON.parse(line.slice(i + 1)).data as { u: number; b: string; B: string; a: string; A: string };
      out.set(d.u, { bid: toFixed8(d.b), bidQty: toFixed8(d.B), ask: toFixed8(d.a), askQty: toFixed8(d.A) });
    }
  }
  return out;
}

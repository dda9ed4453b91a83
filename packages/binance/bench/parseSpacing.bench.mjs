// How much slower a real top-moving diff (80–130 levels, the size that causes quotes) parses when frames are 1 ms
// apart than back to back: the spacing of live ticks, with nothing else running. Each timed parse follows
//   back-to-back  nothing;
//   sleep         a 1 ms timer (the thread idles, as a parked service does);
//   spin          1 ms of busy-waiting on the clock (the thread never idles);
//   thrash        a pass over 8 MiB (other work evicting the caches, no idling).
// Parse only (FrameParser.parseBytes), after 200 untimed passes over the frames; µs per frame, p50 and p90.
// Run: npx tsc -b packages/binance && node packages/binance/bench/parseSpacing.bench.mjs [passes]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { FrameParser } from '../dist/index.js';

const passes = Number(process.argv[2] ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const text = gunzipSync(readFileSync(join(here, '../../../../shared/data/binance-spot/btcusdt_20240808.gz'))).toString();
const frames = [];
for (const line of text.split('\n')) {
  const at = line.indexOf(' ');
  if (at < 0 || !line.startsWith('{"stream":"btcusdt@depth', at + 1)) continue;
  const levels = (line.match(/\],\[/g)?.length ?? 0) + 2;
  if (levels >= 80 && levels <= 130) frames.push(Buffer.from(line.slice(at + 1)));
}

const parser = new FrameParser();
for (let w = 0; w < 200; w++) for (const f of frames) parser.parseBytes(f);
const junk = new Float64Array(1 << 20);
const gaps = {
  'back-to-back': async () => {},
  sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
  spin: async () => { const end = process.hrtime.bigint() + 1_000_000n; while (process.hrtime.bigint() < end); },
  thrash: async () => { for (let k = 0; k < junk.length; k += 8) junk[k] += 1; },
};

const rows = [];
for (let pass = 0; pass < passes; pass++) {
  for (const [gap, wait] of Object.entries(gaps)) {
    const us = [];
    for (const f of frames) {
      await wait();
      const t0 = process.hrtime.bigint();
      parser.parseBytes(f);
      us.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    us.sort((a, b) => a - b);
    rows.push({ pass, gap, frames: us.length, p50_us: +us[us.length >> 1].toFixed(2), p90_us: +us[Math.floor(us.length * 0.9)].toFixed(2) });
  }
}
console.table(rows);

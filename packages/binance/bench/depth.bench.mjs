// Per depth event: parse + apply + publish (copy top 20 levels) on a 5000-level book; events/s on one core and
// GC events during the timed loop. Compares the hand-written scanner on the received bytes (what the collector
// does) and on text with a JSON.parse baseline.
// Frames are real BTCUSDT depth@100ms events from ../shared/data/binance-spot (the book is preloaded with 5000
// levels per side around the same prices, so inserts and removals shift realistic amounts).
// Run: npx tsc -b packages/binance && node packages/binance/bench/depth.bench.mjs [seconds per case]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { PerformanceObserver } from 'node:perf_hooks';
import { FrameKind, FrameParser, OrderBook, DepthLevels, parseFixed8 } from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 2);
const here = dirname(fileURLToPath(import.meta.url));
const text = gunzipSync(readFileSync(join(here, '../../../../shared/data/binance-spot/btcusdt_20240808.gz'))).toString();
const frames = [];
const frameBytes = new Map();
for (const line of text.split('\n')) {
  const at = line.indexOf(' ');
  // A fresh flat string per frame, as ws's Buffer#toString gives (slices of one big string read slower).
  if (at > 0 && line.startsWith('{"stream":"btcusdt@depth', at + 1)) {
    const bytes = Buffer.from(line.slice(at + 1));
    frames.push(bytes.toString());
    frameBytes.set(frames[frames.length - 1], bytes);
  }
}
// The cases get the frame's text; the byte cases look up its Buffer, as ws delivers it (the Map lookup is timed too).
const avgLevels = frames.reduce((n, f) => n + (f.match(/\],\[/g)?.length ?? 0) + 2, 0) / frames.length;

function freshBook() {
  const book = new OrderBook('BTCUSDT');
  const b = new DepthLevels(5000), a = new DepthLevels(5000);
  const mid = 6_183_763_000_000, tick = 1_000_000;
  for (let i = 0; i < 5000; i++) { b.push(mid - i * tick * 3, 100_000 + i); a.push(mid + tick + i * tick * 3, 100_000 + i); }
  book.loadSnapshot(b, a, 1);
  return book;
}

const topPrices = new Float64Array(20), topQtys = new Float64Array(20);
let checksum = 0;
function publish(book) {
  const n = book.bids.copyTop(20, topPrices, topQtys) + book.asks.copyTop(20, topPrices, topQtys);
  checksum += n + topPrices[0];
}

const scanner = new FrameParser();
const cases = {
  'scanner on bytes: parse+apply+publish': (book, frame) => {
    if (scanner.parseBytes(frameBytes.get(frame)) !== FrameKind.DEPTH) throw new Error(scanner.error);
    const d = scanner.depth;
    book.applyLevels(d.bids, d.asks, d.finalUpdateId);
    publish(book);
  },
  // What the collector does: the best 20 levels first, published, then the rest of the diff (OrderBook.applyTop).
  'scanner on bytes: parse+top first+publish+rest': (book, frame) => {
    if (scanner.parseBytes(frameBytes.get(frame)) !== FrameKind.DEPTH) throw new Error(scanner.error);
    const d = scanner.depth;
    book.applyTop(d.bids, d.asks, d.finalUpdateId, 20);
    publish(book);
    book.applyRest(d.bids, d.asks);
  },
  'scanner on text: parse+apply+publish': (book, frame) => {
    if (scanner.parse(frame) !== FrameKind.DEPTH) throw new Error(scanner.error);
    const d = scanner.depth;
    book.applyLevels(d.bids, d.asks, d.finalUpdateId);
    publish(book);
  },
  'JSON.parse baseline: parse+apply+publish': (() => {
    const bids = new DepthLevels(), asks = new DepthLevels();
    return (book, frame) => {
      const d = JSON.parse(frame).data;
      bids.count = asks.count = 0;
      for (const [p, q] of d.b) bids.push(parseFixed8(p), parseFixed8(q));
      for (const [p, q] of d.a) asks.push(parseFixed8(p), parseFixed8(q));
      book.applyLevels(bids, asks, d.u);
      publish(book);
    };
  })(),
  'scanner on bytes: parse only': (_book, frame) => { scanner.parseBytes(frameBytes.get(frame)); checksum += scanner.depth.bids.count; },
  'scanner on text: parse only': (_book, frame) => { scanner.parse(frame); checksum += scanner.depth.bids.count; },
  'ws delivery as shipped before (Buffer → string)': (_book, frame) => { checksum += frameBytes.get(frame).toString('utf8').length; },
  'JSON.parse + parseFixed8: parse only': (_book, frame) => {
    const d = JSON.parse(frame).data;
    for (const [p, q] of d.b) checksum += parseFixed8(p) + parseFixed8(q);
    for (const [p, q] of d.a) checksum += parseFixed8(p) + parseFixed8(q);
  },
};

let gcCount = 0, gcMs = 0;
const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) { gcCount++; gcMs += e.duration; } });
obs.observe({ entryTypes: ['gc'] });

console.log(`${frames.length} real depth frames, ${avgLevels.toFixed(1)} levels per frame on average; book 5000 levels/side`);
for (const [name, fn] of Object.entries(cases)) {
  let book = freshBook();
  for (let i = 0; i < 20_000; i++) fn(book, frames[i % frames.length]); // warm-up
  book = freshBook();
  await new Promise((r) => setTimeout(r, 50));
  gcCount = 0; gcMs = 0;
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(Math.round(seconds * 1e9));
  let n = 0;
  for (;;) {
    for (let k = 0; k < 1000; k++) fn(book, frames[(n + k) % frames.length]);
    n += 1000;
    if (process.hrtime.bigint() >= deadline) break;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  await new Promise((r) => setTimeout(r, 50)); // let the GC observer deliver
  const rate = n / (ns / 1e9);
  console.log(`${name.padEnd(42)} ${(ns / n).toFixed(0).padStart(6)} ns/event  ${Math.round(rate).toLocaleString('en-US').padStart(10)} events/s  ` +
    `GC ${gcCount} (${gcMs.toFixed(1)} ms)  heap Δ ${((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1)} MB  book ${book.bids.count}/${book.asks.count}`);
}
obs.disconnect();
if (checksum === 42) console.log('');

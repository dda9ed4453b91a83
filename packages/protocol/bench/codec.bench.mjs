// Encode + decode ns per message for every template, and GC events during the timed loops.
// Run: npx tsc -b packages/protocol && node packages/protocol/bench/codec.bench.mjs [iterations]
import { PerformanceObserver } from 'node:perf_hooks';
import { AtomicBuffer } from '@mm/agrona';
import * as P from '../dist/index.js';

const iterations = Number(process.argv[2] ?? 1_000_000);
const buffer = AtomicBuffer.allocate(4096);
const symbol = P.symbolBytes('BTCUSDT');
const sinkBox = new Float64Array(1);

const cases = {
  BookSnapshot20: [new P.BookSnapshotEncoder(), new P.BookSnapshotDecoder(), (e, i) => {
    e.wrap(buffer, 0).sequence(i).recvTimeNs(i).eventTimeNs(1_732_190_400_123, i % 1_000_000).firstUpdateId(i)
      .lastUpdateId(i + 1).symbolBytes(symbol).levelCounts(20, 20);
    for (let l = 0; l < 20; l++) { e.bid(l, 6_500_000_000_000 - l, 100 + l); e.ask(l, 6_500_000_000_001 + l, 100 + l); }
  }, (d) => { sinkBox[0] += d.lastUpdateId() + d.eventTimeMs(); for (let l = 0; l < d.bidCount(); l++) sinkBox[0] += d.bidPrice(l) + d.askQty(l); }],
  Trade: [new P.TradeEncoder(), new P.TradeDecoder(), (e, i) => {
    e.wrap(buffer, 0).sequence(i).recvTimeNs(i).tradeTimeNs(1_732_190_400_123, 5).tradeId(i).price(6_500_000_000_000)
      .qty(1500).symbolBytes(symbol).aggressorSide(1);
  }, (d) => { sinkBox[0] += d.price() + d.qty() + d.tradeTimeMs() + d.aggressorSide(); }],
  Pricing: [new P.PricingEncoder(), new P.PricingDecoder(), (e, i) => {
    e.wrap(buffer, 0).sequence(i).recvTimeNs(i).publishTimeNs(i).bookAgeNs(10).bestBidPrice(1).bestBidQty(2)
      .bestAskPrice(3).bestAskQty(4).mid(1.5).weightedMid(1.6).microPrice(1.55).fairValue(1.55).sigma(0.1)
      .variance(0.01).drift(0.001).ofiDrift(0.0005).tradeFlowDrift(0.0005).ofi(1).tradeFlow(2).volSamples(100)
      .microSamples(100).symbolBytes(symbol).flags(31).fairValueMethod(2).fairValueSource(2);
  }, (d) => { sinkBox[0] += d.fairValue() + d.sigma() + d.bestBidPrice() + d.flags(); }],
  Quote: [new P.QuoteEncoder(), new P.QuoteDecoder(), (e, i) => {
    e.wrap(buffer, 0).sequence(i).recvTimeNs(i).quoteId(i).sendTimeNs(i).bidPrice(1).bidQty(2).askPrice(3).askQty(4)
      .symbolBytes(symbol).venue(1);
  }, (d) => { sinkBox[0] += d.bidPrice() + d.askPrice() + d.quoteId(); }],
  Fill: [new P.FillEncoder(), new P.FillDecoder(), (e, i) => {
    e.wrap(buffer, 0).sequence(i).recvTimeNs(i).fillId(i).orderId(i).price(1).qty(2).fee(-3).fillTimeNs(i)
      .symbolBytes(symbol).venue(1).side(1).liquidity(1);
  }, (d) => { sinkBox[0] += d.fillId() + d.price() + d.fee(); }],
  Heartbeat: [new P.HeartbeatEncoder(), new P.HeartbeatDecoder(), (e, i) => {
    e.wrap(buffer, 0).sequence(i).timeNs(i).uptimeNs(i).messagesIn(i).messagesOut(i).errors(0).pid(1).instanceId(1)
      .service('mm_pricing').state(3).reason('live');
  }, (d) => { sinkBox[0] += d.messagesIn() + d.state(); }],
};

let gcCount = 0;
const obs = new PerformanceObserver((list) => { gcCount += list.getEntries().length; });
obs.observe({ entryTypes: ['gc'] });

const flushObserver = () => new Promise((r) => setImmediate(r));
console.log(`node ${process.version}, ${iterations} iterations per template (encode + check + decode)`);
for (const [name, [encoder, decoder, encode, decode]] of Object.entries(cases)) {
  for (let i = 0; i < 100_000; i++) { encode(encoder, i); decoder.wrapChecked(buffer, 0, encoder.encodedLength()); decode(decoder); }
  await flushObserver();
  const gcBefore = gcCount;
  const heapBefore = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    encode(encoder, i);
    if (decoder.wrapChecked(buffer, 0, encoder.encodedLength()) !== 0) throw new Error('decode failed');
    decode(decoder);
  }
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  const heapDelta = process.memoryUsage().heapUsed - heapBefore;
  await flushObserver();
  // heap growth is only meaningful when no GC ran during the loop.
  console.log(`${name.padEnd(16)} ${ns.toFixed(1).padStart(7)} ns/msg   gc events: ${gcCount - gcBefore}` +
    `   heap growth: ${(heapDelta / iterations).toFixed(2)} B/msg`);
}
{
  // Decimal → fixed point, as the collector parses every Binance price and quantity.
  const texts = ['65000.12000000', '0.00150000', '98765.43210987', '1.00000000'];
  const bytes = texts.map((t) => Uint8Array.from(t, (c) => c.charCodeAt(0)));
  for (let i = 0; i < 200_000; i++) sinkBox[0] += P.tryParseFixed8(texts[i & 3]) + P.tryParseFixed8Bytes(bytes[i & 3], 0, bytes[i & 3].length);
  await flushObserver();
  const gcBefore = gcCount;
  let start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sinkBox[0] += P.tryParseFixed8(texts[i & 3]);
  const nsString = Number(process.hrtime.bigint() - start) / iterations;
  start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) { const b = bytes[i & 3]; sinkBox[0] += P.tryParseFixed8Bytes(b, 0, b.length); }
  const nsBytes = Number(process.hrtime.bigint() - start) / iterations;
  await flushObserver();
  console.log(`${'toFixed8 string'.padEnd(16)} ${nsString.toFixed(1).padStart(7)} ns/parse   bytes: ${nsBytes.toFixed(1)} ns/parse   gc events: ${gcCount - gcBefore}`);
}
obs.disconnect();
if (sinkBox[0] === 42) console.log('');

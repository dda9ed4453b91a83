// Ping-pong round trip between two processes over the product media driver (IPC, 32 B messages): the ping side
// (this process) sends one message, waits for the echo from pong.mjs, and records the round trip time.
// Reports p50/p99/p99.9/max in microseconds after a warm-up from an HDR histogram (Node's perf_hooks
// createHistogram, HdrHistogram with 3 significant digits, ns resolution), and the ping side's garbage collections.
// Run: npx tsc -b services/aeronmd packages/aeron-client && node packages/aeron-client/bench/pingpong.bench.mjs [roundTrips]
import { createHistogram } from 'node:perf_hooks';
import { AtomicBuffer } from '@mm/agrona';
import { Aeron, Context } from '../dist/index.js';
import { gcCounter, spawnChild, startDriver } from './common.mjs';

const measured = Number(process.argv[2] ?? 200_000);
const warmup = 20_000;
const total = warmup + measured;
const driver = await startDriver();
let result;
try {
  const aeron = await Aeron.connect(new Context({ aeronDir: driver.aeronDir }));
  const pongSub = await aeron.addSubscription('aeron:ipc', 2002);
  const pingPub = await aeron.addExclusivePublication('aeron:ipc', 2001);
  const pong = spawnChild('pong.mjs', [driver.aeronDir, 2001, 2002, total]);
  await pong.json((o) => o.ready === true);
  while (!pingPub.isConnected() || pongSub.imageCount() === 0) { aeron.doWork(); await new Promise((r) => setTimeout(r, 1)); }
  const buffer = AtomicBuffer.allocate(32);
  const rtt = createHistogram({ lowest: 1, highest: 60e9, figures: 3 });
  let received = 0;
  const handler = () => { received++; };
  const gc = await gcCounter();
  for (let i = 0; i < total; i++) {
    buffer.putInt32(0, i);
    const start = performance.now();
    while (pingPub.offer(buffer, 0, 32) < 0) { /* retry */ }
    const target = received + 1;
    while (received < target) pongSub.poll(handler, 1);
    if (i >= warmup) rtt.record(Math.max(1, Math.round((performance.now() - start) * 1e6)));
    if ((i & 0xfff) === 0) aeron.doWork();
  }
  await gc.settle();
  const gcEvents = gc.count;
  await pong.json((o) => o.done === true);
  aeron.close();
  const pct = (p) => Math.round(rtt.percentile(p) / 10) / 100;
  result = { roundTrips: rtt.count, p50us: pct(50), p99us: pct(99), p999us: pct(99.9), maxUs: Math.round(rtt.max / 1000), gcEvents };
} finally {
  await driver.stop();
}
console.table([result]);
console.log(JSON.stringify({ bench: 'aeron-ipc-pingpong', node: process.version, result }));

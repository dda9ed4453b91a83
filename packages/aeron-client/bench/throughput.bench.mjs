// Throughput, publisher and subscriber in separate processes over the product media driver (IPC, 16 MiB terms):
// 32 B and 256 B messages, exclusive publication, msgs/s at the subscriber (first to last message) and at the
// publisher, and the garbage collections each process made while measuring. Target: >= 10 M msg/s at 32 B.
// Run: npx tsc -b services/aeronmd packages/aeron-client && node packages/aeron-client/bench/throughput.bench.mjs [messages]
// BENCH_AERON_DIR=<dir> uses an already running driver instead (e.g. Aeron's C aeronmd).
import { spawnChild, startDriver } from './common.mjs';

const count = Number(process.argv[2] ?? 20_000_000);
const driver = await startDriver();
const results = [];
try {
  for (const [i, length] of [32, 256].entries()) {
    const streamId = 1000 + i;
    const sub = spawnChild('throughput-sub.mjs', [driver.aeronDir, streamId, count]);
    await sub.json((o) => o.ready === true);
    const pub = spawnChild('throughput-pub.mjs', [driver.aeronDir, streamId, count, length]);
    const s = await sub.json((o) => o.done === true);
    const p = await pub.json((o) => o.done === true);
    await Promise.all([sub.exited, pub.exited]);
    results.push({ length, messages: count, subMsgsPerSec: s.msgsPerSec, pubMsgsPerSec: p.msgsPerSec,
      MBps: Math.round((s.msgsPerSec * length) / 1e6), sequenceErrors: s.errors, backPressured: p.backPressured, pubGcEvents: p.gcEvents, subGcEvents: s.gcEvents });
  }
} finally {
  await driver.stop();
}
console.table(results);
console.log(JSON.stringify({ bench: 'aeron-ipc-throughput', node: process.version, results }));

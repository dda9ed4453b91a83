// Child: waits for a subscriber, then offers `count` messages of `length` bytes as fast as it can (exclusive
// publication, busy retry on back pressure), printing the offer rate.
import { Aeron, Context } from '../dist/index.js';
import { AtomicBuffer } from '@mm/agrona';
import { gcCounter } from './common.mjs';

const [aeronDir, streamId, countArg, lengthArg] = process.argv.slice(2);
const count = Number(countArg);
const length = Number(lengthArg);
const aeron = await Aeron.connect(new Context({ aeronDir }));
const pub = await aeron.addExclusivePublication('aeron:ipc', Number(streamId));
while (!pub.isConnected()) { aeron.doWork(); await new Promise((r) => setTimeout(r, 1)); }
const buffer = AtomicBuffer.allocate(length);
let backPressured = 0;
const gc = await gcCounter();
const start = process.hrtime.bigint();
for (let seq = 0; seq < count; ) {
  buffer.putInt32(0, seq);
  if (pub.offer(buffer, 0, length) > 0) seq++;
  else if ((++backPressured & 0xfffff) === 0) aeron.doWork();
}
const elapsedNs = Number(process.hrtime.bigint() - start);
await gc.settle();
console.log(JSON.stringify({ done: true, sent: count, backPressured, gcEvents: gc.count, elapsedNs, msgsPerSec: Math.round(count / (elapsedNs / 1e9)) }));
aeron.close();

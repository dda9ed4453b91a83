// Child: subscribes and counts `count` messages (checking the int32 sequence at offset 0), then prints the rate.
import { Aeron, Context } from '../dist/index.js';
import { gcCounter } from './common.mjs';

const [aeronDir, streamId, countArg] = process.argv.slice(2);
const count = Number(countArg);
const aeron = await Aeron.connect(new Context({ aeronDir }));
const sub = await aeron.addSubscription('aeron:ipc', Number(streamId));
console.log(JSON.stringify({ ready: true }));
let next = 0;
let errors = 0;
let first = 0n;
const handler = (buffer, offset) => {
  if (buffer.getInt32(offset) !== (next | 0)) errors++;
  next++;
};
let idle = 0;
const gc = await gcCounter();
while (next < count) {
  const n = sub.poll(handler, 4096);
  if (n === 0) {
    if ((++idle & 0xffff) === 0) aeron.doWork();
  } else if (first === 0n) {
    first = process.hrtime.bigint();
  }
}
const elapsedNs = Number(process.hrtime.bigint() - first);
await gc.settle();
console.log(JSON.stringify({ done: true, received: next, errors, gcEvents: gc.count, elapsedNs, msgsPerSec: Math.round(next / (elapsedNs / 1e9)) }));
aeron.close();

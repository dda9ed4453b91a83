// Child: echoes every message from stream `pingStream` back on `pongStream` (exclusive publication).
import { Aeron, Context } from '../dist/index.js';

const [aeronDir, pingStream, pongStream, countArg] = process.argv.slice(2);
const count = Number(countArg);
const aeron = await Aeron.connect(new Context({ aeronDir }));
const sub = await aeron.addSubscription('aeron:ipc', Number(pingStream));
const pub = await aeron.addExclusivePublication('aeron:ipc', Number(pongStream));
console.log(JSON.stringify({ ready: true }));
let echoed = 0;
const handler = (buffer, offset, length) => {
  while (pub.offer(buffer, offset, length) < 0) { /* retry: the ping side waits for each echo */ }
  echoed++;
};
let idle = 0;
while (echoed < count) {
  if (sub.poll(handler, 16) === 0 && (++idle & 0xffff) === 0) aeron.doWork();
}
console.log(JSON.stringify({ done: true, echoed }));
aeron.close();

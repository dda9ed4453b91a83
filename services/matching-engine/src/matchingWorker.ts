/**
 * A matching processor thread: runs one MatchingCore over its input ring and writes every decision to its output
 * ring, closing each message with END so the I/O thread can merge both processors into single-threaded order.
 * Parks with Atomics.wait when idle.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MatchingCore, type MatchListener } from '@mm/matching';
import { SpscRing } from './SpscRing.js';
import { In, Out, SEQ_F64, type WorkerInit } from './WorkerProtocol.js';

const init = workerData as WorkerInit;
const input = new SpscRing(init.inSab, init.capacity);
const output = new SpscRing(init.outSab, init.capacity);
const oi = output.i32;
const of = output.f64;

function claim(): number {
  let r = output.claim();
  while (r < 0) {
    output.parkProducer(1);
    r = output.claim();
  }
  return r;
}

class RingListener implements MatchListener {
  onAck(c: number, hi: number, lo: number, u: number, o: number): void {
    const r = claim();
    oi[r] = Out.ACK; oi[r + 1] = c; oi[r + 2] = hi; oi[r + 3] = lo; oi[r + 4] = u; oi[r + 5] = o;
    output.advance();
  }
  onCancelAck(c: number, owner: number, hi: number, lo: number, u: number, o: number): void {
    const r = claim();
    oi[r] = Out.CANCEL_ACK; oi[r + 1] = c; oi[r + 2] = hi; oi[r + 3] = lo; oi[r + 4] = u; oi[r + 5] = o; oi[r + 6] = owner;
    output.advance();
  }
  onTrade(hi: number, lo: number, bc: number, bu: number, bo: number, sc: number, su: number, so: number, p: number, q: number, aggr: number): void {
    const r = claim();
    oi[r] = Out.TRADE; oi[r + 1] = hi; oi[r + 2] = lo; oi[r + 3] = bc; oi[r + 4] = bu; oi[r + 5] = bo;
    oi[r + 6] = sc; oi[r + 7] = su; oi[r + 8] = so; oi[r + 9] = p; oi[r + 10] = q; oi[r + 11] = aggr;
    output.advance();
  }
  onTopOfBook(c: number, hi: number, lo: number, side: number, p: number, q: number): void {
    const r = claim();
    oi[r] = Out.TOP; oi[r + 1] = c; oi[r + 2] = hi; oi[r + 3] = lo; oi[r + 4] = side; oi[r + 5] = p;
    of[(r >> 1) + SEQ_F64] = q;
    output.advance();
  }
  onReject(c: number, hi: number, lo: number, u: number, o: number, reason: number): void {
    const r = claim();
    oi[r] = Out.REJECT; oi[r + 1] = c; oi[r + 2] = hi; oi[r + 3] = lo; oi[r + 4] = u; oi[r + 5] = o; oi[r + 6] = reason;
    output.advance();
  }
  onSweepBook(seq: number): void {
    const r = claim();
    oi[r] = Out.SWEEP_BOOK;
    of[(r >> 1) + SEQ_F64] = seq;
    output.advance();
  }
  onRelease(c: number, u: number, o: number): void {
    const r = claim();
    oi[r] = Out.RELEASE; oi[r + 1] = c; oi[r + 2] = u; oi[r + 3] = o;
    output.advance();
  }
}

const core = new MatchingCore(init.limits, new RingListener());
const ii = input.i32;
const ifl = input.f64;
const SPINS_BEFORE_PARK = 2000;

let running = true;
let idle = 0;
let sinceFlush = 0;
while (running) {
  const r = input.peek();
  if (r < 0) {
    if (++idle < SPINS_BEFORE_PARK) continue;
    input.parkConsumer(100);
    idle = 0;
    continue;
  }
  idle = 0;
  const seq = ifl[(r >> 1) + SEQ_F64];
  core.nextMessageSeq = seq;
  switch (ii[r]) {
    case In.NEW:
      core.newOrder(ii[r + 1], ii[r + 2] >>> 0, ii[r + 3] >>> 0, ii[r + 4] >>> 0, ii[r + 5] >>> 0, ii[r + 6] >>> 0, ii[r + 7] >>> 0, ii[r + 8], ii[r + 10]);
      break;
    case In.CANCEL:
      core.cancel(ii[r + 1], ii[r + 2] >>> 0, ii[r + 3] >>> 0, ii[r + 4] >>> 0, ii[r + 5] >>> 0, ii[r + 9] !== 0, ii[r + 10] !== 0);
      break;
    case In.FLUSH:
      core.flush(ii[r + 1]);
      break;
    case In.REJECT:
      core.reject(ii[r + 1], ii[r + 4] >>> 0, ii[r + 5] >>> 0, ii[r + 2] >>> 0, ii[r + 3] >>> 0, ii[r + 11]);
      break;
    case In.SWEEP_CLIENT:
      core.cancelClientOrders(ii[r + 1]);
      break;
    default:
      running = false;
  }
  input.release();
  const e = claim();
  oi[e] = Out.END;
  of[(e >> 1) + SEQ_F64] = seq;
  output.advance();
  // A message's output becomes visible at once with its END; a burst is published every 64 messages and when idle.
  if (++sinceFlush >= 64 || input.peek() < 0) {
    output.publish();
    sinceFlush = 0;
  }
}
output.publish();
parentPort?.postMessage('stopped');

/**
 * Per-stage latency tracing across processes: each process records (stage, key, time) triples into a preallocated
 * ring and writes it out when it exits, so a tick's path (collector frame → book → pricing → quote) can be followed
 * stage by stage. The key is the market event's receive time (`recvTimeNs`, carried by every message on the path),
 * so triples from different processes join on it; a stage that does not know the event yet (a wake-up) records 0.
 * Times are `SystemClock.nanoTime()` (CLOCK_MONOTONIC, comparable across processes).
 *
 * On only when `MM_TRACE_DIR` names a directory: then `<dir>/<process title>.<pid>.trace` receives the ring at exit
 * (little-endian float64 triples, oldest first; `packages/runtime/bench/traceReport.mjs` reads them). Off, `mark`
 * is one comparison. On, it allocates nothing per mark; the ring keeps the last `MM_TRACE_CAPACITY` (default 2^18)
 * marks. A process killed by SIGKILL writes nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from './Clock.js';

/** What a mark records; numbers are stable (they are in the files). */
export const Stage = {
  /** The collector has parsed and applied a depth event and starts publishing its book. */
  BOOK_APPLIED: 2,
  /** The book's `offer` (and the doorbell ring inside it) returned. */
  BOOK_OFFERED: 3,
  /** A runner's doorbell sleep ended by a ring (key 0). */
  WOKEN: 4,
  /** A runner starts a doorbell sleep (key 0). */
  PARKING: 5,
  /** Pricing's book handler starts. */
  PRICING_BOOK: 6,
  /** Pricing's `offer` of a fair value returned. */
  PRICING_OFFERED: 7,
  /** The strategy applies a pricing message. */
  STRATEGY_PRICING: 8,
  /** The strategy's `offer` of a quote returned. */
  QUOTE_OFFERED: 9,
  /** The strategy decided to quote (the quote is queued for the proxy's next flush). */
  STRATEGY_DECIDED: 10,
  /** A publisher's `offer` starts (key 0; RingingPublisher). */
  OFFER_START: 11,
  /** ... the inner offer returned, the doorbell ring starts (key: sleepers on the stream then). */
  RING_START: 12,
  /** ... the ring returned (key 0). */
  RING_DONE: 13,
  /** The collector's adapter has parsed a frame (any kind; before the book is touched). */
  FRAME_PARSED: 14,
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

export class StageTrace {
  private readonly ring: Float64Array;
  private readonly capacity: number;
  private next = 0;
  private readonly clock = new SystemClock();

  /** `capacity` 0: off. */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.ring = new Float64Array(capacity * 3);
  }

  /** While set, marks are dropped: work that runs the traced code on other data (the tick path's rehearsal). */
  muted = false;

  get enabled(): boolean {
    return this.capacity > 0;
  }

  mark(stage: Stage, key: number): void {
    if (this.capacity === 0 || this.muted) return;
    const i = (this.next % this.capacity) * 3;
    this.ring[i] = stage;
    this.ring[i + 1] = key;
    this.ring[i + 2] = this.clock.nanoTime();
    this.next++;
  }

  /** The marks recorded, oldest first, as triples (stage, key, timeNs). */
  snapshot(): Float64Array {
    const n = Math.min(this.next, this.capacity);
    const out = new Float64Array(n * 3);
    const start = this.next - n;
    for (let k = 0; k < n; k++) out.set(this.ring.subarray(((start + k) % this.capacity) * 3, ((start + k) % this.capacity) * 3 + 3), k * 3);
    return out;
  }

  writeTo(path: string): void {
    const s = this.snapshot();
    writeFileSync(path, new Uint8Array(s.buffer, s.byteOffset, s.byteLength));
  }
}

function fromEnv(env: NodeJS.ProcessEnv): StageTrace {
  const dir = env.MM_TRACE_DIR;
  if (!dir) return new StageTrace(0);
  const capacity = Number(env.MM_TRACE_CAPACITY ?? 2 ** 18);
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 24) {
    throw new RangeError(`MM_TRACE_CAPACITY must be an integer in [1, 16777216], got '${env.MM_TRACE_CAPACITY}'`);
  }
  const trace = new StageTrace(capacity);
  process.on('exit', () => {
    const name = (process.argv[1] ?? 'node').split('/').slice(-3).join('_').replace(/[^A-Za-z0-9_.-]/g, '_');
    try {
      trace.writeTo(join(dir, `${name}.${process.pid}.trace`));
    } catch (error) {
      process.stderr.write(`stage trace: cannot write to ${dir}: ${(error as Error).message}\n`);
    }
  });
  return trace;
}

/** This process's trace (off unless `MM_TRACE_DIR` is set). */
export const stageTrace: StageTrace = fromEnv(process.env);

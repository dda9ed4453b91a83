/**
 * The doorbell: a wake-up across the processes of one Aeron dir that costs nothing while nobody sleeps. A service
 * whose only input is Aeron parks by sleeping on a futex in shared memory instead of a timer, and whoever publishes
 * rings it, so a parked service wakes within the kernel's wake-up latency (tens of µs) instead of after a timer
 * (up to `max-park-ms`), and an idle service still costs one wake-up per `max-park-ms`.
 *
 * File `<aeronDir>/mm-doorbell` (a product file, not part of Aeron's layout: it works beside Aeron's C driver too,
 * which deletes the dir at its start, before any service opens this file), 768 bytes, zero-initialised:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                      sequence (int32, wraps)                  |  0: rung: +1, then futex-wake
 *   +---------------------------------------------------------------+
 *   |                 padding to the next cache line                |
 *   +---------------------------------------------------------------+
 *   |                      waiters (int32)                          | 64: sleepers announce themselves here
 *   +---------------------------------------------------------------+
 *   |                 padding to the next cache line                |
 *   +---------------------------------------------------------------+
 *   |               sleepers on bit 0 (int32)                       | 128: ... and on each bit they wait for
 *   |                          ...                                  |
 *   |               sleepers on bit 31 (int32)                      | 252
 *   +---------------------------------------------------------------+
 *   |   slot 0: pid (int32)         |   slot 0: bits asleep on      | 256: one slot per open bell (process-wide
 *   |                          ...                                  |      lifetime), 64 slots
 *   |   slot 63: pid                |   slot 63: bits               | 760
 *   +---------------------------------------------------------------+
 *
 * Protocol (no lost wake-up, all Atomics sequentially consistent):
 * - publisher on stream s, after a successful offer: `if (sleepers[bit(s)] !== 0) { sequence += 1; futexWake(sequence,
 *   all, bit(s)) }`: a single load while nobody sleeps on that stream (the wake system call costs 8–16 µs on this
 *   VM even when it wakes nobody, so a stream nobody sleeps on — quotes, heartbeats while only pricing sleeps —
 *   never makes it); a ring for every bit (`ALL_STREAMS`) reads `waiters` instead;
 * - sleeper reading streams S: `waiters += 1; sleepers[b] += 1 for b in bits(S); seen = sequence; <poll for work>;
 *   if none: futexWait(sequence, seen, timeout, bits(S)); then the same counts -= 1`. A publisher that read
 *   sleepers[bit(s)] = 0 published before the sleeper announced itself on that bit, so the sleeper's poll sees the
 *   message; one that read it > 0 bumps the sequence either before `seen` was read (the poll sees the message) or
 *   after (the futex wait returns at once, or the wake reaches it: its bits include the stream's).
 * - bit(s) = 1 << (s mod 32), a futex bitset: the collector's book (10) wakes pricing, not the strategy; pricing's
 *   fair value (14) wakes the strategy. Streams 32 apart share a bit (a spurious wake-up costs one duty cycle), and
 *   a sleeper that started its wait after someone else's ring returns at once (the sequence moved) — both harmless.
 * Dead sleepers: a sleeper killed inside its wait (SIGKILL; likely, since sleeping is what an idle service does)
 * leaves its counts above zero, and publishers on its streams would ring on every offer (a futex-wake system call that
 * finds nobody, 8–16 µs here) for as long as the dir lives. So each open bell holds a slot (its pid, claimed once) in
 * which it writes the bits it sleeps on, after raising the counts and cleared before lowering them: a slot's bits are
 * always counted. A sleeper whose wait timed out looks at most once a second (`reapDeadSleepers`) for slots of
 * processes that no longer exist and takes their bits off the counts (one reaper per slot, by compare-and-set of the
 * pid). Killed between the counts and the slot write, a sleeper still leaks its counts (a window of a few
 * instructions); a pid reused by a new process hides a dead slot until that process ends. Correctness never depends
 * on the counts being exact, only the cost of a ring. Creation is race-free (a fully initialised file is hard-linked
 * into place; the loser of a race maps the winner's file).
 */
import { linkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { FUTEX_BITSET_ALL, FutexResult, MappedFile, futexWait, futexWake } from '@mm/agrona';
import { processExists } from './processExists.js';

export const DOORBELL_FILE = 'mm-doorbell';
const SEQUENCE_OFFSET = 0;
const WAITERS_OFFSET = 64;
const SLEEPERS_OFFSET = 128;
const SLOTS_OFFSET = 256;
export const DOORBELL_SLOTS = 64;
export const DOORBELL_LENGTH = SLOTS_OFFSET + DOORBELL_SLOTS * 8;
const SEQUENCE_INDEX = SEQUENCE_OFFSET / 4;
const WAITERS_INDEX = WAITERS_OFFSET / 4;
const SLEEPERS_INDEX = SLEEPERS_OFFSET / 4;
const SLOTS_INDEX = SLOTS_OFFSET / 4;
/** A slot's pid while a reaper takes a dead sleeper's bits off the counts. */
const REAPING = -1;
const WAKE_ALL = 0x7fffffff;
const REAP_INTERVAL_MS = 1000;

/** The doorbell bit of a stream: what a publisher on it rings and a subscriber to it waits for. */
export function streamBit(streamId: number): number {
  return 1 << (streamId & 31);
}

/** Every bit: a sleeper that wants every ring (or does not know its streams). */
export const ALL_STREAMS = FUTEX_BITSET_ALL;
/** `park` result: the bell rang (the sleep ended early, or did not start because it had already rung). */
export const RUNG = -1;

export class Doorbell {
  private readonly words: Int32Array;
  private closed = false;
  private pendingBits = 0;
  /** Index (in int32 words) of this bell's slot, or -1 (none claimed yet, or every slot taken). */
  private slot = -1;
  private slotTried = false;
  private nextReapMs = 0;

  private constructor(
    /** `<aeronDir>/mm-doorbell` */
    readonly path: string,
    private readonly file: MappedFile,
  ) {
    this.words = file.buffer.i32;
  }

  /** Opens (creating on first use) the bell of an Aeron dir. Throws an Error naming the file when it cannot. */
  static open(aeronDir: string): Doorbell {
    const path = join(aeronDir, DOORBELL_FILE);
    let file: MappedFile;
    try {
      file = MappedFile.map(path);
    } catch (error) {
      if (!/ENOENT|No such file/.test((error as Error).message)) throw error;
      file = Doorbell.create(path);
    }
    if (file.length < DOORBELL_LENGTH) {
      file.close();
      throw new Error(`doorbell ${path}: ${file.length} bytes, expected ${DOORBELL_LENGTH} (not a doorbell file, or one an older version made: restarting the media driver makes a new dir)`);
    }
    return new Doorbell(path, file);
  }

  private static create(path: string): MappedFile {
    const tmp = `${path}.${process.pid}.${Math.floor(Math.random() * 1e9)}`;
    const file = MappedFile.create(tmp, DOORBELL_LENGTH);
    try {
      linkSync(tmp, path);
      return file;
    } catch (error) {
      file.close();
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return MappedFile.map(path);
    } finally {
      unlinkSync(tmp);
    }
  }

  /** Current sequence (diagnostics and tests). */
  get sequence(): number {
    return Atomics.load(this.words, SEQUENCE_INDEX);
  }

  /** Processes currently asleep on the bell (diagnostics and tests). */
  get waiters(): number {
    return Atomics.load(this.words, WAITERS_INDEX);
  }

  /** Processes currently asleep waiting for this stream's bit (diagnostics and tests). */
  sleepersOn(streamId: number): number {
    return Atomics.load(this.words, SLEEPERS_INDEX + (streamId & 31));
  }

  /**
   * After a publication: wakes the sleepers waiting for these stream bits (`streamBit`; default every sleeper), at
   * the cost of a load per bit when nobody sleeps on them.
   */
  ring(bits: number = ALL_STREAMS): void {
    if (this.closed || !this.anyoneWaitsFor(bits)) return;
    Atomics.add(this.words, SEQUENCE_INDEX, 1);
    futexWake(this.file, SEQUENCE_OFFSET, WAKE_ALL, bits);
  }

  private anyoneWaitsFor(bits: number): boolean {
    if (bits === ALL_STREAMS) return Atomics.load(this.words, WAITERS_INDEX) !== 0;
    for (let rest = bits; rest !== 0; rest &= rest - 1) {
      if (Atomics.load(this.words, SLEEPERS_INDEX + 31 - Math.clz32(rest & -rest)) !== 0) return true;
    }
    return false;
  }

  /** Adds `delta` to the sleeper count of every bit in `bits`. */
  private announce(bits: number, delta: number): void {
    for (let rest = bits; rest !== 0; rest &= rest - 1) Atomics.add(this.words, SLEEPERS_INDEX + 31 - Math.clz32(rest & -rest), delta);
  }

  /** For a publication committed later (a `tryClaim`): `ringIfPending()` (each duty cycle) rings then. */
  ringLater(bits: number): void {
    this.pendingBits |= bits;
  }

  ringIfPending(): number {
    if (this.pendingBits !== 0) {
      const bits = this.pendingBits;
      this.pendingBits = 0;
      this.ring(bits);
    }
    return 0;
  }

  /**
   * Sleeps until a ring meeting `bits` (the streams read; 0 or default: any ring) or `timeoutNs` passed, unless
   * `hasWork()` (called after announcing, so nothing rung meanwhile is missed) finds something to do. Returns what
   * `hasWork()` returned when > 0 (no sleep), else `RUNG` (-1: the bell rang while or before sleeping) or 0 (the
   * timeout passed).
   */
  park(timeoutNs: number, hasWork: () => number, bits: number = ALL_STREAMS): number {
    if (this.closed) return hasWork();
    const waitBits = bits === 0 ? ALL_STREAMS : bits;
    const slot = this.slotTried ? this.slot : this.claimSlot();
    const w = this.words;
    Atomics.add(w, WAITERS_INDEX, 1);
    this.announce(waitBits, 1);
    if (slot >= 0) Atomics.store(w, slot + 1, waitBits);
    let timedOut = false;
    try {
      const seen = Atomics.load(w, SEQUENCE_INDEX);
      const work = hasWork();
      if (work !== 0 || timeoutNs <= 0) return work;
      timedOut = futexWait(this.file, SEQUENCE_OFFSET, seen, timeoutNs, waitBits) === FutexResult.TIMED_OUT;
      return timedOut ? 0 : RUNG;
    } finally {
      if (slot >= 0) Atomics.store(w, slot + 1, 0);
      this.announce(waitBits, -1);
      Atomics.sub(w, WAITERS_INDEX, 1);
      // An idle moment (nobody rang for a whole park): the time to look for dead sleepers.
      if (timedOut && performance.now() >= this.nextReapMs) {
        this.nextReapMs = performance.now() + REAP_INTERVAL_MS;
        this.reapDeadSleepers();
      }
    }
  }

  /** Claims a free slot for this bell (once); -1 when all are taken (then its sleeps cannot be reaped). */
  private claimSlot(): number {
    this.slotTried = true;
    for (let i = 0; i < DOORBELL_SLOTS; i++) {
      const index = SLOTS_INDEX + i * 2;
      if (Atomics.compareExchange(this.words, index, 0, process.pid) === 0) {
        Atomics.store(this.words, index + 1, 0);
        this.slot = index;
        return index;
      }
    }
    return -1;
  }

  /**
   * Takes the bits of sleepers whose process no longer exists off the counts and frees their slots. Returns how many
   * slots were reaped. Called by `park` at most once a second; public for tests and tools.
   */
  reapDeadSleepers(): number {
    if (this.closed) return 0;
    const w = this.words;
    let reaped = 0;
    for (let i = 0; i < DOORBELL_SLOTS; i++) {
      const index = SLOTS_INDEX + i * 2;
      const pid = Atomics.load(w, index);
      if (pid <= 0 || pid === process.pid || processExists(pid)) continue;
      if (Atomics.compareExchange(w, index, pid, REAPING) !== pid) continue;
      const bits = Atomics.exchange(w, index + 1, 0);
      if (bits !== 0) {
        this.announce(bits, -1);
        Atomics.sub(w, WAITERS_INDEX, 1);
      }
      Atomics.store(w, index, 0);
      reaped++;
    }
    return reaped;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.slot >= 0) Atomics.compareExchange(this.words, this.slot, process.pid, 0);
    this.file.close();
  }
}

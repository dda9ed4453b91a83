/**
 * Futex wait/wake on a 32-bit word of a mapped file (`MappedFile`), across processes: the kernel primitive under a
 * wake-up that costs nothing while idle. `Atomics.wait` cannot do this: it needs a SharedArrayBuffer and only wakes
 * threads of the same process; a MAP_SHARED file page is what another process can share.
 *
 * Invariants and limits:
 * - Linux only (the addon calls futex(2) with shared, non-PRIVATE operations keyed on the file page).
 * - `byteOffset` is a multiple of 4 inside the mapping; anything else throws a RangeError (misuse, not a hot-path
 *   condition). A wait blocks the calling thread for at most `timeoutNs`: callers bound it.
 * - A wait may return WOKEN without a matching wake (a signal interrupted it); callers re-check their condition.
 * - `bitset` (32 bits as an int32, non-zero; default all): a wake reaches only waiters whose bitset intersects its
 *   own, so one word can serve several kinds of event (the doorbell: one bit per stream).
 * - Neither call allocates: results are small integers.
 */
import { createRequire } from 'node:module';
import type { MappedFile } from './MappedFile.js';

export const FutexResult = { WOKEN: 0, TIMED_OUT: 1, NOT_EQUAL: 2 } as const;
export type FutexResult = (typeof FutexResult)[keyof typeof FutexResult];

interface FutexAddon {
  futexWait(buffer: ArrayBuffer, byteOffset: number, expected: number, timeoutNs: number, bitset?: number): FutexResult;
  futexWake(buffer: ArrayBuffer, byteOffset: number, count: number, bitset?: number): number;
}

let addon: FutexAddon | undefined;

function loadAddon(): FutexAddon {
  if (addon === undefined) {
    const require = createRequire(import.meta.url);
    let loaded: Partial<FutexAddon>;
    try {
      loaded = require('../native/build/Release/mm_mmap.node') as Partial<FutexAddon>;
    } catch (e) {
      throw new Error(`@mm/agrona: the native addon is not built (run \`node native/build.mjs\` in packages/agrona): ${(e as Error).message}`);
    }
    if (typeof loaded.futexWait !== 'function' || typeof loaded.futexWake !== 'function') {
      throw new Error('@mm/agrona: the native addon predates futexWait/futexWake (rebuild: MM_FORCE_NATIVE_BUILD=1 node native/build.mjs)');
    }
    addon = loaded as FutexAddon;
  }
  return addon;
}

/** True when the addon with the futex calls can be loaded (callers fall back to timers otherwise). */
export function futexAvailable(): boolean {
  try {
    loadAddon();
    return true;
  } catch {
    return false;
  }
}

function arrayBufferOf(file: MappedFile): ArrayBuffer {
  return file.buffer.buffer as ArrayBuffer;
}

/** All bits: wait for, or wake, everybody. */
export const FUTEX_BITSET_ALL = -1;

/** Sleeps while the int32 at `byteOffset` holds `expected`, for at most `timeoutNs` (0 = check only). */
export function futexWait(file: MappedFile, byteOffset: number, expected: number, timeoutNs: number, bitset = FUTEX_BITSET_ALL): FutexResult {
  return loadAddon().futexWait(arrayBufferOf(file), byteOffset, expected, timeoutNs, bitset);
}

/** Wakes up to `count` waiters on the int32 at `byteOffset` (in any process) whose bitset meets `bitset`. */
export function futexWake(file: MappedFile, byteOffset: number, count: number, bitset = FUTEX_BITSET_ALL): number {
  return loadAddon().futexWake(arrayBufferOf(file), byteOffset, count, bitset);
}

/**
 * The scheduling policy of the calling thread (the JavaScript thread): a latency-critical service runs under
 * SCHED_FIFO so that, woken (the doorbell), it runs at once rather than waiting for the slice of an ordinary task
 * on the CPU it was woken onto. Measured on a 2-vCPU VM: the woken service's wait behind other tasks was most of
 * each hop (BENCHMARKS.md, "Tick → quote").
 *
 * Invariants and limits:
 * - Linux only, through the native addon (`packages/agrona/native/sched.c`); the calling thread only (V8's helper
 *   threads and libuv's pool keep theirs).
 * - 'other' takes priority 0; 'fifo' and 'rr' take 1..99 (misuse is a RangeError).
 * - A real-time thread that never sleeps starves ordinary tasks on its CPU (the kernel's RT throttling leaves them
 *   5 % by default): only for services that sleep when idle (the doorbell) and whose bursts are short.
 * - The kernel refuses real-time policies without CAP_SYS_NICE (or an RLIMIT_RTPRIO allowance):
 *   `setThreadScheduling` then throws an Error saying so; the caller decides whether that is fatal.
 */
import { createRequire } from 'node:module';

export type SchedulingPolicy = 'other' | 'fifo' | 'rr';
export const SCHEDULING_POLICIES: readonly SchedulingPolicy[] = ['other', 'fifo', 'rr'];

export interface ThreadScheduling {
  readonly policy: SchedulingPolicy;
  readonly priority: number;
}

interface SchedAddon {
  setThreadScheduler(policy: number, priority: number): number;
  threadScheduler(): number;
}

let addon: SchedAddon | undefined;

function loadAddon(): SchedAddon {
  if (addon === undefined) {
    const require = createRequire(import.meta.url);
    let loaded: Partial<SchedAddon>;
    try {
      loaded = require('../native/build/Release/mm_mmap.node') as Partial<SchedAddon>;
    } catch (e) {
      throw new Error(`@mm/agrona: the native addon is not built (run \`node native/build.mjs\` in packages/agrona): ${(e as Error).message}`);
    }
    if (typeof loaded.setThreadScheduler !== 'function' || typeof loaded.threadScheduler !== 'function') {
      throw new Error('@mm/agrona: the native addon predates thread scheduling (rebuild: MM_FORCE_NATIVE_BUILD=1 node native/build.mjs)');
    }
    addon = loaded as SchedAddon;
  }
  return addon;
}

const ERRNO: Record<number, string> = { 1: 'EPERM', 3: 'ESRCH', 22: 'EINVAL' };

/** Sets the calling thread's policy; throws an Error naming the policy and the kernel's refusal. */
export function setThreadScheduling(policy: SchedulingPolicy, priority: number): void {
  const index = SCHEDULING_POLICIES.indexOf(policy);
  if (index < 0) throw new RangeError(`scheduling policy must be one of ${SCHEDULING_POLICIES.join(', ')}, got '${String(policy)}'`);
  const valid = policy === 'other' ? priority === 0 : Number.isInteger(priority) && priority >= 1 && priority <= 99;
  if (!valid) throw new RangeError(`scheduling priority for '${policy}' must be ${policy === 'other' ? '0' : 'an integer in 1..99'}, got ${priority}`);
  const errno = loadAddon().setThreadScheduler(index, priority);
  if (errno !== 0) {
    const name = ERRNO[errno] ?? `errno ${errno}`;
    const hint = errno === 1 ? ' (real-time policies need CAP_SYS_NICE or an RLIMIT_RTPRIO allowance)' : '';
    throw new Error(`cannot set scheduling policy ${policy} priority ${priority}: ${name}${hint}`);
  }
}

/** The calling thread's policy and priority (`undefined` policy: one this module does not set, e.g. SCHED_BATCH). */
export function threadScheduling(): ThreadScheduling | undefined {
  const v = loadAddon().threadScheduler();
  if (v < 0) return undefined;
  return { policy: SCHEDULING_POLICIES[Math.floor(v / 1000)]!, priority: v % 1000 };
}

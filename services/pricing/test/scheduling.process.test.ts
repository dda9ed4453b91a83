import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService } from '@mm/test-support';

/**
 * `[runtime.scheduling]` reaches the service's thread: pricing started with policy fifo priority 7 runs its
 * JavaScript thread (the process's main thread, tid = pid) under SCHED_FIFO 7 where the kernel allows it (root or
 * CAP_SYS_NICE), and otherwise says why in its log and keeps running under the ordinary policy.
 */
describe('pricing under [runtime.scheduling]', () => {
  afterEach(async () => {
    await killAll();
    removeTempDirs();
  });

  it('runs its thread under SCHED_FIFO at the configured priority, or warns and runs on', async () => {
    const sys = createTestSystem({}, ['BTCUSDT']);
    Object.assign(sys.env, { MM_PRICING__RUNTIME__SCHEDULING__POLICY: 'fifo', MM_PRICING__RUNTIME__SCHEDULING__PRIORITY: '7' });
    await startDriver(sys);
    const proc = startService(sys, 'pricing');
    await proc.waitForLine(/pricing running"/, 30_000);
    // /proc/<pid>/stat after the command: field 40 is rt_priority, 41 the policy (1 = SCHED_FIFO).
    const fields = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const [rtPriority, policy] = [Number(fields[37]), Number(fields[38])];
    if (process.getuid?.() === 0) {
      expect(proc.output()).toContain('scheduling policy fifo priority 7');
      expect([policy, rtPriority]).toEqual([1, 7]);
    } else {
      expect(proc.output()).toMatch(/cannot set scheduling policy fifo priority 7: EPERM.*running under the default policy/);
      expect([policy, rtPriority]).toEqual([0, 0]);
    }
  });
});

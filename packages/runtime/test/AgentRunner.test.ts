import { describe, expect, it } from 'vitest';
import { AgentRunner } from '../src/AgentRunner.js';
import { BackoffIdleStrategy, IdleAction } from '../src/IdleStrategy.js';

describe('BackoffIdleStrategy', () => {
  it('spins, then yields, then parks with doubling up to the maximum, and resets on work', () => {
    const s = new BackoffIdleStrategy({ maxSpins: 2, maxYields: 1, minParkMs: 1, maxParkMs: 4 });
    expect([s.idle(0), s.idle(0), s.idle(0), s.idle(0)]).toEqual([IdleAction.SPIN, IdleAction.SPIN, IdleAction.YIELD, IdleAction.PARK]);
    expect(s.parkMs).toBe(1);
    s.parked();
    s.parked();
    s.parked();
    expect(s.parkMs).toBe(4);
    expect(s.idle(3)).toBe(IdleAction.SPIN);
    expect(s.parkMs).toBe(1);
  });

  it('rejects nonsense settings', () => {
    expect(() => new BackoffIdleStrategy({ maxSpins: 0, maxYields: 0, minParkMs: 5, maxParkMs: 1 })).toThrow(/min-park-ms/);
  });
});

describe('AgentRunner', () => {
  it('runs work to completion, lets timers run while busy, and closes once', async () => {
    let remaining = 5000;
    let closed = 0;
    let timerFired = false;
    const runner = new AgentRunner(
      {
        roleName: 'test',
        doWork: () => {
          if (remaining > 0) {
            remaining--;
            // Busy for long enough that the runner must hand the event loop back.
            const until = performance.now() + 0.01;
            while (performance.now() < until);
            return 1;
          }
          return 0;
        },
        onClose: () => closed++,
      },
      { maxBusyMs: 1 },
    ).start();
    setTimeout(() => (timerFired = true), 1);
    await new Promise<void>((resolve) => {
      const check = (): void => (remaining === 0 ? resolve() : void setImmediate(check));
      check();
    });
    expect(timerFired).toBe(true);
    await runner.close();
    await runner.close();
    expect(closed).toBe(1);
    const cycles = runner.dutyCycles;
    await new Promise((r) => setTimeout(r, 5)); // prove no further cycles after close (observation window, not sync)
    expect(runner.dutyCycles).toBe(cycles);
  });

  it('reports errors from doWork and keeps running', async () => {
    const errors: unknown[] = [];
    let n = 0;
    const runner = new AgentRunner(
      { roleName: 'err', doWork: () => { n++; if (n === 3) throw new Error('boom'); return n < 10 ? 1 : 0; } },
      { onError: (e) => errors.push(e) },
    ).start();
    await new Promise<void>((resolve) => { const c = (): void => (n >= 10 ? resolve() : void setImmediate(c)); c(); });
    await runner.close();
    expect(errors).toHaveLength(1);
    expect(runner.errorCount).toBe(1);
  });
});

describe('AgentRunner with a doorbell', () => {
  it('parks on the doorbell (re-checking work first) instead of a timer, with the back-off park time as the bound', async () => {
    let messages = 0;
    let handled = 0;
    const parks: number[] = [];
    const bell = {
      park(timeoutNs: number, hasWork: () => number): number {
        parks.push(timeoutNs);
        const work = hasWork();
        // A message "arrives" while the third park is being announced: the re-check must find it, no sleep needed.
        if (parks.length === 3) messages++;
        return work;
      },
    };
    const runner = new AgentRunner(
      { roleName: 'test', doWork: () => (handled < messages ? (handled++, 1) : 0) },
      { idle: { maxSpins: 1, maxYields: 1, minParkMs: 1, maxParkMs: 4 }, doorbell: bell },
    ).start();
    const deadline = Date.now() + 5000;
    while (handled < 1 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    await runner.close();
    expect(handled).toBe(1);
    // Doubling 1 → 2 → 4 ms, then the message resets the back-off to 1 ms.
    expect(parks.slice(0, 3)).toEqual([1e6, 2e6, 4e6]);
    expect(parks.slice(3).every((t) => t <= 4e6)).toBe(true);
    expect(parks.length).toBeGreaterThanOrEqual(3);
  });
});

describe('AgentRunner woken by a ring', () => {
  it('spins again after a ring without resetting the park time, and lengthens it after a timeout', async () => {
    const parks: number[] = [];
    let cyclesAtPark: number[] = [];
    let cycles = 0;
    const bell = {
      park(timeoutNs: number, hasWork: () => number): number {
        parks.push(timeoutNs);
        cyclesAtPark.push(cycles);
        const work = hasWork();
        if (work > 0) return work;
        // 1st: timed out; 2nd: rung (nothing of ours); later: timed out.
        return parks.length === 2 ? -1 : 0;
      },
    };
    const runner = new AgentRunner(
      { roleName: 'test', doWork: () => (cycles++, 0) },
      { idle: { maxSpins: 3, maxYields: 0, minParkMs: 1, maxParkMs: 8 }, doorbell: bell },
    ).start();
    const deadline = Date.now() + 5000;
    while (parks.length < 4 && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    await runner.close();
    expect(parks.slice(0, 4)).toEqual([1e6, 2e6, 2e6, 4e6]);
    // After the ring (2nd park) the runner spun maxSpins cycles again before the 3rd park; after a timeout only the
    // park's own re-check and one cycle ran.
    cyclesAtPark = cyclesAtPark.slice(0, 4);
    expect(cyclesAtPark[2]! - cyclesAtPark[1]!).toBeGreaterThanOrEqual(1 + 3);
    expect(cyclesAtPark[3]! - cyclesAtPark[2]!).toBe(2);
  });
});

describe('AgentRunner served by a ring after a long sleep', () => {
  it('runs the next duty cycle before any event-loop turn, even past its busy budget', async () => {
    let parks = 0;
    let immediateRan = false;
    let cycleAfterRingSawImmediate: boolean | undefined;
    let ringed = false;
    const bell = {
      park(_timeoutNs: number, hasWork: () => number): number {
        const work = hasWork();
        if (work > 0) return work;
        parks++;
        if (parks !== 2) return 0;
        // A long sleep (beyond maxBusyMs) ended by a ring; anything queued on the event loop meanwhile must wait.
        setImmediate(() => (immediateRan = true));
        const until = performance.now() + 5;
        while (performance.now() < until);
        ringed = true;
        return -1;
      },
    };
    const runner = new AgentRunner(
      {
        roleName: 'test',
        doWork: () => {
          if (ringed && cycleAfterRingSawImmediate === undefined) cycleAfterRingSawImmediate = immediateRan;
          return 0;
        },
      },
      { idle: { maxSpins: 0, maxYields: 0, minParkMs: 1, maxParkMs: 1 }, maxBusyMs: 2, doorbell: bell },
    ).start();
    const deadline = Date.now() + 5000;
    while (cycleAfterRingSawImmediate === undefined && Date.now() < deadline) await new Promise((r) => setImmediate(r));
    await runner.close();
    expect(cycleAfterRingSawImmediate).toBe(false);
  });

  it('wake() runs the next duty cycle in the same turn instead of after the park timer, and never re-enters doWork', async () => {
    const queue: number[] = [];
    const seen: number[] = [];
    let depth = 0;
    let maxDepth = 0;
    let runner: AgentRunner | undefined;
    const agent = {
      roleName: 'hosted',
      doWork: (): number => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        const item = queue.shift();
        // A publication made inside a duty cycle wakes too: it must not start a nested burst.
        if (item !== undefined) runner!.wake();
        depth--;
        if (item === undefined) return 0;
        seen.push(item);
        return 1;
      },
    };
    // Parks at once for a second: without the wake nothing would run for a second.
    runner = new AgentRunner(agent, { idle: { maxSpins: 0, maxYields: 0, minParkMs: 1000, maxParkMs: 1000 } }).start();
    await new Promise((r) => setImmediate(r)); // the first burst: no work, parked on the 1 s timer
    const cyclesBefore = runner.dutyCycles;
    // A socket callback: a message arrives for a co-hosted agent and its publisher wakes the runner.
    queue.push(1, 2);
    runner.wake();
    runner.wake(); // a second wake before the first ran is the same wake
    expect(seen).toEqual([]); // not inside the caller's stack
    await Promise.resolve(); // the microtask queued by wake() runs first
    expect(seen).toEqual([1, 2]);
    expect(runner.dutyCycles).toBeGreaterThan(cyclesBefore);
    expect(maxDepth).toBe(1);
    await runner.close();
    queue.push(3);
    runner.wake(); // closed: nothing runs
    await Promise.resolve();
    expect(seen).toEqual([1, 2]);
  });

  it('runNow(agent) runs that agent on the caller\'s stack, not nested in a burst, then wakes the whole cycle', async () => {
    const order: string[] = [];
    let runner: AgentRunner | undefined;
    let pending = 0;
    const downstream = {
      roleName: 'downstream',
      doWork: (): number => {
        if (pending === 0) return 0;
        pending--;
        order.push('downstream');
        runner!.runNow(downstream); // its own publication: must not nest
        return 1;
      },
    };
    const whole = { roleName: 'whole', doWork: (): number => { order.push('cycle'); return downstream.doWork(); } };
    runner = new AgentRunner(whole, { idle: { maxSpins: 0, maxYields: 0, minParkMs: 1000, maxParkMs: 1000 } }).start();
    await new Promise((r) => setImmediate(r)); // parked on the 1 s timer
    order.length = 0;
    // A socket callback publishes: the downstream agent reads it before the callback goes on.
    pending = 1;
    runner.runNow(downstream);
    order.push('rest of the callback');
    expect(order).toEqual(['downstream', 'rest of the callback']);
    await Promise.resolve(); // then the whole cycle, without waiting for the timer
    expect(order[2]).toBe('cycle');
    await runner.close();
  });
});

import { describe, expect, it } from 'vitest';
import { setThreadScheduling, threadScheduling } from '../src/ThreadScheduling.js';

describe('thread scheduling', () => {
  it('rejects a priority the policy cannot take, naming both', () => {
    expect(() => setThreadScheduling('other', 5)).toThrow(/priority for 'other' must be 0, got 5/);
    expect(() => setThreadScheduling('fifo', 0)).toThrow(/priority for 'fifo' must be an integer in 1..99, got 0/);
    expect(() => setThreadScheduling('rr', 100)).toThrow(/'rr' must be an integer in 1..99, got 100/);
    expect(() => setThreadScheduling('deadline' as never, 1)).toThrow(/one of other, fifo, rr, got 'deadline'/);
  });

  it('sets SCHED_FIFO where allowed (root), or says why not, and goes back to SCHED_OTHER', () => {
    const before = threadScheduling();
    expect(before).toEqual({ policy: 'other', priority: 0 });
    const root = process.getuid?.() === 0;
    try {
      if (root) {
        setThreadScheduling('fifo', 3);
        expect(threadScheduling()).toEqual({ policy: 'fifo', priority: 3 });
      } else {
        expect(() => setThreadScheduling('fifo', 3)).toThrow(/fifo priority 3: EPERM \(real-time policies need CAP_SYS_NICE/);
      }
    } finally {
      setThreadScheduling('other', 0);
    }
    expect(threadScheduling()).toEqual({ policy: 'other', priority: 0 });
  });
});

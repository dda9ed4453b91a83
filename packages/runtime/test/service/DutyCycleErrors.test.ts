import { describe, expect, it } from 'vitest';
import { CompositeAgent, type Agent } from '../../src/Agent.js';
import { DutyCycleErrors, ErrorIsolatingAgent } from '../../src/service/DutyCycleErrors.js';

describe('DutyCycleErrors', () => {
  it('counts every error and logs at most one line a second', () => {
    const sink = { errors: 0 };
    const logged: number[] = [];
    let now = 10_000;
    const errors = new DutyCycleErrors(sink, (_e, count) => logged.push(count), () => now);
    for (let i = 0; i < 5; i++) errors.report(new Error('boom'));
    now += 999;
    errors.report(new Error('boom'));
    now += 1;
    errors.report(new Error('boom'));
    expect(sink.errors).toBe(7);
    expect(logged).toEqual([1, 7]);
  });
});

describe('ErrorIsolatingAgent', () => {
  it('reports what a hosted service throws as its own error and lets the services after it run', () => {
    const first = { errors: 0 };
    const second = { errors: 0 };
    const ran: string[] = [];
    const thrower: Agent = { roleName: 'pricing', doWork: () => { throw new Error('bad message'); } };
    const after: Agent = { roleName: 'strategy', doWork: () => { ran.push('strategy'); return 1; } };
    const cycle = new CompositeAgent([
      new ErrorIsolatingAgent({ roleName: 'collector', doWork: () => { ran.push('collector'); return 2; } }, new DutyCycleErrors(first, () => {})),
      new ErrorIsolatingAgent(thrower, new DutyCycleErrors(second, () => {})),
      new ErrorIsolatingAgent(after, new DutyCycleErrors({ errors: 0 }, () => {})),
    ]);
    expect(cycle.doWork()).toBe(3);
    expect(ran).toEqual(['collector', 'strategy']);
    expect([first.errors, second.errors]).toEqual([0, 1]);
    expect(cycle.roleName).toBe('collector+pricing+strategy');
  });
});

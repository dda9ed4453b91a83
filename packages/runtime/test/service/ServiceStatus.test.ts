import { describe, expect, it } from 'vitest';
import { HeartbeatDecoder, ServiceState, StateDecoder, DecodeResult } from '@mm/protocol';
import { ManualClock } from '../../src/Clock.js';
import { InMemoryTransport } from '../../src/InMemoryTransport.js';
import { ServiceStatus, type CounterHandle } from '../../src/service/ServiceStatus.js';

class FakeCounter implements CounterHandle {
  value = -1;
  closed = false;
  setOrdered(v: number): void { this.value = v; }
  close(): void { this.closed = true; }
}

async function setup() {
  const t = new InMemoryTransport();
  const clock = new ManualClock(1_000_000_000, 1_700_000_000_000);
  const stateSub = await t.addSubscription('aeron:ipc', 11);
  const hbSub = await t.addSubscription('aeron:ipc', 12);
  const hb = new FakeCounter();
  const st = new FakeCounter();
  const status = new ServiceStatus('mm_pricing', 7, clock, await t.addExclusivePublication('aeron:ipc', 11),
    await t.addExclusivePublication('aeron:ipc', 12), 1e9, hb, st);
  return { t, clock, stateSub, hbSub, hb, st, status };
}

describe('ServiceStatus', () => {
  it('publishes STARTING then each change in order with sequence numbers, and mirrors the state counter', async () => {
    const { stateSub, status, st } = await setup();
    status.doWork();
    status.setState(ServiceState.SYNCING, 'waiting for book');
    status.setState(ServiceState.SYNCING, 'waiting for book'); // unchanged: not republished
    status.setState(ServiceState.LIVE, 'ok');
    const dec = new StateDecoder();
    const seen: Array<[number, number, number, string, string]> = [];
    stateSub.poll((b, o, l) => {
      expect(dec.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      seen.push([dec.sequence(), dec.previousState(), dec.state(), dec.reason(), dec.service()]);
    }, 10);
    expect(seen).toEqual([
      [0, 0, ServiceState.STARTING, 'starting', 'mm_pricing'],
      [1, ServiceState.STARTING, ServiceState.SYNCING, 'waiting for book', 'mm_pricing'],
      [2, ServiceState.SYNCING, ServiceState.LIVE, 'ok', 'mm_pricing'],
    ]);
    expect(st.value).toBe(ServiceState.LIVE);
  });

  it('sends a heartbeat per interval with counts, and refreshes the heartbeat counter every cycle', async () => {
    const { clock, hbSub, status, hb } = await setup();
    status.messagesIn = 5;
    expect(status.doWork()).toBeGreaterThan(0);
    clock.advanceNs(0.5e9);
    status.doWork();
    clock.advanceNs(0.5e9);
    status.doWork();
    const dec = new HeartbeatDecoder();
    const beats: Array<[number, number, number]> = [];
    hbSub.poll((b, o, l) => {
      dec.wrapChecked(b, o, l);
      beats.push([dec.sequence(), dec.uptimeNs(), dec.messagesIn()]);
    }, 10);
    expect(beats).toEqual([[0, 0, 5], [1, 1e9, 5]]);
    expect(hb.value).toBe(clock.epochMs());
  });
});

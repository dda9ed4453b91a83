import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './support/RawClient.js';
import { removeTempDirs, startDriver, type Harness } from './support/driverFixture.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  removeTempDirs();
});

describe('driver control', () => {
  it('shouldIgnoreTerminateDriverUnlessTheValidatorAllowsIt', async () => {
    h = startDriver({ terminationValidator: 'deny' });
    const c = h.client();
    c.terminateDriver();
    const keepalive = c.keepalive();
    await waitFor(() => c.heartbeatCounterId() >= 0, 2000, 'client registered');
    expect(keepalive).toBeGreaterThan(0);
    expect(h.driver.isRunning).toBe(true);
    await h.close();

    h = startDriver({ terminationValidator: 'allow' });
    h.client().terminateDriver();
    expect(await h.driver.terminated).toBe('terminated');
    expect(h.driver.isRunning).toBe(false);
  });

  it('shouldSetTheHeartbeatCounterOnKeepalive', async () => {
    h = startDriver();
    const c = h.client();
    h.clients.splice(h.clients.indexOf(c), 1); // no automatic heartbeats for this one
    c.keepalive();
    await waitFor(() => c.heartbeatCounterId() >= 0, 2000, 'heartbeat counter');
    const id = c.heartbeatCounterId();
    c.valuesBuffer.putInt64Ordered(id * 128, 1);
    c.keepalive();
    await waitFor(() => c.counters.getCounterValue(id) > 1, 2000, 'keepalive refreshed the heartbeat');
    expect(Math.abs(c.counters.getCounterValue(id) - Date.now())).toBeLessThan(2000);
  });

  it('shouldUnblockTheCommandRingWhenAClientDiesMidCommand', async () => {
    h = startDriver();
    const c = h.client();
    // A claimed record that is never committed: the ring stalls on it.
    const index = c.toDriver.tryClaim(0x06, 16);
    expect(index).toBeGreaterThanOrEqual(0);
    const corr = c.addSubscription(77);
    const before = c.counters.getCounterValue(20);
    await waitFor(() => c.counters.getCounterValue(20) === before + 1, 3000, 'Unblocked Control Commands');
    await waitFor(() => (c.poll(), c.takeFor(0x0f07, corr) !== undefined), 2000, 'the command behind the dead one');
  });
});

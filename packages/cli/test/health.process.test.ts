import { afterEach, describe, expect, it } from 'vitest';
import { Aeron, CncFile, Context } from '@mm/aeron-client';
import { RingBufferDescriptor } from '@mm/agrona';
import { ServiceState } from '@mm/protocol';
import { HEARTBEAT_COUNTER_TYPE_ID, STATE_COUNTER_TYPE_ID, healthCounterKey } from '@mm/runtime';
import { createTestSystem, killAll, removeTempDirs, startDriver, waitFor } from '@mm/test-support';
import { checkHealth } from '../src/commands/health.js';

/** The to-driver ring's tail: it moves whenever any client sends the driver anything. */
function toDriverTail(aeronDir: string): bigint {
  const cnc = CncFile.openReadOnly(aeronDir);
  try {
    const ring = cnc.metadata.toDriverBuffer();
    return ring.getInt64VolatileBigInt(ring.capacity - RingBufferDescriptor.TRAILER_LENGTH + RingBufferDescriptor.TAIL_POSITION_OFFSET);
  } finally {
    cnc.close();
  }
}

describe('mm health', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    aeron = undefined;
    await killAll();
    removeTempDirs();
  });

  it('reads health from counters without registering with the driver, and follows state and heartbeat age', async () => {
    const sys = createTestSystem();
    const driver = await startDriver(sys);
    expect(checkHealth(sys.aeronDir, 'mm_test', 3000).reason).toMatch(/no heartbeat counter for mm_test/);

    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    aeron.startConductorTimer(10);
    const key = healthCounterKey('mm_test', 0, process.pid);
    const heartbeat = await aeron.addCounter(HEARTBEAT_COUNTER_TYPE_ID, key, 'mm heartbeat: mm_test');
    const state = await aeron.addCounter(STATE_COUNTER_TYPE_ID, key, 'mm state: mm_test');
    state.setOrdered(ServiceState.SYNCING);
    heartbeat.setOrdered(Date.now());
    expect(checkHealth(sys.aeronDir, 'mm_test', 3000)).toMatchObject({ live: false, reason: 'state is SYNCING' });
    state.setOrdered(ServiceState.LIVE);

    // The client's own keepalives move the ring tail; stop them to see that health checks add nothing.
    aeron.stopConductorTimer();
    const before = toDriverTail(sys.aeronDir);
    for (let i = 0; i < 50; i++) expect(checkHealth(sys.aeronDir, 'mm_test', 3000).live).toBe(true);
    expect(toDriverTail(sys.aeronDir)).toBe(before);

    heartbeat.setOrdered(Date.now() - 5000);
    expect(checkHealth(sys.aeronDir, 'mm_test', 3000).reason).toMatch(/heartbeat is \d+ ms old/);

    expect(checkHealth(sys.aeronDir, 'aeronmd', 3000)).toMatchObject({ live: true, state: 'LIVE' });

    driver.kill('SIGKILL');
    await driver.waitForExit();
    await waitFor(() => /media driver is not running/.test(checkHealth(sys.aeronDir, 'mm_test', 3000, Date.now(), 500).reason),
      { what: 'health to notice the dead driver', timeoutMs: 5000 });
    await waitFor(() => !checkHealth(sys.aeronDir, 'aeronmd', 500).live, { what: 'aeronmd unhealthy after kill -9', timeoutMs: 5000 });
  });
});

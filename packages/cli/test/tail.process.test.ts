import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Aeron, Context } from '@mm/aeron-client';
import { AtomicBuffer } from '@mm/agrona';
import { QuoteEncoder, Venue } from '@mm/protocol';
import { ChildProcessHandle, createTestSystem, killAll, removeTempDirs, repoRoot, startDriver, waitFor } from '@mm/test-support';

describe('mm tail', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    aeron = undefined;
    await killAll();
    removeTempDirs();
  });

  it('prints each message of a live stream as one JSON line, and a malformed one as an error object', async () => {
    const sys = createTestSystem();
    await startDriver(sys);
    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    aeron.startConductorTimer(5);
    const pub = await aeron.addExclusivePublication('aeron:ipc?term-length=64k', 15);
    const tail = new ChildProcessHandle(join(repoRoot(), 'packages/cli/dist/main.js'), {
      args: ['tail', 'quote', '--count', '2', '--timeout-ms', '20000'], env: sys.env, cwd: sys.root,
    });
    const buf = AtomicBuffer.allocate(256);
    const enc = new QuoteEncoder().wrap(buf, 0).sequence(7).symbol('BTCUSDT').venue(Venue.SIMULATOR).quoteId(42)
      .bidPrice(6_700_000_000_000).bidQty(100_000).askPrice(6_700_100_000_000).askQty(100_000).recvTimeNs(5).sendTimeNs(9);
    // The tail subscribes after it starts: offer until it is connected and has taken both messages.
    await waitFor(() => pub.isConnected(), { what: 'mm tail subscribed', timeoutMs: 15_000 });
    expect(pub.offer(buf, 0, enc.encodedLength())).toBeGreaterThan(0);
    expect(pub.offer(buf, 0, 5)).toBeGreaterThan(0); // truncated
    const { code } = await tail.waitForExit(20_000);
    expect(code).toBe(0);
    const lines = tail.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { message: Record<string, unknown> });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.message).toMatchObject({ template: 'Quote', sequence: 7, symbol: 'BTCUSDT', quoteId: 42, bidPrice: '67000.00000000', venue: 'SIMULATOR' });
    expect(lines[1]!.message).toMatchObject({ error: 'TRUNCATED' });
  });
});

/**
 * `mm_dashboard` as a real process (`dist/main.js`) on a real media driver: it logs the URL it bound (127.0.0.1 by
 * default), shows what is published on Aeron streams, lists its own heartbeat in the health table, refuses a
 * WebSocket from another site's page, and exits 0 on SIGTERM. Run `pnpm build` first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Aeron, Context } from '@mm/aeron-client';
import { Venue } from '@mm/protocol';
import { loadStreams, type Transport } from '@mm/runtime';
import { createTestSystem, killAll, removeTempDirs, startDriver, startService, waitFor } from '@mm/test-support';
import { StreamPublishers } from './StreamPublishers.js';

interface Snapshot {
  data: Record<string, { view: Record<string, string> }>;
  health: { service: string; state: string; stale: boolean }[];
}

describe('dashboard process', () => {
  let aeron: Aeron | undefined;
  afterEach(async () => {
    aeron?.close();
    aeron = undefined;
    await killAll();
    removeTempDirs();
  });

  it('serves what Aeron streams carry, on 127.0.0.1, and stops on SIGTERM', async () => {
    const sys = createTestSystem({ dashboard: 'port = 0\npush-rate-hz = 20\nsymbols = ["BTCUSDT"]\n' });
    await startDriver(sys);
    const dash = startService(sys, 'dashboard');
    const listening = await dash.waitForJson<{ url: string }>((o) => o['msg'] === 'dashboard listening', 15_000);
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = listening.url;

    aeron = await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 }));
    const client = aeron;
    const transport = { addExclusivePublication: (c: string, s: number) => client.addExclusivePublication(c, s) } as unknown as Transport;
    const pub = await StreamPublishers.create(transport, loadStreams({ env: { MM_CONFIG_DIR: sys.configDir } }));
    await waitFor(() => {
      client.doWork();
      return pub.publisher('pricing').isConnected() && pub.publisher('position').isConnected();
    }, { what: 'the dashboard subscribing to streams 14 and 17', timeoutMs: 10_000 });

    const snapshot = async (): Promise<Snapshot> => (await (await fetch(new URL('api/snapshot', url))).json()) as Snapshot;
    pub.pricing({ symbol: 'BTCUSDT', mid: 65000.125, fairValue: 65000.5 });
    pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: '0.3', fees: '0', averagePrice: 64990,
      realizedPnl: 1, unrealizedPnl: 3 });
    await waitFor(async () => {
      client.doWork();
      const v = (await snapshot()).data['BTCUSDT']!.view;
      return v['mid'] === '65000.125' && v['fair'] === '65000.50' && v['position'] === '0.3' && v['pnl'] === '4.00';
    }, { what: 'the published values in /api/snapshot', timeoutMs: 10_000 });

    // Its own heartbeat (stream 12, via the service host) shows up in its health table.
    await waitFor(async () => {
      client.doWork();
      return (await snapshot()).health.some((h) => h.service === 'mm_dashboard' && h.state === 'LIVE' && !h.stale);
    }, { what: 'mm_dashboard LIVE in its own health table', timeoutMs: 10_000 });

    // A page on another site must not read positions through the user's browser.
    const wsUrl = url.replace('http://', 'ws://') + 'ws';
    const foreign = await new Promise<string>((resolve) => {
      const ws = new WebSocket(wsUrl, { origin: 'http://evil.example' });
      ws.on('open', () => { ws.close(); resolve('open'); });
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('error', (e) => resolve(`error ${e.message}`));
    });
    expect(foreign).toBe('403');
    const first = await new Promise<{ type: string }>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { origin: url.slice(0, -1) });
      ws.on('message', (data) => { ws.close(); resolve(JSON.parse(String(data)) as { type: string }); });
      ws.on('error', reject);
    });
    expect(first.type).toBe('snapshot');

    dash.kill('SIGTERM');
    expect((await dash.waitForExit(10_000)).code).toBe(0);
  });
});

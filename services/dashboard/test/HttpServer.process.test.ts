/**
 * The HTTP/WebSocket endpoint in-process on loopback (port 0): page files, snapshot API, method and path errors,
 * security headers, and a WebSocket client that gets a snapshot and then the agent's deltas.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Venue } from '@mm/protocol';
import { InMemoryTransport, ManualClock, loadStreams } from '@mm/runtime';
import { waitFor } from '@mm/test-support';
import { startDashboard, type RunningDashboard } from '../src/Dashboard.js';
import { StreamPublishers } from './StreamPublishers.js';
import { testConfig } from './testConfig.js';

const streams = loadStreams({ env: {} });

describe('DashboardHttpServer', () => {
  let running: RunningDashboard | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  async function start() {
    const transport = new InMemoryTransport();
    const clock = new ManualClock(1e9, 1_700_000_000_000);
    running = await startDashboard({ config: testConfig(), streams, transport, clock });
    const pub = await StreamPublishers.create(transport, streams);
    return { running, pub, clock };
  }

  it('serves the page, the snapshot and nothing else, bound to 127.0.0.1', async () => {
    const { running } = await start();
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(running.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('data-testid="health-table"');
    for (const [path, type] of [['app.js', /javascript/], ['style.css', /text\/css/]] as const) {
      const r = await fetch(new URL(path, running.url));
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(type);
    }
    const snap = await (await fetch(new URL('api/snapshot', running.url))).json() as { type: string; symbols: string[] };
    expect(snap).toMatchObject({ type: 'snapshot', symbols: ['BTCUSDT', 'ETHUSDT'] });
    expect((await fetch(new URL('../package.json', new URL('page/', running.url)))).status).toBe(404);
    expect((await fetch(new URL('%2e%2e/src/main.ts', running.url))).status).toBe(404);
    expect((await fetch(running.url, { method: 'POST', body: 'x' })).status).toBe(405);
    expect((await fetch(new URL('healthz', running.url))).status).toBe(200);
  });

  it('sends a WebSocket client a snapshot, then deltas with new values', async () => {
    const { running, pub, clock } = await start();
    pub.pricing({ symbol: 'ETHUSDT', mid: 3000.5, fairValue: 3000.25 });
    running.agent.doWork();
    const ws = new WebSocket(running.url.replace('http', 'ws') + 'ws');
    const messages: { type: string; data: Record<string, { view: Record<string, string> }> }[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    try {
      await waitFor(() => messages.length >= 1, { what: 'the snapshot' });
      expect(messages[0]!.type).toBe('snapshot');
      expect(messages[0]!.data['ETHUSDT']!.view['mid']).toBe('3000.50');
      await waitFor(() => running.server.clientCount === 1, { what: 'the client registered' });
      pub.quote({ symbol: 'ETHUSDT', venue: Venue.SIMULATOR, bid: '2999', bidQty: '1', ask: '3001', askQty: '1' });
      clock.advanceNs(1e9);
      running.agent.doWork();
      await waitFor(() => messages.some((m) => m.type === 'delta' && m.data['ETHUSDT']?.view['bid'] === '2999.00'), { what: 'a delta with the quote' });
    } finally {
      ws.close();
    }
  });

  it('skips a client that stops reading instead of buffering without bound, then resyncs it with a snapshot', async () => {
    const transport = new InMemoryTransport();
    running = await startDashboard({ config: testConfig({ maxClientBufferBytes: 1024 }), streams, transport, clock: new ManualClock() });
    const server = running.server;
    const ws = new WebSocket(running.url.replace('http', 'ws') + 'ws');
    const types: string[] = [];
    ws.on('message', (d) => types.push((JSON.parse(String(d)) as { type: string }).type));
    try {
      await waitFor(() => types.length === 1 && server.clientCount === 1, { what: 'the first snapshot' });
      ws.pause();
      const big = JSON.stringify({ type: 'delta', pad: 'x'.repeat(1 << 20) });
      let bigSent = 0;
      await waitFor(() => { server.broadcast(big); bigSent++; return server.slowClientSkips > 0; }, { what: 'the slow client skipped', timeoutMs: 20_000 });
      server.broadcast(big); // skipped too: the client is still behind
      bigSent++;
      ws.resume();
      const small = JSON.stringify({ type: 'delta' });
      await waitFor(() => { server.broadcast(small); return types.lastIndexOf('snapshot') > 0; }, { what: 'a resync snapshot', timeoutMs: 20_000 });
      // One resync snapshot, and the deltas broadcast while it was behind were dropped, not queued.
      expect(types.filter((t) => t === 'snapshot')).toHaveLength(2);
      const bigReceived = types.indexOf('snapshot', 1) - 1;
      expect(bigReceived).toBeLessThan(bigSent);
    } finally {
      ws.close();
    }
  });

  it('reports a port it cannot bind with a message naming the address', async () => {
    const { running } = await start();
    const port = Number(new URL(running.url).port);
    await expect(startDashboard({ config: testConfig({ port }), streams, transport: new InMemoryTransport(), clock: new ManualClock() }))
      .rejects.toThrow(`dashboard cannot listen on 127.0.0.1:${port}`);
  });
});

/**
 * The engine alone, as docs/deploy.md runs it from the image (`docker run ... node services/matching-engine/dist/main.js`
 * with ENGINE_* variables): each documented mode is started here without Docker, with the same variables, and
 * checked on loopback for what the guide promises: TCP only, UDP only, custom ports, single-threaded, multicast.
 * "Closed" is checked from outside: a TCP connect is refused, a UDP port can be bound by someone else.
 * Limits: loopback only (127.0.0.1 instead of the image's 0.0.0.0, multicast with TTL 0 on 127.0.0.1 instead of a
 * host network interface); the port numbers come from the OS, so a free port could in theory be taken in between.
 */
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killAll, removeTempDirs, waitFor } from '@mm/test-support';
import { startEngine, type RunningEngine } from './support/engine.js';
import { renderOutput, TcpClient, UdpClient } from './support/clients.js';

afterEach(async () => {
  await killAll();
});
afterAll(() => {
  removeTempDirs();
});

/** A TCP port nobody listens on right now (the OS picks it, we release it). */
async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Resolves with the connect error code (ECONNREFUSED when nothing listens), or 'connected'. */
function tcpConnectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** Resolves 'bound' when the UDP port is free (so the engine does not hold it), else the bind error code. */
function udpBindOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.close();
      resolve(e.code ?? e.message);
    });
    s.bind(port, '127.0.0.1', () => {
      s.close();
      resolve('bound');
    });
  });
}

async function tcpAnswers(e: RunningEngine, symbol: string): Promise<string> {
  expect(e.tcpPort).not.toBeNull();
  const c = await TcpClient.connect(e.tcpPort);
  c.send(`N, 1, ${symbol}, 10, 5, B, 1`);
  const i = await c.waitForLine((l) => l.startsWith('A, '));
  c.close();
  return c.lines[i];
}

async function udpAnswers(e: RunningEngine, symbol: string): Promise<string[]> {
  expect(e.udpPort).not.toBeNull();
  const c = await UdpClient.open(e.udpPort);
  await c.send(`N, 7, ${symbol}, 20, 3, S, 2`);
  await c.waitForLine((l) => l.startsWith('B, '));
  c.close();
  return c.lines;
}

describe('the engine alone, in the modes of docs/deploy.md', () => {
  it('TCP only (ENGINE_UDP_ENABLED=false): TCP answers, the UDP port stays closed', async () => {
    const udpPort = await freeUdpPort();
    const e = await startEngine({ ENGINE_UDP_ENABLED: 'false', ENGINE_UDP_PORT: String(udpPort) });
    const listening = await e.proc.waitForJson<{ udpPort: unknown }>((o) => o.msg === 'listening');
    expect(listening.udpPort).toBeNull();
    expect(await tcpAnswers(e, 'TCPONLY')).toBe('A, TCPONLY, 1, 1');
    expect(await udpBindOutcome(udpPort)).toBe('bound');
  });

  it('UDP only (ENGINE_TCP_ENABLED=false): UDP answers, the TCP port refuses connections', async () => {
    const tcpPort = await freeTcpPort();
    const e = await startEngine({ ENGINE_TCP_ENABLED: 'false', ENGINE_TCP_PORT: String(tcpPort) });
    const listening = await e.proc.waitForJson<{ tcpPort: unknown }>((o) => o.msg === 'listening');
    expect(listening.tcpPort).toBeNull();
    expect(await udpAnswers(e, 'UDPONLY')).toEqual(['A, UDPONLY, 7, 2', 'B, UDPONLY, S, 20, 3']);
    expect(await tcpConnectOutcome(tcpPort)).toBe('ECONNREFUSED');
    // The guide's UDP health probe: a cancel of an order that cannot exist is answered with reject 4.
    const probe = await UdpClient.open(e.udpPort);
    await probe.send('C, 4294967295, 4294967295');
    await probe.waitForLine((l) => l.startsWith('R, '));
    probe.close();
    expect(probe.lines).toEqual(['R, , 4294967295, 4294967295, 4']);
  });

  it('custom ports (ENGINE_TCP_PORT, ENGINE_UDP_PORT): both protocols answer on exactly those ports', async () => {
    const tcpPort = await freeTcpPort();
    const udpPort = await freeUdpPort();
    const e = await startEngine({ ENGINE_TCP_PORT: String(tcpPort), ENGINE_UDP_PORT: String(udpPort) });
    expect([e.tcpPort, e.udpPort]).toEqual([tcpPort, udpPort]);
    expect(await tcpAnswers(e, 'CUSTOM')).toBe('A, CUSTOM, 1, 1');
    expect(await udpAnswers(e, 'CUSTOM')).toEqual(['A, CUSTOM, 7, 2', 'B, CUSTOM, S, 20, 3']);
    expect(await udpBindOutcome(udpPort)).toBe('EADDRINUSE');
  });

  it('single-threaded (ENGINE_THREADED=false): one core serves symbols of both halves (A-M and N-Z)', async () => {
    const e = await startEngine({ ENGINE_THREADED: 'false' });
    const listening = await e.proc.waitForJson<{ threaded: unknown }>((o) => o.msg === 'listening');
    expect(listening.threaded).toBe(false);
    const c = await TcpClient.connect(e.tcpPort);
    // A resting bid on each half, then a crossing sell on each: one trade per symbol, whichever core had it.
    for (const s of ['ALPHA', 'ZULU']) {
      c.send(`N, 1, ${s}, 10, 5, B, 1`);
      c.send(`N, 2, ${s}, 10, 5, S, 2`);
    }
    await c.waitForLine((l) => l.startsWith('T, ZULU'));
    expect(c.lines.filter((l) => l.startsWith('T, '))).toEqual(['T, ALPHA, 1, 1, 2, 2, 10, 5', 'T, ZULU, 1, 1, 2, 2, 10, 5']);
    c.close();
  });

  it('threaded (the default): reports threaded and serves both processors', async () => {
    const e = await startEngine({});
    const listening = await e.proc.waitForJson<{ threaded: unknown }>((o) => o.msg === 'listening');
    expect(listening.threaded).toBe(true);
    const c = await TcpClient.connect(e.tcpPort);
    // Order ids are per user across both processors, so the second book's order gets its own id.
    c.send('N, 1, BRAVO, 10, 5, B, 1');
    c.send('N, 1, YANKEE, 10, 5, B, 2');
    await c.waitForLine((l) => l.startsWith('A, YANKEE'));
    expect(c.lines.filter((l) => l.startsWith('A, '))).toEqual(['A, BRAVO, 1, 1', 'A, YANKEE, 1, 2']);
    c.close();
  });

  it('multicast market data (ENGINE_MCAST_*): trades and tops of book reach a group member', async () => {
    const sub = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => sub.bind(0, () => r()));
    const group = '239.255.0.91';
    sub.addMembership(group, '127.0.0.1');
    const got: string[] = [];
    sub.on('message', (m: Buffer) => got.push(`${m.readBigUInt64BE(0)} ${renderOutput(m.subarray(8))}`));
    try {
      const e = await startEngine({
        ENGINE_MCAST_ENABLED: 'true',
        ENGINE_MCAST_GROUP: group,
        ENGINE_MCAST_PORT: String(sub.address().port),
        ENGINE_MCAST_INTERFACE: '127.0.0.1',
        ENGINE_MCAST_TTL: '0',
      });
      const listening = await e.proc.waitForJson<{ mcast: unknown }>((o) => o.msg === 'listening');
      expect(listening.mcast).toBe(`${group}:${sub.address().port}`);
      const c = await TcpClient.connect(e.tcpPort);
      c.send('N, 1, MCAST, 10, 100, B, 1');
      c.send('N, 2, MCAST, 10, 40, S, 2');
      await waitFor(() => got.length >= 3, { timeoutMs: 5000, what: '3 multicast datagrams' });
      c.close();
      expect(got).toEqual(['0 B, MCAST, B, 10, 100', '1 T, MCAST, 1, 1, 2, 2, 10, 40', '2 B, MCAST, B, 10, 60']);
    } finally {
      sub.close();
    }
  });
});

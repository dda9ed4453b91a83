import { connect, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, removeTempDirs, repoRoot, spawnNode, tempDir, waitFor, type ChildProcessHandle } from '@mm/test-support';
import { figures, rssOf } from './rig.js';

const LONG = process.env.MM_FAULTS_LONG === '1';
/**
 * Field-error messages sent over one connection (each answered with a reject). This client reads its answers only
 * while it waits for its own writes to drain, so under load it can fall megabytes behind: a 1 M flood once ended
 * with the engine closing it after 664 730 messages, because the engine then dropped any client with more than
 * max-output-buffer-bytes of unread output. The engine now stops reading a client whose unread output reaches half
 * of that limit (until it drains), so such a flooder is slowed down, never disconnected (services/matching-engine
 * controls.process.test.ts proves both rules). The default tier sends 200 000 for time; MM_FAULTS_LONG the million.
 */
const FIELD_ERRORS = LONG ? 1_000_000 : 200_000;
/** Connections that each send one malformed frame (each disconnected). */
const BAD_FRAMES = LONG ? 20_000 : 2_000;
const UDP_GARBAGE = LONG ? 100_000 : 20_000;
const CLIENTS = 1000;

interface Engine { proc: ChildProcessHandle; tcpPort: number; udpPort: number }

async function startEngine(): Promise<Engine> {
  const proc = spawnNode(join(repoRoot(), 'services/matching-engine/dist/main.js'), {
    env: {
      MM_CONFIG_DIR: tempDir('mm-engine-'), MM_LOG_DIR: tempDir('mm-engine-logs-'), ENGINE_TCP_PORT: '0', ENGINE_UDP_PORT: '0',
      ENGINE_TCP_HOST: '127.0.0.1', ENGINE_UDP_HOST: '127.0.0.1', ENGINE_MAX_CLIENTS: '1100',
    },
    name: 'matching-engine',
  });
  const l = await proc.waitForJson<{ tcpPort: number; udpPort: number }>((o) => o.msg === 'listening', 15_000);
  return { proc, tcpPort: l.tcpPort, udpPort: l.udpPort };
}

function frame(payload: Uint8Array | string): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const b = Buffer.allocUnsafe(4 + p.length);
  b.writeUInt32BE(p.length, 0);
  b.set(p, 4);
  return b;
}

/** A framed-protocol client that keeps CSV output lines (binary frames as `#bin <letter>`), or only counts them. */
class Client {
  readonly lines: string[] = [];
  frames = 0;
  closed = false;
  private pending: Buffer = Buffer.alloc(0);
  constructor(readonly socket: Socket, private readonly keep: boolean) {
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => { this.closed = true; });
    socket.on('error', () => { this.closed = true; });
  }
  static open(port: number, keep = true): Promise<Client> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1' }, () => { s.off('error', reject); resolve(new Client(s, keep)); });
      s.once('error', reject);
    });
  }
  private onData(d: Buffer): void {
    this.pending = this.pending.length === 0 ? d : Buffer.concat([this.pending, d]);
    let o = 0;
    while (this.pending.length - o >= 4) {
      const n = this.pending.readUInt32BE(o);
      if (this.pending.length - o - 4 < n) break;
      this.frames++;
      if (this.keep) {
        const body = this.pending.subarray(o + 4, o + 4 + n);
        this.lines.push(body[0] === 0x4d ? `#bin ${String.fromCharCode(body[1]!)}` : body.toString('utf8').trimEnd());
      }
      o += 4 + n;
    }
    this.pending = this.pending.subarray(o);
  }
  send(msg: string | Uint8Array): boolean {
    return this.socket.write(frame(msg));
  }
  close(): void {
    this.socket.destroy();
  }
}

/** A binary new order with quantity 0 (a field error: reject 2). */
function binaryZeroQty(uid: number, oid: number): Buffer {
  const b = Buffer.alloc(27);
  b[0] = 0x4d; b[1] = 0x4e;
  b.writeUInt32BE(uid, 2);
  b.write('IBM', 6, 'latin1');
  b.writeUInt32BE(100, 14);
  b.writeUInt32BE(0, 18);
  b[22] = 0x42;
  b.writeUInt32BE(oid, 23);
  return b;
}

async function stopAndCounters(e: Engine): Promise<Record<string, number>> {
  e.proc.kill('SIGTERM');
  const stopped = await e.proc.waitForJson<Record<string, number>>((o) => o.msg === 'stopped', 10_000);
  return stopped;
}

/**
 * The matching engine under bad input and load: field-error floods (rejects, the connection stays), malformed frames
 * (each such client disconnected), UDP garbage (dropped, counted), then 1000 concurrent TCP clients. The engine must
 * stay up, keep answering a well-behaved client correctly and keep its memory bounded.
 */
describe('fault: matching engine bad input and load', () => {
  afterEach(async () => {
    await killAll();
    removeTempDirs();
  });

  it('rejects field errors, disconnects malformed frames, drops UDP garbage, and still matches', async () => {
    const e = await startEngine();
    const rssStart = rssOf(e.proc.pid);
    const good = await Client.open(e.tcpPort);
    good.send('N, 1, IBM, 100, 10, B, 1\n');
    await waitFor(() => good.lines.includes('A, IBM, 1, 1'), { what: 'the good order acked' });

    // Field errors: well-formed messages with bad fields, in frames of 120 CSV lines (< 4096 bytes, the frame limit),
    // and binary ones.
    const flood = await Client.open(e.tcpPort, false);
    const bad = ['N, 2, IBM, -5, 10, S, 7', 'N, 2, , 100, 10, S, 7', 'N, 2, WAYTOOLONGSYM, 100, 10, S, 7', 'N, 2, IBM, 100, 0, S, 7', 'N, 2, IBM, 100, 10, S, 0', 'N, 2, IBM, 1.5, 10, S, 7'];
    const t0 = Date.now();
    let sent = 0;
    let maxRss = rssStart;
    while (sent < FIELD_ERRORS) {
      const lines: string[] = [];
      for (let i = 0; i < 120 && sent < FIELD_ERRORS; i++, sent++) lines.push(bad[sent % bad.length]!);
      if (flood.closed) throw new Error(`the engine closed the field-error client after ${sent} messages`);
      if (!flood.send(`${lines.join('\n')}\n`)) {
        await new Promise<void>((r) => { flood.socket.once('drain', () => r()); flood.socket.once('close', () => r()); });
      }
      if (sent % 12_000 === 0) {
        for (let i = 0; i < 50; i++) { flood.send(binaryZeroQty(3, 1 + i)); sent++; }
        maxRss = Math.max(maxRss, rssOf(e.proc.pid));
      }
    }
    await waitFor(() => { maxRss = Math.max(maxRss, rssOf(e.proc.pid)); return flood.frames >= sent; }, { what: `${sent} rejects`, timeoutMs: LONG ? 300_000 : 60_000, intervalMs: 20 });
    const fieldErrorMs = Date.now() - t0;
    expect(flood.closed, 'a field-error client stays connected').toBe(false);

    // Malformed frames: each on its own connection, which the engine closes.
    const malformed = [
      frame('X, 1, 2\n'), frame('N, 1, IBM\n'), frame('N, 1, IBM, 100, 10, Q, 1\n'), frame(Buffer.from([0x4d, 0x4e, 1, 2, 3])),
      frame(Buffer.alloc(0)), Buffer.concat([Buffer.from([0, 0, 0x20, 0]), Buffer.alloc(16)]) /* 8 KiB frame > 4096 */,
      frame(Buffer.from([0x4d, 0x5a, 0, 0])),
    ];
    const t1 = Date.now();
    let disconnected = 0;
    for (let i = 0; i < BAD_FRAMES; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, BAD_FRAMES - i) }, async (_, k) => {
        const c = await Client.open(e.tcpPort, false);
        c.socket.write(malformed[(i + k) % malformed.length]!);
        await waitFor(() => c.closed, { what: 'the engine closing a malformed client', timeoutMs: 10_000 });
        disconnected++;
      }));
    }
    const badFramesMs = Date.now() - t1;
    maxRss = Math.max(maxRss, rssOf(e.proc.pid));

    // UDP garbage: dropped and counted, never answered.
    const udp = createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    let udpReplies = 0;
    udp.on('message', () => { udpReplies++; });
    let x = 7;
    for (let i = 0; i < UDP_GARBAGE; i++) {
      const n = 1 + (i % 200);
      const b = Buffer.allocUnsafe(n);
      for (let k = 0; k < n; k++) { x = (x * 1103515245 + 12345) >>> 0; b[k] = x >>> 24; }
      if (b[0] !== 0x4d && i % 2 === 0) b[0] = 0x4d; // half look binary
      // Never a valid message letter: every datagram is malformed (a CSV one has the wrong letter or field count).
      if (n > 1 && (b[1] === 0x4e || b[1] === 0x43 || b[1] === 0x46)) b[1] = 0x00;
      if (b[0] === 0x4e || b[0] === 0x43 || b[0] === 0x46 || b[0] === 0x6e || b[0] === 0x63 || b[0] === 0x66 || b[0] === 0x23 || b[0] === 0x0a || b[0] === 0x0d || b[0] === 0x20) b[0] = 0x01;
      await new Promise<void>((r, j) => udp.send(b, e.udpPort, '127.0.0.1', (err) => (err ? j(err) : r())));
    }

    // The good client still trades: a crossing order from a new client fills against its resting bid.
    const taker = await Client.open(e.tcpPort);
    taker.send('N, 9, IBM, 100, 4, S, 1\n');
    await waitFor(() => good.lines.includes('T, IBM, 1, 1, 9, 1, 100, 4') && taker.lines.includes('T, IBM, 1, 1, 9, 1, 100, 4'), { what: 'the trade at both clients' });
    expect(good.closed).toBe(false);
    const rssEnd = rssOf(e.proc.pid);
    maxRss = Math.max(maxRss, rssEnd);
    udp.close();
    good.close(); flood.close(); taker.close();
    const counters = await stopAndCounters(e);
    expect(counters.malformed + counters.udpMalformed).toBeGreaterThanOrEqual(BAD_FRAMES);
    // Loopback UDP drops datagrams under a burst; every one the engine received is counted malformed.
    expect(counters.udpDatagramsIn).toBeGreaterThan(UDP_GARBAGE / 20); // a loaded machine dropped 70 % once
    expect(counters.udpMalformed).toBe(counters.udpDatagramsIn);
    expect(udpReplies).toBe(0);
    expect(counters.rejects1 + counters.rejects2 + counters.rejects3 + counters.rejects10).toBeGreaterThanOrEqual(sent);
    // Bounded memory: the flood's working set is the engine's buffers, not a queue per message.
    expect(maxRss).toBeLessThan(rssStart + 256 * 1024 * 1024);
    figures('engine-bad-input', {
      fieldErrors: sent, fieldErrorMs, fieldErrorsPerSec: Math.round(sent / (fieldErrorMs / 1000)), badFrames: BAD_FRAMES, disconnected,
      badFramesMs, udpGarbage: UDP_GARBAGE, udpReceived: counters.udpDatagramsIn, udpCountedMalformed: counters.udpMalformed, tcpDisconnectMalformed: counters.tcpDisconnectMalformed,
      tcpDisconnectOversized: counters.tcpDisconnectOversizedFrame, rssStartMiB: +(rssStart / 2 ** 20).toFixed(1), rssMaxMiB: +(maxRss / 2 ** 20).toFixed(1),
      rssEndMiB: +(rssEnd / 2 ** 20).toFixed(1),
    });
  });

  it('serves 1000 concurrent TCP clients: every order acked, every pair traded', async () => {
    const e = await startEngine();
    const rssStart = rssOf(e.proc.pid);
    const t0 = Date.now();
    const clients: Client[] = [];
    for (let i = 0; i < CLIENTS; i += 100) clients.push(...await Promise.all(Array.from({ length: 100 }, () => Client.open(e.tcpPort))));
    const connectMs = Date.now() - t0;
    // Client i: user i+1; even ones buy, odd ones sell at the same price in their own symbol pair → one trade per pair.
    const t1 = Date.now();
    clients.forEach((c, i) => c.send(`N, ${i + 1}, S${Math.floor(i / 2)}, 100, 1, ${i % 2 === 0 ? 'B' : 'S'}, 1\n`));
    await waitFor(() => clients.every((c, i) => c.lines.includes(`A, S${Math.floor(i / 2)}, ${i + 1}, 1`) && c.lines.some((l) => l.startsWith('T,'))),
      { what: 'an ack and a trade at every client', timeoutMs: 60_000, intervalMs: 20 });
    const allAnsweredMs = Date.now() - t1;
    for (let i = 0; i < CLIENTS; i += 2) {
      const trade = `T, S${i / 2}, ${i + 1}, 1, ${i + 2}, 1, 100, 1`;
      expect(clients[i]!.lines).toContain(trade);
      expect(clients[i + 1]!.lines).toContain(trade);
    }
    expect(clients.filter((c) => c.closed).length).toBe(0);
    const rssEnd = rssOf(e.proc.pid);
    for (const c of clients) c.close();
    const counters = await stopAndCounters(e);
    expect(counters.tcpAccepted).toBeGreaterThanOrEqual(CLIENTS);
    expect(counters.tcpRefusedMaxClients).toBe(0);
    figures('engine-1000-clients', {
      clients: CLIENTS, connectMs, allAnsweredMs, trades: CLIENTS / 2, rssStartMiB: +(rssStart / 2 ** 20).toFixed(1), rssEndMiB: +(rssEnd / 2 ** 20).toFixed(1),
    });
  });
});

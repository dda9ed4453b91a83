/**
 * The matching engine alone from the product image, as in the engine's guide and docs/deploy.md: `docker run` with
 * the production options (read-only root, no capabilities, no new privileges, a nofile limit) and the ENGINE_*
 * variables — TCP only, UDP only, and single-threaded — on host networking (loopback only, free ports chosen here).
 * It answers the guide's protocol: a length-framed CSV order over TCP, a CSV datagram over UDP.
 */
import { createSocket } from 'node:dgram';
import { createServer, connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../packages/test-support/src/waitFor.js';
import { run, runOk } from './ComposeProject.js';

const image = process.env['MM_IMAGE'] ?? 'mm/platform:ci';
const nofile = Math.min(Number(process.env['MM_NOFILE'] ?? 65536), 20000);
const started: string[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function runEngine(env: Record<string, string>): Promise<string> {
  const name = `mm-engine-alone-${process.pid}-${started.length}`;
  started.push(name);
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await runOk('docker', ['run', '-d', '--name', name, '--network', 'host', '--read-only', '--tmpfs', '/tmp',
    '--tmpfs', '/app/logs:uid=10001,gid=10001', '--cap-drop=ALL', '--security-opt=no-new-privileges:true',
    `--ulimit`, `nofile=${nofile}:${nofile}`, '--memory', '256m', '--cpus', '1', ...envArgs,
    image, 'node', 'services/matching-engine/dist/main.js']);
  return name;
}

/** One TCP request/response with the guide's 4-byte big-endian framing; resolves with the first reply line. */
function tcpOrder(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      const payload = Buffer.from(line);
      const frame = Buffer.alloc(4 + payload.length);
      frame.writeUInt32BE(payload.length, 0);
      payload.copy(frame, 4);
      s.write(frame);
    });
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
        resolve(buf.subarray(4, 4 + buf.readUInt32BE(0)).toString().trim());
        s.destroy();
      }
    });
    s.on('error', reject);
  });
}

function udpOrder(port: number, line: string, timeoutMs = 1000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => { s.close(); resolve(undefined); }, timeoutMs);
    s.on('message', (m) => { clearTimeout(timer); s.close(); resolve(m.toString().split('\n')[0]); });
    s.send(line, port, '127.0.0.1');
  });
}

describe('matching engine alone from the image', () => {
  afterAll(async () => {
    for (const name of started) await run('docker', ['rm', '-f', name]);
  });

  it('TCP only, threaded (the default), hardened: acks over TCP, no UDP listener', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    const name = await runEngine({ ENGINE_TCP_PORT: String(tcp), ENGINE_UDP_PORT: String(udp), ENGINE_UDP_ENABLED: 'false' });
    const ack = await waitFor(() => tcpOrder(tcp, 'N, 1, IBM, 10000, 50, B, 1\n').catch(() => undefined), { timeoutMs: 30_000, what: `${name} answering on TCP ${tcp}` });
    expect(ack).toBe('A, IBM, 1, 1');
    expect(await udpOrder(udp, 'N, 1, IBM, 10000, 50, B, 2')).toBeUndefined();
  });

  it('UDP only, single-threaded: acks over UDP to the sender, no TCP listener', async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    await runEngine({ ENGINE_TCP_PORT: String(tcp), ENGINE_UDP_PORT: String(udp), ENGINE_TCP_ENABLED: 'false', ENGINE_THREADED: 'false' });
    const ack = await waitFor(() => udpOrder(udp, 'N, 2, IBM, 10000, 50, B, 7'), { timeoutMs: 30_000, what: 'the engine answering on UDP' });
    expect(ack).toBe('A, IBM, 2, 7');
    await expect(tcpOrder(tcp, 'N, 2, IBM, 10000, 50, B, 8\n')).rejects.toThrow(/ECONNREFUSED/);
  });
});

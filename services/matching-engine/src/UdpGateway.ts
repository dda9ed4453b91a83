/**
 * UDP transport: one input message per datagram (CSV datagrams may hold several lines). Each source address
 * (ip:port) is one client; replies go to it in the encoding it last used. Malformed datagrams are counted and
 * dropped (there is no connection to close, and answering garbage would let spoofed sources reflect traffic).
 * At most maxUdpClients addresses are remembered; the oldest is forgotten first (its orders keep resting but
 * can then be cancelled only with cancel-ownership "any").
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { EngineCounters } from './EngineCounters.js';
import type { EngineSession } from './EngineSession.js';
import { handlePayload } from './handlePayload.js';
import type { OutputRouter } from './OutputRouter.js';
import type { GatewayHooks } from './TcpGateway.js';
import { TokenBucket } from './TokenBucket.js';
import { UdpChannel } from './UdpChannel.js';

export interface UdpGatewayOptions {
  host: string;
  port: number;
  maxClients: number;
  messagesPerSecond: number;
  burst: number;
}

interface UdpClient {
  ch: UdpChannel;
  bucket: TokenBucket | null;
}

export class UdpGateway {
  readonly socket: Socket;
  private readonly clients = new Map<string, UdpClient>();

  constructor(
    private readonly opts: UdpGatewayOptions,
    private readonly session: EngineSession,
    private readonly router: OutputRouter,
    private readonly counters: EngineCounters,
    private readonly hooks: GatewayHooks,
  ) {
    this.socket = createSocket({ type: opts.host.includes(':') ? 'udp6' : 'udp4' });
    this.socket.on('message', (msg, rinfo) => this.onMessage(msg, rinfo));
    this.socket.on('error', () => {
      // ICMP unreachable replies and the like must not stop the engine; sends are best effort.
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(this.opts.port, this.opts.host, () => {
        this.socket.off('error', reject);
        // Bursts arrive faster than one event-loop turn drains them; a larger kernel buffer avoids drops.
        try {
          this.socket.setRecvBufferSize(4 << 20);
          this.socket.setSendBufferSize(4 << 20);
        } catch {
          // The OS may cap the size (net.core.rmem_max); the default then applies.
        }
        resolve(this.socket.address().port);
      });
    });
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    this.counters.udpDatagramsIn++;
    const key = `${rinfo.address}:${rinfo.port}`;
    let c = this.clients.get(key);
    if (c === undefined) {
      if (this.clients.size >= this.opts.maxClients) {
        const [oldKey, old] = this.clients.entries().next().value as [string, UdpClient];
        this.clients.delete(oldKey);
        this.router.remove(old.ch.id);
        this.hooks.clientGone(old.ch.id, false);
      }
      const ch = new UdpChannel(this.hooks.nextClientId(), rinfo.address, rinfo.port, this.socket);
      c = { ch, bucket: this.opts.messagesPerSecond > 0 ? new TokenBucket(this.opts.messagesPerSecond, this.opts.burst, performance.now()) : null };
      this.clients.set(key, c);
      this.router.add(ch);
    }
    if (!handlePayload(this.session, c.ch, c.bucket, performance.now(), msg, 0, msg.length, false)) this.counters.udpMalformed++;
    this.hooks.afterInput();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/**
 * Market data over UDP multicast: each datagram is an 8-byte big-endian sequence number (from 0, +1 per datagram)
 * followed by one binary trade or top-of-book message; each event is published once.
 */
import type { Socket } from 'node:dgram';
import { BinaryEncoder, MAX_OUTPUT_BYTES } from '@mm/matching';
import { CHUNK_BYTES } from './ClientChannel.js';
import type { EngineCounters } from './EngineCounters.js';

export class MulticastPublisher {
  readonly encoder = new BinaryEncoder();
  buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  private seq = 0;

  constructor(
    private readonly socket: Socket,
    private readonly group: string,
    private readonly port: number,
    private readonly counters: EngineCounters,
  ) {}

  begin(): number {
    if (this.pos + 8 + MAX_OUTPUT_BYTES > this.buf.length) {
      this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
      this.pos = 0;
    }
    return this.pos + 8;
  }

  end(n: number): void {
    const start = this.pos;
    this.buf.writeUInt32BE(Math.floor(this.seq / 0x100000000), start);
    this.buf.writeUInt32BE(this.seq >>> 0, start + 4);
    this.seq++;
    this.pos = start + 8 + n;
    this.counters.mcastSent++;
    this.socket.send(this.buf, start, 8 + n, this.port, this.group);
  }
}

/**
 * A UDP client's output, to the address it last sent from: CSV lines are batched into datagrams of at most
 * 1400 bytes; binary messages go one per datagram.
 */
import type { Socket } from 'node:dgram';
import { Encoding } from '@mm/matching';
import { ClientChannel, MAX_OUTPUT_BYTES } from './ClientChannel.js';

export const UDP_BATCH_BYTES = 1400;

export class UdpChannel extends ClientChannel {
  constructor(
    id: number,
    address: string,
    readonly port: number,
    private readonly socket: Socket,
  ) {
    super(id, address);
  }

  begin(): number {
    this.ensureRoom(MAX_OUTPUT_BYTES);
    return this.pos;
  }

  end(n: number): void {
    if (this.encoding === Encoding.BINARY) {
      this.flush();
      this.socket.send(this.buf, this.pos, n, this.port, this.address);
      this.pos += n;
      this.start = this.pos;
      return;
    }
    if (this.pos + n - this.start > UDP_BATCH_BYTES) this.flush();
    this.pos += n;
  }

  flush(): void {
    if (this.pos === this.start || this.closed) return;
    this.socket.send(this.buf, this.start, this.pos - this.start, this.port, this.address);
    this.start = this.pos;
  }
}

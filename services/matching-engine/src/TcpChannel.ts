/** A TCP client's output: every message is one frame, a 4-byte big-endian length then the payload. */
import type { Socket } from 'node:net';
import { ClientChannel, MAX_OUTPUT_BYTES } from './ClientChannel.js';

export class TcpChannel extends ClientChannel {
  constructor(
    id: number,
    address: string,
    readonly socket: Socket,
    private readonly maxBufferedBytes: number,
    private readonly onSlow: (ch: TcpChannel) => void,
  ) {
    super(id, address);
  }

  begin(): number {
    this.ensureRoom(4 + MAX_OUTPUT_BYTES);
    return this.pos + 4;
  }

  end(n: number): void {
    this.buf.writeUInt32BE(n, this.pos);
    this.pos += 4 + n;
  }

  flush(): void {
    if (this.pos === this.start || this.closed) return;
    this.socket.write(this.buf.subarray(this.start, this.pos));
    this.start = this.pos;
    // A client that does not read its output is disconnected before it costs the engine unbounded memory.
    if (this.socket.writableLength > this.maxBufferedBytes) this.onSlow(this);
  }
}

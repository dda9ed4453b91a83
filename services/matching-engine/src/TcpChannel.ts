/**
 * A TCP client's output: every message is one frame, a 4-byte big-endian length then the payload.
 * Unread output (bytes queued in the socket beyond what the kernel took) drives two rules: at half of
 * maxBufferedBytes (and once Node's own high-water mark is passed, so 'drain' will follow) the gateway stops reading
 * this client's input until its output drains (`onBackpressure`); above maxBufferedBytes (output the engine could
 * not hold back: trades against its resting orders, cancel acks of others' flushes, answers to input already read)
 * the client is disconnected as slow (`onSlow`).
 */
import type { Socket } from 'node:net';
import { ClientChannel, MAX_OUTPUT_BYTES } from './ClientChannel.js';

export class TcpChannel extends ClientChannel {
  constructor(
    id: number,
    address: string,
    readonly socket: Socket,
    private readonly maxBufferedBytes: number,
    private readonly onSlow: (ch: TcpChannel) => void,
    private readonly onBackpressure: (ch: TcpChannel) => void,
  ) {
    super(id, address);
    this.pauseBytes = maxBufferedBytes >>> 1;
  }

  private readonly pauseBytes: number;

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
    // A client that does not read its output is disconnected before it costs the engine unbounded memory; one that
    // reads slower than it writes is first no longer read, so its own input cannot grow its output further.
    const queued = this.socket.writableLength;
    if (queued > this.maxBufferedBytes) this.onSlow(this);
    else if (queued >= this.pauseBytes && this.socket.writableNeedDrain) this.onBackpressure(this);
  }
}

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { waitFor } from '@mm/test-support';

const enc = new TextEncoder();

/** Renders one output message (CSV line or binary frame) as a CSV line, so both encodings compare as text. */
export function renderOutput(b: Buffer): string {
  if (b[0] !== 0x4d) return b.toString('utf8').replace(/\n$/, '');
  const sym = b.subarray(2, 10).toString('latin1').replace(/\0+$/, '');
  const u = (o: number): number => b.readUInt32BE(o);
  switch (String.fromCharCode(b[1])) {
    case 'A':
      return `A, ${sym}, ${u(10)}, ${u(14)}`;
    case 'X':
      return `C, ${sym}, ${u(10)}, ${u(14)}`;
    case 'T':
      return `T, ${sym}, ${u(10)}, ${u(14)}, ${u(18)}, ${u(22)}, ${u(26)}, ${u(30)}`;
    case 'B':
      return u(11) === 0 && u(15) === 0 ? `B, ${sym}, ${String.fromCharCode(b[10])}, -, -` : `B, ${sym}, ${String.fromCharCode(b[10])}, ${u(11)}, ${u(15)}`;
    case 'R':
      return `R, ${sym}, ${u(10)}, ${u(14)}, ${b[18]}`;
    default:
      return `? ${b.toString('hex')}`;
  }
}

/** Encodes a CSV input line as the equivalent binary message (for the binary runs of the scenarios). */
export function toBinary(line: string): Buffer {
  const f = line.split(',').map((x) => x.trim());
  const sym = (s: string): Buffer => {
    const b = Buffer.alloc(8);
    b.write(s, 'latin1');
    return b;
  };
  if (f[0] === 'N') {
    const b = Buffer.alloc(27);
    b[0] = 0x4d;
    b[1] = 0x4e;
    b.writeUInt32BE(Number(f[1]), 2);
    sym(f[2]).copy(b, 6);
    b.writeUInt32BE(Number(f[3]), 14);
    b.writeUInt32BE(Number(f[4]), 18);
    b[22] = f[5].charCodeAt(0);
    b.writeUInt32BE(Number(f[6]), 23);
    return b;
  }
  if (f[0] === 'C' && f.length === 3) {
    const b = Buffer.alloc(10);
    b[0] = 0x4d;
    b[1] = 0x43;
    b.writeUInt32BE(Number(f[1]), 2);
    b.writeUInt32BE(Number(f[2]), 6);
    return b;
  }
  if (f[0] === 'C') {
    const b = Buffer.alloc(18);
    b[0] = 0x4d;
    b[1] = 0x43;
    b.writeUInt32BE(Number(f[1]), 2);
    sym(f[3]).copy(b, 6);
    b.writeUInt32BE(Number(f[2]), 14);
    return b;
  }
  if (f[0] === 'F') return Buffer.from([0x4d, 0x46]);
  throw new Error(`cannot encode '${line}'`);
}

export function frame(payload: Uint8Array | string): Buffer {
  const p = typeof payload === 'string' ? enc.encode(payload) : payload;
  const b = Buffer.allocUnsafe(4 + p.length);
  b.writeUInt32BE(p.length, 0);
  b.set(p, 4);
  return b;
}

/** A TCP client speaking the framed protocol; keeps every received frame (rendered as a CSV line) with its arrival time. */
export class TcpClient {
  readonly lines: string[] = [];
  readonly times: number[] = [];
  closed = false;
  private pending: Buffer = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {
      this.closed = true;
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.off('error', reject);
        resolve(new TcpClient(s));
      });
      s.once('error', reject);
    });
  }

  private onData(d: Buffer): void {
    this.pending = this.pending.length === 0 ? d : Buffer.concat([this.pending, d]);
    const now = performance.now();
    let o = 0;
    while (this.pending.length - o >= 4) {
      const n = this.pending.readUInt32BE(o);
      if (this.pending.length - o - 4 < n) break;
      this.lines.push(renderOutput(this.pending.subarray(o + 4, o + 4 + n)));
      this.times.push(now);
      o += 4 + n;
    }
    this.pending = this.pending.subarray(o);
  }

  send(msg: string | Uint8Array): void {
    this.socket.write(frame(msg));
  }

  sendRaw(b: Uint8Array): void {
    this.socket.write(b);
  }

  async waitForLine(pred: (l: string) => boolean, from = 0, timeoutMs = 10_000): Promise<number> {
    return waitFor(
      () => {
        for (let i = from; i < this.lines.length; i++) if (pred(this.lines[i])) return i + 1;
        return undefined;
      },
      { timeoutMs, what: 'an expected output line' },
    ).then((i) => i - 1);
  }

  async waitForCount(n: number, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.lines.length >= n, { timeoutMs, what: `${n} output lines (have ${this.lines.length})` });
  }

  async waitClosed(timeoutMs = 5_000): Promise<void> {
    await waitFor(() => this.closed, { timeoutMs, what: 'the engine to close the connection' });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A UDP client; received CSV datagrams are split into lines, binary datagrams rendered. */
export class UdpClient {
  readonly lines: string[] = [];
  private constructor(
    readonly socket: UdpSocket,
    private readonly port: number,
  ) {
    socket.on('message', (m: Buffer) => {
      if (m[0] === 0x4d) this.lines.push(renderOutput(m));
      else for (const l of m.toString('utf8').split('\n')) if (l !== '') this.lines.push(l);
    });
  }

  static async open(port: number): Promise<UdpClient> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    return new UdpClient(s, port);
  }

  send(msg: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(typeof msg === 'string' ? enc.encode(msg) : msg, this.port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  }

  async waitForLine(pred: (l: string) => boolean, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.lines.some(pred), { timeoutMs, what: 'an expected UDP output line' });
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Where one client's output goes. The router asks `begin()` for an offset in `buf` with MAX_OUTPUT_BYTES of room,
 * encodes one message there, then calls `end(length)`. Output is written from chunks that are never modified
 * once handed to the socket (a full chunk is replaced, not reused), so nothing is copied and nothing is
 * allocated per message; `flush()` is called once per input batch.
 */
import { BinaryEncoder, CsvEncoder, Encoding, MAX_OUTPUT_BYTES, type OutputEncoder } from '@mm/matching';

export const CHUNK_BYTES = 64 * 1024;
const csvEncoder = new CsvEncoder();
const binaryEncoder = new BinaryEncoder();

export abstract class ClientChannel {
  encoding: Encoding = Encoding.CSV;
  encoder: OutputEncoder = csvEncoder;
  buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** First byte not yet handed to the socket. */
  protected start = 0;
  protected pos = 0;
  dirty = false;
  closed = false;
  /**
   * Aggressor side ('B'/'S' byte) of the trade being encoded, set by the router before `begin()`: the wire's trade
   * has no such field, so only in-process clients (LocalQuoter: maker or taker fees) read it.
   */
  tradeAggressor = 0;
  /** User id a TCP connection is bound to (user binding), or -1. */
  boundUserId = -1;

  constructor(
    readonly id: number,
    /** Remote IP address (flush authorization). */
    readonly address: string,
  ) {}

  setEncoding(e: Encoding): void {
    this.encoding = e;
    this.encoder = e === Encoding.BINARY ? binaryEncoder : csvEncoder;
  }

  abstract begin(): number;
  abstract end(n: number): void;
  abstract flush(): void;

  /** Replaces the chunk when the next message might not fit (pending bytes are flushed first). */
  protected ensureRoom(need: number): void {
    if (this.pos + need <= this.buf.length) return;
    this.flush();
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.start = 0;
    this.pos = 0;
  }
}

export { MAX_OUTPUT_BYTES };

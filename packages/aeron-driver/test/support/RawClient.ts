/**
 * A deliberately small Aeron protocol client for driver tests: it speaks the raw CnC protocol (commands on the
 * to-driver ring, responses from the broadcast buffer, counters, log frames) so the driver can be tested without the
 * product's client. Test support only; not a product client.
 */
import { join } from 'node:path';
import {
  AtomicBuffer,
  BroadcastReceiver,
  CopyBroadcastReceiver,
  CountersReader,
  ManyToOneRingBuffer,
  MappedFile,
} from '@mm/agrona';

export interface Response {
  readonly type: number;
  readonly bytes: AtomicBuffer;
}

export interface Ready {
  readonly correlationId: number;
  readonly registrationId: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly limitCounterId: number;
  readonly logFileName: string;
}

export interface ImageInfo {
  readonly correlationId: number;
  readonly sessionId: number;
  readonly streamId: number;
  readonly subscriptionRegistrationId: number;
  readonly positionCounterId: number;
  readonly logFileName: string;
  readonly sourceIdentity: string;
}

export function readAscii(b: AtomicBuffer, offset: number): string {
  const length = b.getInt32(offset);
  return String.fromCharCode(...b.bytes.subarray(offset + 4, offset + 4 + length));
}

export function decodeReady(b: AtomicBuffer): Ready {
  return {
    correlationId: b.getInt64(0),
    registrationId: b.getInt64(8),
    sessionId: b.getInt32(16),
    streamId: b.getInt32(20),
    limitCounterId: b.getInt32(24),
    logFileName: readAscii(b, 32),
  };
}

export function decodeImage(b: AtomicBuffer): ImageInfo {
  const nameLength = b.getInt32(28);
  return {
    correlationId: b.getInt64(0),
    sessionId: b.getInt32(8),
    streamId: b.getInt32(12),
    subscriptionRegistrationId: b.getInt64(16),
    positionCounterId: b.getInt32(24),
    logFileName: readAscii(b, 28),
    sourceIdentity: readAscii(b, 32 + ((nameLength + 3) & ~3)),
  };
}

export class RawClient {
  readonly cnc: MappedFile;
  readonly toDriver: ManyToOneRingBuffer;
  readonly counters: CountersReader;
  readonly valuesBuffer: AtomicBuffer;
  readonly errorLog: AtomicBuffer;
  readonly clientId: number;
  readonly responses: Response[] = [];
  private readonly receiver: CopyBroadcastReceiver;
  private readonly scratch = AtomicBuffer.allocate(4096);

  constructor(aeronDir: string) {
    this.cnc = MappedFile.map(join(aeronDir, 'cnc.dat'));
    const b = this.cnc.buffer;
    const toDriverLength = b.getInt32(4);
    const toClientsLength = b.getInt32(8);
    const metaLength = b.getInt32(12);
    const valuesLength = b.getInt32(16);
    const errorLength = b.getInt32(20);
    let offset = 128;
    const next = (length: number): AtomicBuffer => {
      const v = new AtomicBuffer(b.buffer, offset, length);
      offset += length;
      return v;
    };
    this.toDriver = new ManyToOneRingBuffer(next(toDriverLength));
    this.receiver = new CopyBroadcastReceiver(new BroadcastReceiver(next(toClientsLength)));
    const meta = next(metaLength);
    this.valuesBuffer = next(valuesLength);
    this.errorLog = next(errorLength);
    this.counters = new CountersReader(meta, this.valuesBuffer);
    this.clientId = this.toDriver.nextCorrelationId();
  }

  close(): void {
    this.cnc.close();
  }

  /** Drains the broadcast buffer into `responses` (copies). */
  poll(): number {
    let n = 0;
    while (
      this.receiver.receive((type, buffer, index, length) => {
        const copy = AtomicBuffer.allocate(Math.max(8, length));
        copy.putBuffer(0, buffer, index, length);
        this.responses.push({ type, bytes: copy });
      }) > 0
    ) n++;
    return n;
  }

  /** Finds and removes the first response matching `predicate`. */
  take(predicate: (r: Response) => boolean): Response | undefined {
    const i = this.responses.findIndex(predicate);
    return i < 0 ? undefined : this.responses.splice(i, 1)[0];
  }

  takeFor(type: number, correlationId: number): Response | undefined {
    return this.take((r) => r.type === type && r.bytes.getInt64(0) === correlationId);
  }

  private send(type: number, fill: (b: AtomicBuffer) => number, correlationId = this.toDriver.nextCorrelationId()): number {
    const b = this.scratch;
    b.putInt64(0, this.clientId);
    b.putInt64(8, correlationId);
    const length = fill(b);
    if (!this.toDriver.write(type, b, 0, length)) throw new Error('to-driver ring full');
    return correlationId;
  }

  private putAscii(b: AtomicBuffer, offset: number, s: string): number {
    b.putInt32(offset, s.length);
    for (let i = 0; i < s.length; i++) b.putUint8(offset + 4 + i, s.charCodeAt(i));
    return offset + 4 + s.length;
  }

  addPublication(streamId: number, channel = 'aeron:ipc', exclusive = false): number {
    return this.send(exclusive ? 0x03 : 0x01, (b) => {
      b.putInt32(16, streamId);
      return this.putAscii(b, 20, channel);
    });
  }

  removePublication(registrationId: number): number {
    return this.send(0x02, (b) => (b.putInt64(16, registrationId), 24));
  }

  addSubscription(streamId: number, channel = 'aeron:ipc'): number {
    return this.send(0x04, (b) => {
      b.putInt64(16, -1);
      b.putInt32(24, streamId);
      return this.putAscii(b, 28, channel);
    });
  }

  removeSubscription(registrationId: number): number {
    return this.send(0x05, (b) => (b.putInt64(16, registrationId), 24));
  }

  addCounter(typeId: number, key: Uint8Array, label: string): number {
    return this.send(0x09, (b) => {
      b.putInt32(16, typeId);
      b.putInt32(20, key.length);
      b.putBytes(24, key, 0, key.length);
      return this.putAscii(b, 24 + ((key.length + 3) & ~3), label);
    });
  }

  removeCounter(registrationId: number): number {
    return this.send(0x0a, (b) => (b.putInt64(16, registrationId), 24));
  }

  keepalive(): number {
    return this.send(0x06, () => 16);
  }

  closeClient(): void {
    this.send(0x0b, () => 16, -1);
  }

  terminateDriver(): void {
    this.send(0x0e, (b) => (b.putInt32(16, 0), 20));
  }

  /** Sends raw bytes after the 16-byte header (malformed-command tests). */
  sendRaw(type: number, body: Uint8Array): number {
    return this.send(type, (b) => {
      b.putBytes(16, body, 0, body.length);
      return 16 + body.length;
    });
  }

  heartbeatCounterId(): number {
    let found = -1;
    this.counters.forEach((id, typeId, key, keyOffset) => {
      if (typeId === 11 && key.getInt64(keyOffset) === this.clientId) found = id;
    });
    return found;
  }

  /** Writes "now" into the client's heartbeat counter, as C/Java clients do every 500 ms. */
  heartbeat(nowMs = Date.now()): void {
    const id = this.heartbeatCounterId();
    if (id >= 0) this.valuesBuffer.putInt64Ordered(id * 128, nowMs);
  }
}

/** Publisher side of an IPC log for tests: concurrent-publication append of unfragmented messages. */
export class RawPublication {
  readonly file: MappedFile;
  readonly log: AtomicBuffer;
  readonly meta: number;
  readonly termLength: number;
  readonly initialTermId: number;
  readonly sessionId: number;
  readonly streamId: number;

  constructor(logFileName: string, private readonly counters: CountersReader, private readonly limitCounterId: number) {
    this.file = MappedFile.map(logFileName);
    this.log = this.file.buffer;
    this.meta = this.file.length - 4096;
    this.termLength = this.log.getInt32(this.meta + 276);
    this.initialTermId = this.log.getInt32(this.meta + 264);
    this.sessionId = this.log.getInt32(this.meta + 320 + 12);
    this.streamId = this.log.getInt32(this.meta + 320 + 16);
  }

  isConnected(): boolean {
    return this.log.getInt32Volatile(this.meta + 136) === 1;
  }

  limit(): number {
    return this.counters.getCounterValue(this.limitCounterId);
  }

  position(): number {
    const termCount = this.log.getInt32Volatile(this.meta + 24);
    const raw = this.log.getInt64VolatileBigInt(this.meta + (termCount % 3) * 8);
    const termId = Number(BigInt.asIntN(32, raw >> 32n));
    const offset = Math.min(Number(raw & 0xffffffffn), this.termLength);
    return ((termId - this.initialTermId) | 0) * this.termLength + offset;
  }

  /**
   * Claims space for `payload` and, unless `commit` is false, commits it. Returns the new position or
   * -1 NOT_CONNECTED, -2 BACK_PRESSURED, -3 ADMIN_ACTION. With commit=false the claim is left as a dead publisher
   * would leave it (negative frame length).
   */
  offer(payload: Uint8Array, commit = true): number {
    const limit = this.limit();
    const termCount = this.log.getInt32Volatile(this.meta + 24);
    const index = termCount % 3;
    const tailOffset = this.meta + index * 8;
    const raw = this.log.getInt64VolatileBigInt(tailOffset);
    const termId = Number(BigInt.asIntN(32, raw >> 32n));
    if (((termId - this.initialTermId) | 0) !== termCount) return -3;
    const termOffset0 = Math.min(Number(raw & 0xffffffffn), this.termLength);
    const position = termCount * this.termLength + termOffset0;
    if (position >= limit) return this.isConnected() ? -2 : -1;
    const frameLength = payload.length + 32;
    const aligned = (frameLength + 31) & ~31;
    const before = this.log.getAndAddInt64BigInt(tailOffset, BigInt(aligned));
    const termOffset = Number(before & 0xffffffffn);
    const base = index * this.termLength;
    const resulting = termOffset + aligned;
    if (resulting > this.termLength) {
      if (termOffset < this.termLength) {
        const padLength = this.termLength - termOffset;
        this.writeHeader(base + termOffset, termOffset, termId, 0, -padLength);
        this.log.putInt32Ordered(base + termOffset, padLength);
      }
      // rotate
      const nextTermId = (termId + 1) | 0;
      const nextIndex = (termCount + 1) % 3;
      const nextTail = this.meta + nextIndex * 8;
      for (;;) {
        const r = this.log.getInt64VolatileBigInt(nextTail);
        if (Number(BigInt.asIntN(32, r >> 32n)) !== ((nextTermId - 3) | 0)) break;
        if (this.log.compareAndSetInt64BigInt(nextTail, r, BigInt(nextTermId) << 32n)) break;
      }
      this.log.compareAndSetInt32(this.meta + 24, termCount, termCount + 1);
      return -3;
    }
    const at = base + termOffset;
    this.writeHeader(at, termOffset, termId, 1, -frameLength);
    this.log.putBytes(at + 32, payload, 0, payload.length);
    if (commit) this.log.putInt32Ordered(at, frameLength);
    return termCount * this.termLength + resulting;
  }

  private writeHeader(at: number, termOffset: number, termId: number, type: number, negativeLength: number): void {
    this.log.putInt32Ordered(at, negativeLength);
    this.log.putUint8(at + 4, 0);
    this.log.putUint8(at + 5, 0xc0);
    this.log.putInt16(at + 6, type);
    this.log.putInt32(at + 8, termOffset);
    this.log.putInt32(at + 12, this.sessionId);
    this.log.putInt32(at + 16, this.streamId);
    this.log.putInt32(at + 20, termId);
  }

  close(): void {
    this.file.close();
  }
}

/** Subscriber side: reads frames from the sub-pos counter position and advances it. */
export class RawImage {
  readonly file: MappedFile;
  readonly log: AtomicBuffer;
  readonly termLength: number;
  readonly meta: number;

  constructor(logFileName: string, private readonly values: AtomicBuffer, readonly positionCounterId: number) {
    this.file = MappedFile.map(logFileName);
    this.log = this.file.buffer;
    this.meta = this.file.length - 4096;
    this.termLength = this.log.getInt32(this.meta + 276);
  }

  position(): number {
    return this.values.getInt64Volatile(this.positionCounterId * 128);
  }

  endOfStreamPosition(): bigint {
    return this.log.getInt64VolatileBigInt(this.meta + 128);
  }

  /** Delivers up to `limit` DATA payloads (copies) and stores the new position. */
  poll(handler: (payload: Uint8Array) => void, limit = 10): number {
    const start = this.position();
    const termCount = Math.floor(start / this.termLength);
    let offset = start - termCount * this.termLength;
    const base = (termCount % 3) * this.termLength;
    let fragments = 0;
    while (fragments < limit && offset < this.termLength) {
      const length = this.log.getInt32Volatile(base + offset);
      if (length <= 0) break;
      const type = this.log.getInt16(base + offset + 6);
      if (type === 1) {
        handler(this.log.bytes.slice(base + offset + 32, base + offset + length));
        fragments++;
      }
      offset += (length + 31) & ~31;
    }
    const newPosition = termCount * this.termLength + offset;
    if (newPosition !== start) this.values.putInt64Ordered(this.positionCounterId * 128, newPosition);
    return fragments;
  }

  close(): void {
    this.file.close();
  }
}

/** Waits (yielding to the event loop) until `condition` holds or the deadline passes. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

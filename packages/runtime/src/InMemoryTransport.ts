import { AtomicBuffer } from '@mm/agrona';
import {
  BACK_PRESSURED,
  CLOSED,
  NOT_CONNECTED,
  type BufferClaim,
  type FragmentHandler,
  type FragmentHeader,
  type Publisher,
  type Subscriber,
  type SubscriptionOptions,
  type Transport,
} from './Transport.js';

/**
 * A single-process transport with Aeron's publish/subscribe semantics, for tests and deterministic backtests.
 *
 * Each publication owns a circular log of 8-byte-aligned frames `[length i32][type i32][payload]`; each subscription
 * holds one image (read position) per publication on its (channel, stream). Like Aeron:
 * - a publication with no subscriber returns NOT_CONNECTED; a full log (slowest *tethered* image a whole log behind)
 *   returns BACK_PRESSURED, never overwrites unread data;
 * - an untethered image that falls a whole log behind is moved forward to the oldest retained frame (it loses data,
 *   the publisher never waits for it);
 * - a late subscriber joins at the publication's current position.
 * Nothing is allocated per message: `offer` copies into the log, `poll` hands out views into it.
 */

const FRAME_HEADER = 8;
const TYPE_DATA = 1;
const TYPE_PAD = 0;
const UNFRAGMENTED = 0xc0;

const align8 = (n: number): number => (n + 7) & ~7;

class MemoryHeader implements FragmentHeader {
  sessionId = 0;
  streamId = 0;
  readonly flags = UNFRAGMENTED;
  pos = 0;
  position(): number {
    return this.pos;
  }
}

class MemoryImage {
  position: number;
  constructor(
    readonly log: MemoryLog,
    readonly untethered: boolean,
  ) {
    this.position = log.tail;
  }
}

class MemoryLog {
  readonly buffer: AtomicBuffer;
  readonly capacity: number;
  readonly mask: number;
  tail = 0;
  /** Claimed but not yet committed frame start, or -1. */
  pendingClaim = -1;
  readonly images: MemoryImage[] = [];
  closed = false;

  constructor(
    readonly sessionId: number,
    capacity: number,
  ) {
    if (capacity < 1024 || (capacity & (capacity - 1)) !== 0) {
      throw new RangeError(`in-memory log capacity must be a power of two >= 1024, got ${capacity}`);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    this.buffer = AtomicBuffer.allocate(capacity);
  }

  /** Lowest position a tethered image still needs. */
  minTetheredPosition(): number {
    let min = this.tail;
    for (let i = 0; i < this.images.length; i++) {
      const img = this.images[i]!;
      if (!img.untethered && img.position < min) min = img.position;
    }
    return min;
  }
}

class MemoryClaim implements BufferClaim {
  buffer!: AtomicBuffer;
  offset = 0;
  length = 0;
  log: MemoryLog | undefined;
  frameOffset = 0;
  commit(): void {
    const log = this.log;
    if (!log) throw new Error('BufferClaim.commit without a successful tryClaim');
    log.buffer.putInt32(this.frameOffset + 4, TYPE_DATA);
    log.pendingClaim = -1;
    this.log = undefined;
  }
  abort(): void {
    const log = this.log;
    if (!log) throw new Error('BufferClaim.abort without a successful tryClaim');
    log.buffer.putInt32(this.frameOffset + 4, TYPE_PAD);
    log.pendingClaim = -1;
    this.log = undefined;
  }
}

class MemoryPublication implements Publisher {
  readonly maxMessageLength: number;
  readonly maxPayloadLength: number;
  isClosed = false;

  constructor(
    readonly channel: string,
    readonly streamId: number,
    readonly log: MemoryLog,
    private readonly onClose: (p: MemoryPublication) => void,
  ) {
    this.maxMessageLength = log.capacity / 8;
    this.maxPayloadLength = this.maxMessageLength;
  }

  isConnected(): boolean {
    return !this.isClosed && this.log.images.length > 0;
  }

  offer(buffer: AtomicBuffer, offset: number, length: number): number {
    const frame = this.claimFrame(length);
    if (frame < 0) return frame;
    const log = this.log;
    const at = frame & log.mask;
    log.buffer.putBuffer(at + FRAME_HEADER, buffer, offset, length);
    log.buffer.putInt32(at + 4, TYPE_DATA);
    log.pendingClaim = -1;
    return log.tail;
  }

  tryClaim(length: number, claim: BufferClaim): number {
    if (!(claim instanceof MemoryClaim)) {
      throw new TypeError('in-memory tryClaim needs the claim from InMemoryTransport.newBufferClaim()');
    }
    const frame = this.claimFrame(length);
    if (frame < 0) return frame;
    const log = this.log;
    const at = frame & log.mask;
    claim.buffer = log.buffer;
    claim.offset = at + FRAME_HEADER;
    claim.length = length;
    claim.frameOffset = at;
    claim.log = log;
    return log.tail;
  }

  /** Reserves a contiguous frame (padding to the end of the log if needed); returns its position or a code. */
  private claimFrame(length: number): number {
    if (this.isClosed) return CLOSED;
    const log = this.log;
    if (length < 0 || length > this.maxMessageLength) {
      throw new RangeError(`message of ${length} bytes exceeds max ${this.maxMessageLength} on stream ${this.streamId}`);
    }
    if (log.pendingClaim >= 0) throw new Error(`stream ${this.streamId}: previous tryClaim was neither committed nor aborted`);
    if (log.images.length === 0) return NOT_CONNECTED;
    const frameLength = align8(FRAME_HEADER + length);
    let tail = log.tail;
    const at = tail & log.mask;
    const padding = at + frameLength > log.capacity ? log.capacity - at : 0;
    const limit = log.minTetheredPosition() + log.capacity;
    if (tail + padding + frameLength > limit) return BACK_PRESSURED;
    if (padding > 0) {
      log.buffer.putInt32(at, padding);
      log.buffer.putInt32(at + 4, TYPE_PAD);
      tail += padding;
    }
    const frameAt = tail & log.mask;
    log.buffer.putInt32(frameAt, frameLength);
    log.buffer.putInt32(frameAt + 4, -1); // claimed, not yet readable
    log.pendingClaim = tail;
    log.tail = tail + frameLength;
    this.releaseUntethered();
    return tail;
  }

  /** Untethered images more than a log behind skip ahead; the publisher never waits for them. */
  private releaseUntethered(): void {
    const log = this.log;
    const oldest = log.tail - log.capacity;
    for (let i = 0; i < log.images.length; i++) {
      const img = log.images[i]!;
      if (img.untethered && img.position < oldest) img.position = log.tail;
    }
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.onClose(this);
  }
}

class MemorySubscription implements Subscriber {
  readonly images: MemoryImage[] = [];
  isClosed = false;
  /** Images whose publication closed; removed (with onUnavailableImage) once drained, like Aeron's end of stream. */
  closingImages = 0;
  private readonly header = new MemoryHeader();
  private roundRobin = 0;

  constructor(
    readonly channel: string,
    readonly streamId: number,
    readonly options: SubscriptionOptions,
    private readonly onClose: (s: MemorySubscription) => void,
  ) {
    this.header.streamId = streamId;
  }

  isConnected(): boolean {
    return this.images.length > 0;
  }

  imageCount(): number {
    return this.images.length;
  }

  poll(handler: FragmentHandler, fragmentLimit: number): number {
    const count = this.images.length;
    if (count === 0 || this.isClosed) return 0;
    let fragments = 0;
    const start = this.roundRobin++ % count;
    for (let n = 0; n < count && fragments < fragmentLimit; n++) {
      fragments += this.pollImage(this.images[(start + n) % count]!, handler, fragmentLimit - fragments);
    }
    if (this.closingImages > 0) this.reapDrained();
    return fragments;
  }

  private reapDrained(): void {
    for (let i = this.images.length - 1; i >= 0; i--) {
      const image = this.images[i]!;
      if (image.log.closed && image.position >= image.log.tail) {
        this.images.splice(i, 1);
        this.closingImages--;
        this.options.onUnavailableImage?.(image.log.sessionId);
      }
    }
  }

  private pollImage(image: MemoryImage, handler: FragmentHandler, limit: number): number {
    const log = image.log;
    const header = this.header;
    header.sessionId = log.sessionId;
    let fragments = 0;
    while (fragments < limit && image.position < log.tail) {
      const at = image.position & log.mask;
      const frameLength = log.buffer.getInt32(at);
      const type = log.buffer.getInt32(at + 4);
      if (type < 0) break; // claimed but not committed: later frames wait behind it, as in Aeron
      image.position += frameLength;
      if (type === TYPE_DATA) {
        header.pos = image.position;
        fragments++;
        handler(log.buffer, at + FRAME_HEADER, frameLength - FRAME_HEADER, header);
        // The handler may have closed us or the publication.
        if (this.isClosed) break;
      }
    }
    return fragments;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.onClose(this);
  }
}

export interface InMemoryTransportOptions {
  /** Log capacity per publication in bytes (a power of two). */
  readonly logCapacity?: number;
}

export class InMemoryTransport implements Transport {
  private readonly publications: MemoryPublication[] = [];
  private readonly subscriptions: MemorySubscription[] = [];
  private nextSessionId = 1;
  private readonly logCapacity: number;

  constructor(options: InMemoryTransportOptions = {}) {
    this.logCapacity = options.logCapacity ?? 1 << 20;
  }

  /** A claim object usable with this transport's `tryClaim`. */
  newBufferClaim(): BufferClaim {
    return new MemoryClaim();
  }

  addExclusivePublication(channel: string, streamId: number): Promise<Publisher> {
    return Promise.resolve(this.addExclusivePublicationSync(channel, streamId));
  }

  addSubscription(channel: string, streamId: number, options: SubscriptionOptions = {}): Promise<Subscriber> {
    return Promise.resolve(this.addSubscriptionSync(channel, streamId, options));
  }

  addExclusivePublicationSync(channel: string, streamId: number): Publisher {
    const log = new MemoryLog(this.nextSessionId++, this.logCapacity);
    const pub = new MemoryPublication(channel, streamId, log, (p) => this.removePublication(p));
    this.publications.push(pub);
    for (const sub of this.subscriptions) {
      if (matches(sub, pub)) this.link(sub, pub);
    }
    return pub;
  }

  addSubscriptionSync(channel: string, streamId: number, options: SubscriptionOptions = {}): Subscriber {
    const untethered = options.untethered ?? /[?|]tether=false\b/.test(channel);
    const sub = new MemorySubscription(channel, streamId, { ...options, untethered }, (s) => this.removeSubscription(s));
    this.subscriptions.push(sub);
    for (const pub of this.publications) {
      if (matches(sub, pub)) this.link(sub, pub);
    }
    return sub;
  }

  doWork(): number {
    return 0;
  }

  close(): void {
    for (const p of [...this.publications]) p.close();
    for (const s of [...this.subscriptions]) s.close();
  }

  private link(sub: MemorySubscription, pub: MemoryPublication): void {
    const image = new MemoryImage(pub.log, sub.options.untethered === true);
    sub.images.push(image);
    pub.log.images.push(image);
    sub.options.onAvailableImage?.(pub.log.sessionId, 'in-memory');
  }

  private removePublication(pub: MemoryPublication): void {
    this.publications.splice(this.publications.indexOf(pub), 1);
    pub.log.closed = true;
    for (const sub of this.subscriptions) {
      if (sub.images.some((img) => img.log === pub.log)) sub.closingImages++;
    }
  }

  private removeSubscription(sub: MemorySubscription): void {
    this.subscriptions.splice(this.subscriptions.indexOf(sub), 1);
    for (const image of sub.images) {
      const imgs = image.log.images;
      const idx = imgs.indexOf(image);
      if (idx >= 0) imgs.splice(idx, 1);
    }
    sub.images.length = 0;
  }
}

/** Same stream and the same media (`aeron:ipc` vs others); channel parameters other than the media do not split. */
function matches(sub: MemorySubscription, pub: MemoryPublication): boolean {
  return sub.streamId === pub.streamId && media(sub.channel) === media(pub.channel);
}

function media(channel: string): string {
  const q = channel.indexOf('?');
  return q < 0 ? channel : channel.slice(0, q);
}

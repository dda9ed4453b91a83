import type { AtomicBuffer } from '@mm/agrona';
import type { BufferClaim, Publisher } from './Transport.js';

/** A publisher that adds something around another's `offer`/`tryClaim` and passes everything else through. */
export abstract class DelegatingPublisher implements Publisher {
  constructor(protected readonly inner: Publisher) {}

  get streamId(): number { return this.inner.streamId; }
  get channel(): string { return this.inner.channel; }
  get maxMessageLength(): number { return this.inner.maxMessageLength; }
  get maxPayloadLength(): number { return this.inner.maxPayloadLength; }
  get isClosed(): boolean { return this.inner.isClosed; }

  abstract offer(buffer: AtomicBuffer, offset: number, length: number): number;
  abstract tryClaim(length: number, claim: BufferClaim): number;

  isConnected(): boolean { return this.inner.isConnected(); }
  close(): void { this.inner.close(); }
}

/**
 * Reassembles messages that the publisher fragmented (frames with BEGIN ... END flags) before handing them to the
 * delegate; unfragmented messages pass straight through with no copy.
 *
 * Invariants: one growable buffer per session id, created on the first fragmented message of that session and
 * reused (so steady state allocates nothing); it only grows (doubling). A middle/END fragment without its BEGIN
 * (joined mid-message) is dropped. The header passed with a reassembled message is the END fragment's.
 */
import { AtomicBuffer } from '@mm/agrona';
import { BEGIN_FLAG, END_FLAG } from './protocol/DataHeaderFlyweight.js';
import type { Header } from './logbuffer/Header.js';

/** What the assembler needs of a fragment's header; Aeron's `Header` and the runtime's `FragmentHeader` both fit. */
export interface FragmentHeaderLike {
  readonly sessionId: number;
  readonly flags: number;
}

export type MessageFragmentHandler<H extends FragmentHeaderLike = Header> =
  (buffer: AtomicBuffer, offset: number, length: number, header: H) => void;

class BufferBuilder {
  buffer: AtomicBuffer;
  limit = 0;
  active = false;
  constructor(initialLength: number) {
    this.buffer = AtomicBuffer.allocate(initialLength);
  }
  append(src: AtomicBuffer, srcOffset: number, length: number): void {
    const required = this.limit + length;
    if (required > this.buffer.capacity) {
      let capacity = this.buffer.capacity;
      while (capacity < required) capacity *= 2;
      const grown = AtomicBuffer.allocate(capacity);
      grown.putBuffer(0, this.buffer, 0, this.limit);
      this.buffer = grown;
    }
    this.buffer.putBuffer(this.limit, src, srcOffset, length);
    this.limit = required;
  }
}

export class FragmentAssembler<H extends FragmentHeaderLike = Header> {
  private readonly delegate: MessageFragmentHandler<H>;
  private readonly initialBufferLength: number;
  private readonly builders = new Map<number, BufferBuilder>();
  /** Pass this to `poll`: bound once so polling allocates no closure. */
  readonly handler: MessageFragmentHandler<H>;

  constructor(delegate: MessageFragmentHandler<H>, initialBufferLength = 4096) {
    this.delegate = delegate;
    this.initialBufferLength = Math.max(64, initialBufferLength);
    this.handler = (buffer, offset, length, header) => this.onFragment(buffer, offset, length, header);
  }

  onFragment(buffer: AtomicBuffer, offset: number, length: number, header: H): void {
    const flags = header.flags;
    if ((flags & (BEGIN_FLAG | END_FLAG)) === (BEGIN_FLAG | END_FLAG)) {
      this.delegate(buffer, offset, length, header);
      return;
    }
    const sessionId = header.sessionId;
    let builder = this.builders.get(sessionId);
    if ((flags & BEGIN_FLAG) !== 0) {
      if (builder === undefined) {
        builder = new BufferBuilder(this.initialBufferLength);
        this.builders.set(sessionId, builder);
      }
      builder.limit = 0;
      builder.active = true;
      builder.append(buffer, offset, length);
      return;
    }
    if (builder === undefined || !builder.active) return;
    builder.append(buffer, offset, length);
    if ((flags & END_FLAG) !== 0) {
      builder.active = false;
      this.delegate(builder.buffer, 0, builder.limit, header);
    }
  }

  /** Drops the partial message of a session whose image went away. */
  freeSessionBuffer(sessionId: number): boolean { return this.builders.delete(sessionId); }
}

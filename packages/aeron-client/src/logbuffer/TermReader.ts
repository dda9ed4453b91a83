/**
 * Reads committed frames from one term, as an Image's poll does.
 *
 * Invariants: frame_length is acquire-loaded and reading stops at the first frame whose length is <= 0 (not yet
 * committed, or cleaned); PAD frames are skipped; a read never crosses the end of the term. A fragment counts as
 * consumed BEFORE its handler runs (as in Aeron): if the handler throws, `offset` already points past it, so the
 * caller can still release the position in a `finally` and the failing fragment is not redelivered forever.
 * Allocation-free: results are left in the `offset`/`fragmentsRead` fields.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { FRAME_ALIGNMENT, HDR_TYPE_PAD, HEADER_LENGTH, TYPE_FIELD_OFFSET } from '../protocol/DataHeaderFlyweight.js';
import type { Header } from './Header.js';

export type TermFragmentHandler = (buffer: AtomicBuffer, offset: number, length: number, header: Header) => void;

export class TermReader {
  /** Term offset reached (also valid after a handler threw). */
  offset = 0;
  /** Fragments delivered (also valid after a handler threw). */
  fragmentsRead = 0;

  /** Delivers up to `fragmentsLimit` DATA frames from `termOffset`; returns the number delivered. */
  read(termBuffer: AtomicBuffer, termOffset: number, handler: TermFragmentHandler, fragmentsLimit: number, header: Header): number {
    const capacity = termBuffer.capacity;
    const i32 = termBuffer.i32;
    this.offset = termOffset;
    this.fragmentsRead = 0;
    while (this.fragmentsRead < fragmentsLimit && this.offset < capacity) {
      const frameOffset = this.offset;
      const frameLength = Atomics.load(i32, frameOffset >> 2);
      if (frameLength <= 0) break;
      this.offset = frameOffset + ((frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1));
      // Frames are 32-aligned: the type is the high half of the aligned int32 at offset 4 (little-endian).
      if ((i32[(frameOffset >> 2) + (TYPE_FIELD_OFFSET >> 2)]! >>> 16) === HDR_TYPE_PAD) continue;
      this.fragmentsRead++;
      header.wrap(termBuffer, frameOffset);
      handler(termBuffer, frameOffset + HEADER_LENGTH, frameLength - HEADER_LENGTH, header);
    }
    return this.fragmentsRead;
  }
}

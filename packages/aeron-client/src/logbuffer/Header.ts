/**
 * The header of the fragment being delivered, reused for every fragment (one instance per Image/reader): valid
 * only during the handler call. Satisfies the runtime `FragmentHeader` shape.
 */
import type { AtomicBuffer } from '@mm/agrona';
import {
  FLAGS_FIELD_OFFSET, FRAME_ALIGNMENT, RESERVED_VALUE_OFFSET, SESSION_ID_FIELD_OFFSET, STREAM_ID_FIELD_OFFSET,
  TERM_ID_FIELD_OFFSET, TERM_OFFSET_FIELD_OFFSET, TYPE_FIELD_OFFSET,
} from '../protocol/DataHeaderFlyweight.js';
import { computePosition } from './LogBufferDescriptor.js';

export class Header {
  buffer!: AtomicBuffer;
  offset = 0;
  initialTermId: number;
  positionBitsToShift: number;
  /** Opaque per-image context (the Image); Aeron's `context()`. */
  context: unknown;

  constructor(initialTermId: number, positionBitsToShift: number, context?: unknown) {
    this.initialTermId = initialTermId;
    this.positionBitsToShift = positionBitsToShift;
    this.context = context;
  }

  wrap(buffer: AtomicBuffer, offset: number): this {
    this.buffer = buffer;
    this.offset = offset;
    return this;
  }

  get sessionId(): number { return this.buffer.getInt32(this.offset + SESSION_ID_FIELD_OFFSET); }
  get streamId(): number { return this.buffer.getInt32(this.offset + STREAM_ID_FIELD_OFFSET); }
  get flags(): number { return this.buffer.getUint8(this.offset + FLAGS_FIELD_OFFSET); }
  get termId(): number { return this.buffer.getInt32(this.offset + TERM_ID_FIELD_OFFSET); }
  get termOffset(): number { return this.buffer.getInt32(this.offset + TERM_OFFSET_FIELD_OFFSET); }
  get type(): number { return this.buffer.getUint16(this.offset + TYPE_FIELD_OFFSET); }
  get frameLength(): number { return this.buffer.getInt32(this.offset); }
  reservedValue(): bigint { return this.buffer.getInt64BigInt(this.offset + RESERVED_VALUE_OFFSET); }

  /** Stream position just after this fragment. */
  position(): number {
    const frameEnd = this.termOffset + ((this.frameLength + FRAME_ALIGNMENT - 1) & ~(FRAME_ALIGNMENT - 1));
    return computePosition(this.termId, frameEnd, this.positionBitsToShift, this.initialTermId);
  }
}

/**
 * TERMINATE_DRIVER (0x0E).
 *
 *   0  int64 client id | 8 int64 correlation id
 *   16 int32 token length
 *   20 token bytes
 */
import type { AtomicBuffer } from '@mm/agrona';
import { CorrelatedMessageFlyweight } from './CorrelatedMessageFlyweight.js';
import { Flyweight } from './Flyweight.js';

export const TERMINATE_TOKEN_LENGTH_OFFSET = 16;
export const TERMINATE_TOKEN_BUFFER_OFFSET = 20;

export class TerminateDriverFlyweight extends CorrelatedMessageFlyweight {
  tokenLength(): number { return this.buffer.getInt32(this.offset + TERMINATE_TOKEN_LENGTH_OFFSET); }
  tokenBufferOffset(): number { return this.offset + TERMINATE_TOKEN_BUFFER_OFFSET; }
  setToken(token: AtomicBuffer | null, tokenOffset = 0, tokenLength = 0): this {
    this.buffer.putInt32(this.offset + TERMINATE_TOKEN_LENGTH_OFFSET, tokenLength);
    if (token !== null && tokenLength > 0) this.buffer.putBuffer(this.offset + TERMINATE_TOKEN_BUFFER_OFFSET, token, tokenOffset, tokenLength);
    return this;
  }
  length(): number { return TERMINATE_TOKEN_BUFFER_OFFSET + this.tokenLength(); }
  validateLength(length: number): void {
    Flyweight.checkLength('TERMINATE_DRIVER', length, TERMINATE_TOKEN_BUFFER_OFFSET);
    Flyweight.checkLength('TERMINATE_DRIVER', length, this.length());
  }
}

/**
 * Validates a message against its spec before any field is read: bounds, template, version, block length, level
 * counts, enum and flag values, and int64 fields within ±2^53 (so Number getters are exact). Allocation-free; the dispatcher and every decoder's `wrapChecked` use it.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { DecodeResult } from './DecodeResult.js';
import { HEADER_LENGTH, MessageHeader, SCHEMA_VERSION } from './MessageHeader.js';
import type { FieldSpec, MessageSpec } from './MessageSpec.js';

/** Checks the header fields common to every template (not the template id). */
export function checkHeader(buffer: AtomicBuffer, offset: number, length: number): DecodeResult {
  if (!(offset >= 0 && length >= HEADER_LENGTH && offset + length <= buffer.capacity)) return DecodeResult.TRUNCATED;
  const version = MessageHeader.schemaVersion(buffer, offset);
  if (version > SCHEMA_VERSION) return DecodeResult.NEWER_VERSION;
  if (version === 0) return DecodeResult.BAD_VALUE;
  return DecodeResult.OK;
}

/** Full check of a message of the template `spec` in `[offset, offset + length)`. */
export function checkMessage(spec: MessageSpec, buffer: AtomicBuffer, offset: number, length: number): DecodeResult {
  const header = checkHeader(buffer, offset, length);
  if (header !== DecodeResult.OK) return header;
  if (MessageHeader.templateId(buffer, offset) !== spec.templateId) return DecodeResult.UNKNOWN_TEMPLATE;
  const blockLength = MessageHeader.blockLength(buffer, offset);
  if (blockLength < spec.blockLength) return DecodeResult.BAD_VALUE;
  if (length < HEADER_LENGTH + blockLength) return DecodeResult.TRUNCATED;
  const levels = spec.levels;
  if (levels !== undefined) {
    const bids = buffer.getUint8(offset + levels.bidCountOffset);
    const asks = buffer.getUint8(offset + levels.askCountOffset);
    if (bids > levels.maxPerSide || asks > levels.maxPerSide) return DecodeResult.BAD_VALUE;
    if (length < HEADER_LENGTH + blockLength + (bids + asks) * levels.entryLength) return DecodeResult.TRUNCATED;
    const start = offset + HEADER_LENGTH + blockLength;
    const entryFields = levels.fields;
    for (let e = 0, n = bids + asks; e < n; e++) {
      for (let f = 0; f < entryFields.length; f++) {
        if (!valueAllowed(entryFields[f]!, buffer, start + e * levels.entryLength)) return DecodeResult.BAD_VALUE;
      }
    }
  }
  const fields = spec.fields;
  for (let i = 0; i < fields.length; i++) {
    if (!valueAllowed(fields[i]!, buffer, offset)) return DecodeResult.BAD_VALUE;
  }
  return DecodeResult.OK;
}

const INT53_HI_LIMIT = 2097152; // 2^21: high words of int64 values within ±2^53

function valueAllowed(field: FieldSpec, buffer: AtomicBuffer, offset: number): boolean {
  switch (field.type) {
    case 'enum': return field.values![buffer.getUint8(offset + field.offset)] !== undefined;
    case 'bool': return buffer.getUint8(offset + field.offset) <= 1;
    case 'flags': return (buffer.getUint8(offset + field.offset) & ~flagMask(field)) === 0;
    // Integers travel as int64 but are handled as Numbers: beyond 2^53 a getter would silently round.
    case 'i64': case 'fixed8': {
      const hi = buffer.getInt64Hi(offset + field.offset);
      return hi >= -INT53_HI_LIMIT && hi < INT53_HI_LIMIT;
    }
    default: return true;
  }
}

const masks = new WeakMap<FieldSpec, number>();
function flagMask(field: FieldSpec): number {
  let mask = masks.get(field);
  if (mask === undefined) {
    mask = 0;
    for (const bit of Object.keys(field.values ?? {})) mask |= Number(bit);
    masks.set(field, mask);
  }
  return mask;
}

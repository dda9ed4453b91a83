/**
 * Renders any message as one JSON line, driven by the field tables (for `mm tail`, the dashboard and golden
 * tests). Allocates freely: this is for observers, not the trading path. Never throws on bad bytes: a message
 * that fails its check renders as `{"error": ...}`.
 *
 * Value mapping: integers → numbers; fixed8 → exact decimal strings ("65000.12000000"); epochNs → exact decimal
 * strings of ns; f64 → numbers (NaN/±Infinity → null); enum → name; flags → array of names; bool → boolean.
 */
import type { AtomicBuffer } from '@mm/agrona';
import { codecOf } from './Codecs.js';
import { DecodeResult, decodeResultName } from './DecodeResult.js';
import { formatFixed8 } from './FixedPoint.js';
import { formatEpochNs } from './Int64.js';
import { checkHeader, checkMessage } from './MessageCheck.js';
import { HEADER_LENGTH, MessageHeader } from './MessageHeader.js';
import type { FieldSpec, MessageSpec } from './MessageSpec.js';
import { getAscii } from './Symbol.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function formatFixed8Big(units: bigint): string {
  const abs = units < 0n ? -units : units;
  return `${units < 0n ? '-' : ''}${abs / 100_000_000n}.${(abs % 100_000_000n).toString().padStart(8, '0')}`;
}

function fieldValue(field: FieldSpec, buffer: AtomicBuffer, at: number): JsonValue {
  switch (field.type) {
    case 'u8': return buffer.getUint8(at);
    case 'u16': return buffer.getUint16(at);
    case 'u32': return buffer.getUint32(at);
    case 'i64': {
      const v = buffer.getInt64(at);
      return Number.isSafeInteger(v) ? v : buffer.getInt64BigInt(at).toString();
    }
    case 'fixed8': {
      const v = buffer.getInt64(at);
      return Number.isSafeInteger(v) ? formatFixed8(v) : formatFixed8Big(buffer.getInt64BigInt(at));
    }
    case 'epochNs': return formatEpochNs(buffer.getInt64Hi(at), buffer.getInt64Lo(at));
    case 'f64': { const v = buffer.getFloat64(at); return Number.isFinite(v) ? v : null; }
    case 'char': return getAscii(buffer, at, field.length ?? 0);
    case 'enum': { const v = buffer.getUint8(at); return field.values?.[v] ?? v; }
    case 'bool': return buffer.getUint8(at) === 1;
    case 'flags': {
      const v = buffer.getUint8(at);
      const names: string[] = [];
      for (const [bit, name] of Object.entries(field.values ?? {})) if ((v & Number(bit)) !== 0) names.push(name);
      return names;
    }
    case 'padding': return null;
  }
}

/** The message as a plain object (after `checkMessage` passed). */
export function messageToObject(spec: MessageSpec, buffer: AtomicBuffer, offset: number): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {
    template: spec.name,
    stream: spec.streamId,
    version: MessageHeader.schemaVersion(buffer, offset),
  };
  for (const field of spec.fields) {
    if (field.type !== 'padding') out[field.name] = fieldValue(field, buffer, offset + field.offset);
  }
  const levels = spec.levels;
  if (levels !== undefined) {
    const start = offset + HEADER_LENGTH + MessageHeader.blockLength(buffer, offset);
    const bids = buffer.getUint8(offset + levels.bidCountOffset);
    const asks = buffer.getUint8(offset + levels.askCountOffset);
    const side = (first: number, count: number): JsonValue[] => {
      const rows: JsonValue[] = [];
      for (let i = 0; i < count; i++) {
        const at = start + (first + i) * levels.entryLength;
        rows.push(levels.fields.map((f) => fieldValue(f, buffer, at + f.offset)));
      }
      return rows;
    };
    out.bids = side(0, bids);
    out.asks = side(bids, asks);
  }
  return out;
}

/** Decodes any message to a JSON object, or `{error, templateId?, length}` when it cannot be read. */
export function decodeToObject(buffer: AtomicBuffer, offset: number, length: number): Record<string, JsonValue> {
  const header = checkHeader(buffer, offset, length);
  if (header !== DecodeResult.OK) {
    return header === DecodeResult.TRUNCATED
      ? { error: decodeResultName(header), length }
      : { error: decodeResultName(header), templateId: MessageHeader.templateId(buffer, offset),
        version: MessageHeader.schemaVersion(buffer, offset), length };
  }
  const templateId = MessageHeader.templateId(buffer, offset);
  const spec = codecOf(templateId);
  if (spec === undefined) return { error: decodeResultName(DecodeResult.UNKNOWN_TEMPLATE), templateId, length };
  const result = checkMessage(spec, buffer, offset, length);
  if (result !== DecodeResult.OK) return { error: decodeResultName(result), template: spec.name, templateId, length };
  return messageToObject(spec, buffer, offset);
}

/** One JSON line (no trailing newline) for any message; never throws. */
export function decodeToJson(buffer: AtomicBuffer, offset: number, length: number): string {
  return JSON.stringify(decodeToObject(buffer, offset, length));
}

/** Alias of `decodeToJson`, named as `mm tail` expects. */
export const toJson = decodeToJson;

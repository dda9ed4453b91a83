/**
 * The field tables every codec exports. They drive the generic parts of the protocol (checking a message before
 * it is read, JSON rendering for `mm tail`, `docs/protocol.md`) so those can never drift from the layouts; the
 * codecs' getters and setters read the same offset constants.
 *
 * Offsets are from the start of the message (the header occupies bytes 0..7). Every table tiles its fixed block
 * exactly, padding included, and 8-byte fields sit on 8-byte boundaries.
 */
export type FieldType =
  | 'u8' | 'u16' | 'u32'
  /** int64, exact as a Number up to 2^53. */
  | 'i64'
  /** int64 in 1e-8 units (exchange price or quantity). */
  | 'fixed8'
  /** int64 epoch nanoseconds, read and written through (ms, nanos-of-ms) or (hi, lo). */
  | 'epochNs'
  | 'f64'
  /** NUL-padded ASCII of `length` bytes. */
  | 'char'
  /** u8 holding one of `values`. */
  | 'enum'
  /** u8, 0 or 1. */
  | 'bool'
  /** u8 bit set of `values` (bit value → name). */
  | 'flags'
  /** Reserved bytes, written as 0. */
  | 'padding';

export interface FieldSpec {
  readonly name: string;
  readonly offset: number;
  readonly type: FieldType;
  /** Byte length for 'char' and 'padding'. */
  readonly length?: number;
  /** Names of the allowed values for 'enum' and of the bits for 'flags'. */
  readonly values?: Readonly<Record<number, string>>;
  readonly description: string;
}

/** A repeating group after the fixed block (the book's levels): bid entries, then ask entries. */
export interface LevelGroupSpec {
  readonly bidCountOffset: number;
  readonly askCountOffset: number;
  readonly maxPerSide: number;
  readonly entryLength: number;
  /** Offsets relative to the entry. */
  readonly fields: readonly FieldSpec[];
  readonly description: string;
}

export interface MessageSpec {
  readonly name: string;
  readonly templateId: number;
  readonly streamId: number;
  /** Length of the fixed block after the header. */
  readonly blockLength: number;
  readonly fields: readonly FieldSpec[];
  readonly levels?: LevelGroupSpec;
  readonly description: string;
}

export function fieldSize(field: FieldSpec): number {
  switch (field.type) {
    case 'u8': case 'enum': case 'bool': case 'flags': return 1;
    case 'u16': return 2;
    case 'u32': return 4;
    case 'i64': case 'fixed8': case 'epochNs': case 'f64': return 8;
    case 'char': case 'padding': return field.length ?? 0;
  }
}

/** Every message opens its fixed block with the publisher's sequence and a monotonic-ns time. */
export const SEQUENCE_OFFSET = 8;
export const TIME_OFFSET = 16;

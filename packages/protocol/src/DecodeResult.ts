/**
 * Outcome of checking a message before any field is read. The hot path returns one of these codes instead of
 * throwing, so a service can count and log a bad message and keep running.
 */
export const DecodeResult = {
  OK: 0,
  /** The buffer ends before the header, the fixed block or the repeating group the header announces. */
  TRUNCATED: 1,
  /** The template id is not one this build knows. */
  UNKNOWN_TEMPLATE: 2,
  /** The schema version is newer than this build can read. */
  NEWER_VERSION: 3,
  /** A field holds a value the schema forbids (enum out of range, level count above 64, short block length). */
  BAD_VALUE: 4,
} as const;

export type DecodeResult = (typeof DecodeResult)[keyof typeof DecodeResult];

const NAMES = ['OK', 'TRUNCATED', 'UNKNOWN_TEMPLATE', 'NEWER_VERSION', 'BAD_VALUE'] as const;

export function decodeResultName(result: DecodeResult): (typeof NAMES)[number] {
  return NAMES[result];
}

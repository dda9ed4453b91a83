/**
 * On-disk layout of a journal file. All integers little-endian.
 *
 * File header (16 bytes), written once when the file is created:
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  magic "MMJOURNL" (8 ASCII bytes)              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     format version (u32) = 1                  |
 *  +---------------------------------------------------------------+
 *  |            record kind (u32, chosen by the owner, e.g. fills)  |
 *  +---------------------------------------------------------------+
 * ```
 * Records follow back to back, unpadded:
 * ```
 *  +---------------------------------------------------------------+
 *  |                   payload length (u32, >= 1)                  |
 *  +---------------------------------------------------------------+
 *  |        CRC-32 of the 4 length bytes followed by the payload   |
 *  +---------------------------------------------------------------+
 *  |                     payload (length bytes)                   ...
 *  +---------------------------------------------------------------+
 * ```
 * The CRC covers the length too, so a corrupted length is caught like corrupted data. A crash mid-append leaves
 * a prefix of one record at the end of the file (a torn tail); recovery keeps every record before it.
 */
export const MAGIC = 'MMJOURNL';
export const FORMAT_VERSION = 1;
export const FILE_HEADER_LENGTH = 16;
export const MAGIC_OFFSET = 0;
export const VERSION_OFFSET = 8;
export const KIND_OFFSET = 12;

export const RECORD_HEADER_LENGTH = 8;
export const RECORD_LENGTH_OFFSET = 0;
export const RECORD_CRC_OFFSET = 4;

/** The 16 header bytes of a journal of `kind`. */
export function fileHeader(kind: number): Uint8Array {
  const out = new Uint8Array(FILE_HEADER_LENGTH);
  for (let i = 0; i < MAGIC.length; i++) out[MAGIC_OFFSET + i] = MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(VERSION_OFFSET, FORMAT_VERSION, true);
  view.setUint32(KIND_OFFSET, kind >>> 0, true);
  return out;
}

/**
 * CRC-32 (IEEE 802.3: reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF), the checksum of
 * zlib, PNG and Ethernet, so a record's checksum can be verified with any standard tool ("123456789" → 0xCBF43926).
 * Byte-at-a-time over a 256-entry table built once at load; no allocation per call.
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continues a CRC over `bytes[offset, offset + length)`; start with `crc = 0`. Returns an unsigned 32-bit value. */
export function crc32(bytes: Uint8Array, offset = 0, length = bytes.length - offset, crc = 0): number {
  let c = ~crc >>> 0;
  const end = offset + length;
  for (let i = offset; i < end; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

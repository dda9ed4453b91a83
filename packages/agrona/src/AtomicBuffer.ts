/**
 * A view over a region of memory (a mapped file, a SharedArrayBuffer or a plain ArrayBuffer) with little-endian
 * plain accessors and `Atomics`-backed ordered accessors for the fields other processes synchronise on.
 *
 * Invariants:
 * - `byteOffset` of the region within its ArrayBuffer is a multiple of 8, so 4- and 8-byte aligned offsets of the
 *   region map to aligned typed-array indices (`Atomics` requires aligned element access).
 * - The views are created once; accessors allocate nothing, except the `*BigInt` ones by nature.
 *
 * 64-bit values: `getInt64` returns a Number and is exact only for |v| <= 2^53; where a value may exceed that
 * (Aeron tails, epoch nanoseconds) use the `Hi`/`Lo` split accessors or the BigInt variants.
 */
// Typed-array and Atomics accesses use host byte order while Aeron's formats are little-endian: refuse to run on a
// big-endian host rather than corrupt shared memory.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('@mm/agrona requires a little-endian host (Aeron shared-memory formats are little-endian)');
}

/**
 * True on CPUs that never reorder loads with other loads (x86/x64, TSO). There a plain typed-array load next to
 * an `Atomics` load keeps its program order; on weakly ordered CPUs (arm64, ...) the split 64-bit reads below make
 * their first load an `Atomics` load too, so the low word cannot be read before the high word.
 */
export const LOADS_ARE_ORDERED = process.arch === 'x64' || process.arch === 'ia32';

export class AtomicBuffer {
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly capacity: number;
  readonly view: DataView;
  readonly bytes: Uint8Array;
  /** Int32 view over the whole region; index = offset >> 2. */
  readonly i32: Int32Array;
  /** BigInt64 view over the whole region; index = offset >> 3. */
  readonly i64: BigInt64Array;

  constructor(buffer: ArrayBufferLike, byteOffset = 0, length = buffer.byteLength - byteOffset) {
    if ((byteOffset & 7) !== 0) throw new RangeError(`AtomicBuffer offset ${byteOffset} is not 8-byte aligned`);
    if (byteOffset < 0 || length < 0 || byteOffset + length > buffer.byteLength) {
      throw new RangeError(`AtomicBuffer region [${byteOffset}, ${byteOffset + length}) outside ${buffer.byteLength} bytes`);
    }
    this.buffer = buffer;
    this.byteOffset = byteOffset;
    this.capacity = length;
    this.view = new DataView(buffer, byteOffset, length);
    this.bytes = new Uint8Array(buffer, byteOffset, length);
    this.i32 = new Int32Array(buffer, byteOffset, length >>> 2);
    this.i64 = new BigInt64Array(buffer, byteOffset, length >>> 3);
  }

  static allocate(length: number, shared = false): AtomicBuffer {
    const rounded = (length + 7) & ~7;
    return new AtomicBuffer(shared ? new SharedArrayBuffer(rounded) : new ArrayBuffer(rounded), 0, length);
  }

  // ---- plain little-endian accessors ----
  getUint8(offset: number): number { return this.bytes[offset]!; }
  putUint8(offset: number, value: number): void { this.bytes[offset] = value; }
  getInt16(offset: number): number { return this.view.getInt16(offset, true); }
  putInt16(offset: number, value: number): void { this.view.setInt16(offset, value, true); }
  getUint16(offset: number): number { return this.view.getUint16(offset, true); }
  putUint16(offset: number, value: number): void { this.view.setUint16(offset, value, true); }
  getInt32(offset: number): number { return this.view.getInt32(offset, true); }
  putInt32(offset: number, value: number): void { this.view.setInt32(offset, value, true); }
  getUint32(offset: number): number { return this.view.getUint32(offset, true); }
  putUint32(offset: number, value: number): void { this.view.setUint32(offset, value, true); }
  getFloat64(offset: number): number { return this.view.getFloat64(offset, true); }
  putFloat64(offset: number, value: number): void { this.view.setFloat64(offset, value, true); }

  /** High (signed) 32 bits of the int64 at `offset`. */
  getInt64Hi(offset: number): number { return this.view.getInt32(offset + 4, true); }
  /** Low (unsigned) 32 bits of the int64 at `offset`. */
  getInt64Lo(offset: number): number { return this.view.getUint32(offset, true); }
  /** Int64 as a Number; exact for |v| <= 2^53. */
  getInt64(offset: number): number {
    return this.view.getInt32(offset + 4, true) * 4294967296 + this.view.getUint32(offset, true);
  }
  /** Writes a Number that is an integer with |v| <= 2^53 as an int64, without a BigInt. */
  putInt64(offset: number, value: number): void {
    const lo = value % 4294967296;
    const hi = (value - lo) / 4294967296;
    // A negative value with a non-zero low part borrows one from the high word.
    if (lo < 0) {
      this.view.setInt32(offset + 4, hi - 1, true);
      this.view.setUint32(offset, lo + 4294967296, true);
    } else {
      this.view.setInt32(offset + 4, hi, true);
      this.view.setUint32(offset, lo, true);
    }
  }
  putInt64HiLo(offset: number, hi: number, lo: number): void {
    this.view.setInt32(offset + 4, hi, true);
    this.view.setUint32(offset, lo >>> 0, true);
  }
  getInt64BigInt(offset: number): bigint { return this.view.getBigInt64(offset, true); }
  putInt64BigInt(offset: number, value: bigint): void { this.view.setBigInt64(offset, value, true); }

  getBytes(offset: number, dst: Uint8Array, dstOffset: number, length: number): void {
    dst.set(this.bytes.subarray(offset, offset + length), dstOffset);
  }
  putBytes(offset: number, src: Uint8Array, srcOffset: number, length: number): void {
    this.bytes.set(src.subarray(srcOffset, srcOffset + length), offset);
  }
  /**
   * Copies `length` bytes from `src` without allocating: small copies run as a word loop (a `subarray` per
   * message would allocate a view object); large ones use the native `set`.
   */
  copyFrom(offset: number, src: AtomicBuffer, srcOffset: number, length: number): void {
    if (length > 256) {
      this.putBuffer(offset, src, srcOffset, length);
      return;
    }
    let i = 0;
    if (((offset | srcOffset) & 3) === 0) {
      const d = this.i32;
      const s = src.i32;
      const dBase = offset >> 2;
      const sBase = srcOffset >> 2;
      const words = length >> 2;
      for (let w = 0; w < words; w++) d[dBase + w] = s[sBase + w]!;
      i = words << 2;
    }
    const db = this.bytes;
    const sb = src.bytes;
    for (; i < length; i++) db[offset + i] = sb[srcOffset + i]!;
  }

  /** Copies from another buffer; overlapping regions of the same memory are handled by `copyWithin`. */
  putBuffer(offset: number, src: AtomicBuffer, srcOffset: number, length: number): void {
    if (src.buffer === this.buffer) {
      this.bytes.copyWithin(offset, srcOffset + src.byteOffset - this.byteOffset, srcOffset + src.byteOffset - this.byteOffset + length);
    } else {
      this.bytes.set(src.bytes.subarray(srcOffset, srcOffset + length), offset);
    }
  }
  setMemory(offset: number, length: number, value: number): void {
    this.bytes.fill(value, offset, offset + length);
  }

  // ---- ordered (Atomics) accessors; offsets must be aligned to the field size ----
  getInt32Volatile(offset: number): number { return Atomics.load(this.i32, offset >> 2); }
  putInt32Ordered(offset: number, value: number): void { Atomics.store(this.i32, offset >> 2, value); }
  getAndAddInt32(offset: number, delta: number): number { return Atomics.add(this.i32, offset >> 2, delta); }
  compareAndSetInt32(offset: number, expected: number, value: number): boolean {
    return Atomics.compareExchange(this.i32, offset >> 2, expected, value) === expected;
  }
  getInt64VolatileBigInt(offset: number): bigint { return Atomics.load(this.i64, offset >> 3); }
  putInt64OrderedBigInt(offset: number, value: bigint): void { Atomics.store(this.i64, offset >> 3, value); }
  getAndAddInt64BigInt(offset: number, delta: bigint): bigint { return Atomics.add(this.i64, offset >> 3, delta); }
  compareAndSetInt64BigInt(offset: number, expected: bigint, value: bigint): boolean {
    return Atomics.compareExchange(this.i64, offset >> 3, expected, value) === expected;
  }
  /**
   * Volatile int64 load as a Number without allocating a BigInt: high, low (32-bit `Atomics`), high again,
   * retried until both high reads agree. Every writer stores the 64-bit word atomically, so a stable high word
   * means the low word belongs to a value with that high word. Exact for |v| <= 2^53. (Limit: a value whose
   * high word changes and changes back between two loads nanoseconds apart would be misread; positions and
   * counters never do that.)
   */
  getInt64VolatileNumber(offset: number): number {
    const i = offset >> 2;
    const i32 = this.i32;
    // The Atomics load of the low word orders the plain high-word loads around it (x86 never reorders loads
    // with loads, and V8 does not move memory accesses across an atomic operation).
    let hi = LOADS_ARE_ORDERED ? i32[i + 1]! : Atomics.load(i32, i + 1);
    for (;;) {
      const lo = Atomics.load(i32, i);
      const hi2 = i32[i + 1]!;
      if (hi2 === hi) return hi * 4294967296 + (lo >>> 0);
      hi = hi2;
    }
  }

  /**
   * Ordered store of a Number (integer, |v| <= 2^53) into an int64 that ONLY this thread writes (positions,
   * heartbeats). When the high word is unchanged a single 32-bit `Atomics.store` of the low word is the whole
   * update, so 64-bit readers still see an atomic value and nothing is allocated; otherwise a 64-bit store.
   */
  putInt64OrderedNumber(offset: number, value: number): void {
    const lo = value % 4294967296;
    const loU = lo < 0 ? lo + 4294967296 : lo;
    const hi = (value - loU) / 4294967296;
    const i = offset >> 2;
    if (this.i32[i + 1] === hi) {
      Atomics.store(this.i32, i, loU | 0);
    } else {
      Atomics.store(this.i64, offset >> 3, BigInt(value));
    }
  }

  /** Volatile int64 load returned as a Number (exact for |v| <= 2^53); the BigInt is transient. */
  getInt64Volatile(offset: number): number { return Number(Atomics.load(this.i64, offset >> 3)); }
  putInt64Ordered(offset: number, value: number): void { Atomics.store(this.i64, offset >> 3, BigInt(value)); }
}

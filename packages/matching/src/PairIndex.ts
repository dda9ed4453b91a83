/**
 * Open-addressing hash index from a pair of u32 keys to a non-negative int32 value, with linear probing and
 * backward-shift deletion (no tombstones, so lookups stay short under churn).
 *
 * Invariants: capacity is a power of two ≥ 2 × maxEntries, so the load factor never exceeds 1/2; all storage is
 * allocated in the constructor; `put` past maxEntries returns false instead of growing.
 */
export class PairIndex {
  private readonly keyHi: Uint32Array;
  private readonly keyLo: Uint32Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`PairIndex maxEntries must be ≥ 1, got ${maxEntries}`);
    let cap = 16;
    while (cap < maxEntries * 2) cap *= 2;
    this.keyHi = new Uint32Array(cap);
    this.keyLo = new Uint32Array(cap);
    this.values = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slotOf(hi: number, lo: number): number {
    let h = Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(lo ^ 0x7f4a7c15, 0xc2b2ae35);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.mask;
  }

  /** Value for the key, or -1. */
  get(hi: number, lo: number): number {
    const values = this.values;
    let s = this.slotOf(hi, lo);
    for (;;) {
      const v = values[s];
      if (v < 0) return -1;
      if (this.keyHi[s] === hi >>> 0 && this.keyLo[s] === lo >>> 0) return v;
      s = (s + 1) & this.mask;
    }
  }

  /** Inserts or replaces; false when the key is new and the index is full. */
  put(hi: number, lo: number, value: number): boolean {
    const values = this.values;
    let s = this.slotOf(hi, lo);
    for (;;) {
      const v = values[s];
      if (v < 0) break;
      if (this.keyHi[s] === hi >>> 0 && this.keyLo[s] === lo >>> 0) {
        values[s] = value;
        return true;
      }
      s = (s + 1) & this.mask;
    }
    if (this.count >= this.maxEntries) return false;
    this.keyHi[s] = hi;
    this.keyLo[s] = lo;
    values[s] = value;
    this.count++;
    return true;
  }

  /** Removes the key; returns its value or -1. */
  remove(hi: number, lo: number): number {
    const values = this.values;
    const mask = this.mask;
    let s = this.slotOf(hi, lo);
    for (;;) {
      const v = values[s];
      if (v < 0) return -1;
      if (this.keyHi[s] === hi >>> 0 && this.keyLo[s] === lo >>> 0) break;
      s = (s + 1) & mask;
    }
    const removed = values[s];
    // Backward shift: pull later entries of the probe run into the hole when their home slot allows it.
    let hole = s;
    let j = s;
    for (;;) {
      j = (j + 1) & mask;
      if (values[j] < 0) break;
      const home = this.slotOf(this.keyHi[j], this.keyLo[j]);
      const movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        this.keyHi[hole] = this.keyHi[j];
        this.keyLo[hole] = this.keyLo[j];
        values[hole] = values[j];
        hole = j;
      }
    }
    values[hole] = -1;
    this.count--;
    return removed;
  }

  clear(): void {
    this.values.fill(-1);
    this.count = 0;
  }
}

/**
 * A bounded time series in preallocated columns: one Float64Array per column, written round-robin. Appending
 * allocates nothing; the oldest point is overwritten once `capacity` points are held. NaN marks a missing value
 * (it becomes `null` in JSON, a gap on the chart).
 *
 * Invariants: 0 <= size <= capacity; `total` counts every point ever appended (the page uses it to tell whether it
 * missed points); the point appended last is at index (head - 1) mod capacity.
 */
export class SeriesRing {
  readonly columns: Float64Array[];
  private head = 0;
  private count = 0;
  private appended = 0;

  constructor(readonly capacity: number, readonly width: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`series capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(width) || width < 1) throw new RangeError(`series width must be a positive integer, got ${width}`);
    this.columns = [];
    for (let i = 0; i < width; i++) this.columns.push(new Float64Array(capacity));
  }

  get size(): number { return this.count; }
  get total(): number { return this.appended; }

  /** Claims the next slot (overwriting the oldest when full); write it with `set(column, value)`. */
  append(): void {
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    if (this.count < this.capacity) this.count++;
    this.appended++;
    for (let c = 0; c < this.width; c++) this.columns[c]![this.lastIndex()] = NaN;
  }

  /** Writes a column of the point appended last. */
  set(column: number, value: number): void {
    this.columns[column]![this.lastIndex()] = value;
  }

  /** Value of `column` in the i-th oldest point held (0 = oldest). */
  get(i: number, column: number): number {
    if (i < 0 || i >= this.count) throw new RangeError(`series index ${i} outside 0..${this.count - 1}`);
    let at = this.head - this.count + i;
    if (at < 0) at += this.capacity;
    return this.columns[column]![at]!;
  }

  /** The i-th oldest point as an array (allocates: snapshots and pushes only). */
  point(i: number): number[] {
    const out = new Array<number>(this.width);
    for (let c = 0; c < this.width; c++) out[c] = this.get(i, c);
    return out;
  }

  /** The newest `n` points (all held if fewer), oldest first (allocates). */
  newest(n: number): number[][] {
    const k = Math.min(n, this.count);
    const out: number[][] = [];
    for (let i = this.count - k; i < this.count; i++) out.push(this.point(i));
    return out;
  }

  private lastIndex(): number {
    return this.head === 0 ? this.capacity - 1 : this.head - 1;
  }
}

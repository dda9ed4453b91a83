/** Seeded PRNG (mulberry32) so every property test replays exactly from its seed. */
export class Random {
  private state: number;
  constructor(readonly seed: number) { this.state = seed >>> 0; }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max] (inclusive), exact for ranges up to 2^53. */
  int(min: number, max: number): number {
    const span = max - min + 1;
    if (span <= 4294967296) return min + Math.floor(this.next() * span);
    const hi = Math.floor(this.next() * Math.ceil(span / 4294967296));
    const v = hi * 4294967296 + Math.floor(this.next() * 4294967296);
    return min + (v % span);
  }
  bool(): boolean { return this.next() < 0.5; }
  pick<T>(items: readonly T[]): T { return items[Math.floor(this.next() * items.length)]!; }
  /** Any safe integer, biased towards edges. */
  safeInt(): number {
    const r = this.next();
    if (r < 0.05) return this.pick([0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 32, -(2 ** 32), 2 ** 31]);
    if (r < 0.5) return this.int(-1_000_000, 1_000_000);
    return this.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  }
  /** Any finite or special float64. */
  float(): number {
    const r = this.next();
    if (r < 0.05) return this.pick([0, -0, Number.MIN_VALUE, Number.MAX_VALUE, -1e-300]);
    if (r < 0.08) return this.pick([NaN, Infinity, -Infinity]);
    return (this.next() - 0.5) * 10 ** this.int(-10, 12);
  }
  ascii(minLength: number, maxLength: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'): string {
    const n = this.int(minLength, maxLength);
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
}

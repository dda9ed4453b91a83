/** Seeded PRNG (mulberry32) with a Box–Muller normal, so every statistical test replays from its seed. */
export class Random {
  private state: number;
  private spare = Number.NaN;
  constructor(seed: number) { this.state = seed >>> 0; }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }

  normal(): number {
    if (!Number.isNaN(this.spare)) { const s = this.spare; this.spare = Number.NaN; return s; }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/**
 * Queue-position models for a simulated resting order (shared/reference/market-making-math.md §6, after
 * hftbacktest's queue models; the code is our own). The order joins at the back of the level's displayed
 * quantity; `front` estimates the quantity ahead of it. Trades at the order's price reduce `front`; when `front`
 * goes below 0 the excess reaches the order (the fill engine takes it and resets front to 0).
 *
 * - RiskAverse: only trades advance the order; a shrinking level can only cap front at the new level size
 *   (cancellations are assumed to happen behind the order).
 * - Prob(f): a decrease not explained by trades (chg = prev − new − trades since the last depth update) happened
 *   behind the order with probability p = prob(front, back), back = prev − front: est = front − (1 − p)·chg + min(back − p·chg, 0); front = min(est, new).
 *
 * Quantities in 1e-8 units (fractional estimates allowed). An unknown level (price beyond the displayed depth)
 * is represented by prevLevelQty < 0 and front = +∞ until the level becomes visible.
 */
export interface QueuePosition {
  front: number;
  prevLevelQty: number;
  cumTradeQty: number;
}

export interface QueueModel {
  /** The order became live at a level showing levelQty (−1 = unknown). */
  onJoin(q: QueuePosition, levelQty: number): void;
  /** A trade at the order's price. */
  onTrade(q: QueuePosition, qty: number): void;
  /** The level at the order's price now shows newLevelQty (−1 = unknown: ignored). */
  onDepth(q: QueuePosition, newLevelQty: number): void;
}

function join(q: QueuePosition, levelQty: number): void {
  q.cumTradeQty = 0;
  if (levelQty < 0) {
    q.front = Number.POSITIVE_INFINITY;
    q.prevLevelQty = -1;
  } else {
    q.front = levelQty;
    q.prevLevelQty = levelQty;
  }
}

export class RiskAverseQueueModel implements QueueModel {
  onJoin(q: QueuePosition, levelQty: number): void {
    join(q, levelQty);
  }

  onTrade(q: QueuePosition, qty: number): void {
    q.front -= qty;
  }

  onDepth(q: QueuePosition, newLevelQty: number): void {
    if (newLevelQty < 0) return;
    if (newLevelQty < q.front) q.front = newLevelQty;
    q.prevLevelQty = newLevelQty;
  }
}

/** p = probability that a level decrease happened behind the order; must be 0 at the head and 1 at the tail. */
export interface QueueProbability {
  prob(front: number, back: number): number;
}

export class ProbQueueModel implements QueueModel {
  readonly probability: QueueProbability;

  constructor(probability: QueueProbability) {
    this.probability = probability;
  }

  onJoin(q: QueuePosition, levelQty: number): void {
    join(q, levelQty);
  }

  onTrade(q: QueuePosition, qty: number): void {
    q.front -= qty;
    q.cumTradeQty += qty;
  }

  onDepth(q: QueuePosition, newLevelQty: number): void {
    if (newLevelQty < 0) return;
    if (q.prevLevelQty < 0) {
      // The level just became visible: join its back now.
      join(q, newLevelQty);
      return;
    }
    const prev = q.prevLevelQty;
    const chg = prev - newLevelQty - q.cumTradeQty;
    q.cumTradeQty = 0;
    q.prevLevelQty = newLevelQty;
    if (chg < 0) {
      if (newLevelQty < q.front) q.front = newLevelQty;
      return;
    }
    const front = q.front > 0 ? q.front : 0;
    let back = prev - front;
    if (back < 0) back = 0;
    let p = this.probability.prob(front, back);
    if (!Number.isFinite(p)) p = 1;
    const est = front - (1 - p) * chg + Math.min(back - p * chg, 0);
    q.front = Math.min(est, newLevelQty);
  }
}

/** f(x) = x^n, variant 1: p = f(back)/(f(back)+f(front)); 2: p = f(back)/f(back+front); 3: p = 1 − (front/(front+back))^n. */
export class PowerProbability implements QueueProbability {
  readonly n: number;
  readonly variant: 1 | 2 | 3;

  constructor(n: number, variant: 1 | 2 | 3 = 1) {
    if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`power queue exponent must be > 0, got ${n}`);
    this.n = n;
    this.variant = variant;
  }

  prob(front: number, back: number): number {
    const n = this.n;
    if (this.variant === 1) {
      const fb = Math.pow(back, n);
      return fb / (fb + Math.pow(front, n));
    }
    if (this.variant === 2) return Math.pow(back, n) / Math.pow(back + front, n);
    return 1 - Math.pow(front / (front + back), n);
  }
}

/**
 * f(x) = ln(1 + x), variant 1: p = f(back)/(f(back)+f(front)); 2: p = f(back)/f(back+front). Unlike the power
 * forms this depends on the quantity unit, so quantities are divided by unitE8 first (default 1e8 = one unit of
 * the base asset, the scale of displayed exchange quantities).
 */
export class LogProbability implements QueueProbability {
  readonly variant: 1 | 2;
  readonly unitE8: number;

  constructor(variant: 1 | 2 = 1, unitE8 = 1e8) {
    if (!(unitE8 > 0)) throw new RangeError(`log queue unitE8 must be > 0, got ${unitE8}`);
    this.variant = variant;
    this.unitE8 = unitE8;
  }

  prob(front: number, back: number): number {
    const fb = Math.log1p(back / this.unitE8);
    const ff = Math.log1p(front / this.unitE8);
    if (this.variant === 1) return fb / (fb + ff);
    return fb / Math.log1p((back + front) / this.unitE8);
  }
}

export type QueueModelConfig =
  | { readonly kind: 'risk-averse' }
  | { readonly kind: 'power'; readonly n: number; readonly variant?: 1 | 2 | 3 }
  | { readonly kind: 'log'; readonly variant?: 1 | 2; readonly unitE8?: number };

/** Builds the configured model; rejects unknown kinds with a message naming them. */
export function createQueueModel(config: QueueModelConfig): QueueModel {
  switch (config.kind) {
    case 'risk-averse':
      return new RiskAverseQueueModel();
    case 'power':
      return new ProbQueueModel(new PowerProbability(config.n, config.variant ?? 1));
    case 'log':
      return new ProbQueueModel(new LogProbability(config.variant ?? 1, config.unitE8 ?? 1e8));
    default:
      throw new RangeError(`unknown queue model kind ${JSON.stringify((config as { kind: unknown }).kind)}`);
  }
}

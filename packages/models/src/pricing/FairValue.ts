/** Plain top-of-book estimates, in the units of the inputs (NaN when a side is missing or quantities are zero). */

export function midPrice(bid: number, ask: number): number {
  return (bid + ask) / 2;
}

/**
 * Size-weighted mid: W = bid·(1 − I) + ask·I with imbalance I = Qb/(Qb + Qa); leans towards the side more likely
 * to move (a thin ask pulls W up).
 */
export function weightedMid(bid: number, ask: number, bidQty: number, askQty: number): number {
  const total = bidQty + askQty;
  if (!(total > 0)) return Number.NaN;
  const imbalance = bidQty / total;
  return bid * (1 - imbalance) + ask * imbalance;
}

/** Imbalance I = Qb/(Qb + Qa) in [0, 1], NaN when both are zero. */
export function bookImbalance(bidQty: number, askQty: number): number {
  const total = bidQty + askQty;
  return total > 0 ? bidQty / total : Number.NaN;
}

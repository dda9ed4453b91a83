/**
 * Order-flow imbalance of the best levels between two book observations (Cont, Kukanov & Stoikov 2014):
 * e = 1{Pb ≥ Pb'}·Qb − 1{Pb ≤ Pb'}·Qb' − 1{Pa ≤ Pa'}·Qa + 1{Pa ≥ Pa'}·Qa', primes = previous observation.
 * Positive = net buying pressure, in the quantity units of the inputs.
 */
export function orderFlowImbalance(bid: number, bidQty: number, ask: number, askQty: number,
  prevBid: number, prevBidQty: number, prevAsk: number, prevAskQty: number): number {
  let e = 0;
  if (bid >= prevBid) e += bidQty;
  if (bid <= prevBid) e -= prevBidQty;
  if (ask <= prevAsk) e -= askQty;
  if (ask >= prevAsk) e += prevAskQty;
  return e;
}

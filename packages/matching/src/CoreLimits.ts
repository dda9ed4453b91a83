/**
 * Capacity limits of one matching core. All storage is sized from these at construction (books' level arrays at
 * book creation), so steady-state matching allocates nothing; hitting a limit is answered with a reject
 * (6 capacity exhausted, 9 book full), never a silent drop.
 */
export interface CoreLimits {
  /** Resting orders across all books (the order pool). Reject 6 when exhausted. */
  maxOrders: number;
  /** Books (symbols). Reject 6 for a new symbol beyond it. */
  maxBooks: number;
  /** Price levels per side of one book. Reject 9. */
  maxLevelsPerBook: number;
  /** Resting orders in one book. Reject 9. */
  maxOrdersPerBook: number;
  /** Resting orders per user id; 0 = unlimited. Reject 6. */
  maxOpenOrdersPerUser: number;
  /** Distinct user ids tracked for the per-user limit (ignored when that limit is 0). Reject 6 beyond it. */
  maxUsers: number;
  /**
   * When false (the default), a cancel is accepted only from the client that entered the order (reject 7
   * otherwise). When true, any client may cancel (the original protocol; also used when user binding makes the
   * user id itself the credential).
   */
  cancelByAnyClient: boolean;
}

/**
 * Capacity decisions for one new order made outside the core by a caller that spans several cores (threaded mode),
 * as bits of `MatchingCore.newOrder`'s `vetoes`. ORDERS: the global order pool or the user's open-order allowance
 * refuses a limit order (6). NEW_BOOK: no book is left for a new symbol (6).
 */
export const CapacityVeto = { ORDERS: 1, NEW_BOOK: 2 } as const;

export const DEFAULT_CORE_LIMITS: CoreLimits = {
  maxOrders: 1 << 20,
  maxBooks: 1024,
  maxLevelsPerBook: 16_384,
  maxOrdersPerBook: 1 << 20,
  maxOpenOrdersPerUser: 0,
  maxUsers: 65_536,
  cancelByAnyClient: false,
};

export function validateCoreLimits(l: CoreLimits): CoreLimits {
  const positive = ['maxOrders', 'maxBooks', 'maxLevelsPerBook', 'maxOrdersPerBook', 'maxUsers'] as const;
  for (const k of positive) {
    const v = l[k];
    if (!Number.isInteger(v) || v < 1 || v > 1 << 26) throw new RangeError(`core limit ${k} must be an integer in 1..2^26, got ${v}`);
  }
  if (!Number.isInteger(l.maxOpenOrdersPerUser) || l.maxOpenOrdersPerUser < 0) {
    throw new RangeError(`core limit maxOpenOrdersPerUser must be an integer ≥ 0, got ${l.maxOpenOrdersPerUser}`);
  }
  return l;
}

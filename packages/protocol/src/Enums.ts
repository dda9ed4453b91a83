/**
 * Enumerations carried as u8 on the wire. 0 is reserved for "none/unknown" where a field may legitimately be
 * unset; a decoder reports any value outside these tables as BAD_VALUE.
 */
export const Side = { BUY: 1, SELL: 2 } as const;
export type Side = (typeof Side)[keyof typeof Side];
export const SIDE_NAMES: Readonly<Record<number, string>> = { 1: 'BUY', 2: 'SELL' };
/** Engine trades may not know the aggressor (0). */
export const SIDE_OR_NONE_NAMES: Readonly<Record<number, string>> = { 0: 'NONE', 1: 'BUY', 2: 'SELL' };

export const Venue = { SIMULATOR: 1, ENGINE: 2 } as const;
export type Venue = (typeof Venue)[keyof typeof Venue];
export const VENUE_NAMES: Readonly<Record<number, string>> = { 1: 'SIMULATOR', 2: 'ENGINE' };

export const ServiceState = {
  STARTING: 1,
  SYNCING: 2,
  LIVE: 3,
  DEGRADED: 4,
  HALTED: 5,
  STOPPING: 6,
} as const;
export type ServiceState = (typeof ServiceState)[keyof typeof ServiceState];
export const SERVICE_STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'STARTING', 2: 'SYNCING', 3: 'LIVE', 4: 'DEGRADED', 5: 'HALTED', 6: 'STOPPING',
};
/** A state message's `previousState` is NONE (0) for the first state a service reports. */
export const SERVICE_STATE_OR_NONE_NAMES: Readonly<Record<number, string>> = { 0: 'NONE', ...SERVICE_STATE_NAMES };

export const Liquidity = { MAKER: 1, TAKER: 2 } as const;
export type Liquidity = (typeof Liquidity)[keyof typeof Liquidity];
export const LIQUIDITY_NAMES: Readonly<Record<number, string>> = { 1: 'MAKER', 2: 'TAKER' };

export const PullReason = {
  UNSPECIFIED: 0,
  STALE_PRICING: 1,
  NOT_TRADABLE: 2,
  RISK_LIMIT: 3,
  SHUTDOWN: 4,
  OPERATOR: 5,
  STATE_CHANGE: 6,
} as const;
export type PullReason = (typeof PullReason)[keyof typeof PullReason];
export const PULL_REASON_NAMES: Readonly<Record<number, string>> = {
  0: 'UNSPECIFIED', 1: 'STALE_PRICING', 2: 'NOT_TRADABLE', 3: 'RISK_LIMIT', 4: 'SHUTDOWN', 5: 'OPERATOR',
  6: 'STATE_CHANGE',
};

/** Where a stream-10 snapshot's best levels come from. */
export const BookTopSource = {
  /** The book after an applied depth event. */
  DEPTH: 0,
  /** Binance's `@bookTicker` (real time), newer than the last depth event: its best bid and ask over that book. */
  BOOK_TICKER: 1,
} as const;
export type BookTopSource = (typeof BookTopSource)[keyof typeof BookTopSource];
export const BOOK_TOP_SOURCE_NAMES: Readonly<Record<number, string>> = { 0: 'DEPTH', 1: 'BOOK_TICKER' };

/**
 * Why a quote was decided: a new fair value for its symbol (the tick behind recvTimeNs has just reached the
 * strategy: tick-to-quote latency is measured on these) or a re-decision on the same pricing (a fill, a position,
 * a venue or instrument change, the re-decide timer), whose recvTimeNs is that of an older tick.
 */
export const QuoteCause = { UNSPECIFIED: 0, PRICING: 1, REDECIDE: 2 } as const;
export type QuoteCause = (typeof QuoteCause)[keyof typeof QuoteCause];
export const QUOTE_CAUSE_NAMES: Readonly<Record<number, string>> = { 0: 'UNSPECIFIED', 1: 'PRICING', 2: 'REDECIDE' };

export const FairValueMethod = { MID: 0, WEIGHTED_MID: 1, MICRO_PRICE: 2 } as const;
export type FairValueMethod = (typeof FairValueMethod)[keyof typeof FairValueMethod];
export const FAIR_VALUE_METHOD_NAMES: Readonly<Record<number, string>> = {
  0: 'MID', 1: 'WEIGHTED_MID', 2: 'MICRO_PRICE',
};

/** Quality bits of a pricing message. */
export const PricingFlags = {
  BOOK_SYNCED: 1,
  TRADABLE: 2,
  ENOUGH_SAMPLES: 4,
  VOLATILITY_READY: 8,
  MICRO_PRICE_READY: 16,
} as const;
export const PRICING_FLAG_NAMES: Readonly<Record<number, string>> = {
  1: 'BOOK_SYNCED', 2: 'TRADABLE', 4: 'ENOUGH_SAMPLES', 8: 'VOLATILITY_READY', 16: 'MICRO_PRICE_READY',
};

/**
 * Binance's symbol status (exchangeInfo `status`). UNKNOWN (0) stands for a status string this schema does not
 * know (Binance may add some); only TRADING allows quoting.
 */
export const InstrumentStatus = {
  UNKNOWN: 0,
  TRADING: 1,
  HALT: 2,
  BREAK: 3,
  PRE_TRADING: 4,
  POST_TRADING: 5,
  END_OF_DAY: 6,
  AUCTION_MATCH: 7,
} as const;
export type InstrumentStatus = (typeof InstrumentStatus)[keyof typeof InstrumentStatus];
export const INSTRUMENT_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN', 1: 'TRADING', 2: 'HALT', 3: 'BREAK', 4: 'PRE_TRADING', 5: 'POST_TRADING', 6: 'END_OF_DAY',
  7: 'AUCTION_MATCH',
};

/** Which fields of an instrument message come from a configured override instead of Binance. */
export const InstrumentOverride = {
  TICK_SIZE: 1,
  STEP_SIZE: 2,
  MIN_QTY: 4,
  MIN_NOTIONAL: 8,
  STATUS: 16,
} as const;
export const INSTRUMENT_OVERRIDE_NAMES: Readonly<Record<number, string>> = {
  1: 'TICK_SIZE', 2: 'STEP_SIZE', 4: 'MIN_QTY', 8: 'MIN_NOTIONAL', 16: 'STATUS',
};

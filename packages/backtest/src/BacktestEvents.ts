/**
 * What a backtest observes on the pipeline's output streams (14, 15, 16, 17), in data time (`tNs`: ns after the
 * first recorded line). The tap hands the SAME mutable object for every event of a kind: an observer copies what
 * it keeps. Prices and quantities are 1e-8 integers (exact), PnL and marks are float64 price units.
 */
export interface PricingPoint {
  tNs: number;
  symbol: string;
  /** Receive time of the market event behind it (data time). */
  recvNs: number;
  mid: number;
  fairValue: number;
  sigma: number;
  /** Pricing quality flags (as on stream 14). */
  flags: number;
}

/** Top of a book snapshot the collector published on 10 (only reported to observers that ask for books). */
export interface BookRow {
  /** The snapshot's receive time (the recorded frame's, in data time). */
  recvNs: number;
  symbol: string;
  firstUpdateId: number;
  lastUpdateId: number;
  bidPriceE8: number;
  bidQtyE8: number;
  askPriceE8: number;
  askQtyE8: number;
}

export interface QuoteRow {
  tNs: number;
  symbol: string;
  quoteId: number;
  /** Receive time of the market event the quote answers (tick-to-quote tracing). */
  tickNs: number;
  bidPriceE8: number;
  bidQtyE8: number;
  askPriceE8: number;
  askQtyE8: number;
}

export interface PullRow {
  tNs: number;
  /** '' = every symbol. */
  symbol: string;
  quoteId: number;
  reason: string;
}

export interface FillRow {
  tNs: number;
  symbol: string;
  fillId: number;
  quoteId: number;
  side: 'BUY' | 'SELL';
  liquidity: 'MAKER' | 'TAKER';
  priceE8: number;
  qtyE8: number;
  feeE8: number;
  fillTimeNs: number;
  /** The fill message's receive time (the venue's time of the market event that filled it), data time. */
  recvNs: number;
  /** Latest pricing mid of the symbol when the fill was published (NaN before any). */
  mid: number;
}

export interface PositionRow {
  tNs: number;
  symbol: string;
  lastFillId: number;
  qtyE8: number;
  feesE8: number;
  averagePrice: number;
  realizedPnl: number;
  unrealizedPnl: number;
  markPrice: number;
}

export interface BacktestObserver {
  /** Books (10) are decoded only when some observer has this hook. */
  onBook?(b: Readonly<BookRow>): void;
  onPricing?(p: Readonly<PricingPoint>): void;
  onQuote?(q: Readonly<QuoteRow>): void;
  onPull?(p: Readonly<PullRow>): void;
  onFill?(f: Readonly<FillRow>): void;
  onPosition?(p: Readonly<PositionRow>): void;
}

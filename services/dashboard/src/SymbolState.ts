/**
 * What the dashboard knows about one symbol: the latest value of every displayed field and bounded histories for
 * the charts. Message handlers copy fields out of the decoder into numeric slots (NaN = not received yet), so the
 * per-message path allocates nothing; strings are made only when a view is built at the push rate.
 *
 * Units: `*Units` fields are int64 1e-8 units from the wire (exact); other prices and PnL are float64 price or
 * quote-asset units as the wire carries them. Times are monotonic ns of the local clock at receipt.
 */
import type {
  BookSnapshotDecoder,
  FillDecoder,
  PositionDecoder,
  PricingDecoder,
  QuoteDecoder,
  TradeDecoder,
} from '@mm/protocol';
import { SIDE_NAMES, FIXED8_SCALE } from '@mm/protocol';
import { ABSENT, formatDecimal, formatUnits } from './DisplayFormat.js';
import { SeriesRing } from './SeriesRing.js';

/** Columns of a chart point: time (epoch ms), prices (price units), inventory (base units), PnL (quote units). */
export const POINT_COLUMNS = ['t', 'mid', 'fair', 'bid', 'ask', 'position', 'pnl'] as const;
const T = 0, MID = 1, FAIR = 2, BID = 3, ASK = 4, POSITION = 5, PNL = 6;

/** Columns of a fill marker: time (epoch ms), price (price units), side (1 buy, 2 sell), quantity (base units). */
export const FILL_COLUMNS = ['t', 'price', 'side', 'qty'] as const;

export type QuoteStatus = 'none' | 'live' | 'pulled';

/** Display strings of one symbol, as sent to the page (one element per key, `data-testid="<key>-<SYMBOL>"`). */
export interface SymbolView {
  readonly mid: string;
  readonly fair: string;
  readonly micro: string;
  readonly sigma: string;
  readonly mktBid: string;
  readonly mktAsk: string;
  readonly lastTrade: string;
  readonly bid: string;
  readonly bidQty: string;
  readonly ask: string;
  readonly askQty: string;
  readonly quoteStatus: QuoteStatus;
  readonly position: string;
  readonly avgPrice: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  readonly pnl: string;
  readonly fills: string;
  readonly lastFill: string;
}

export class SymbolState {
  // stream 14
  mid = NaN;
  fairValue = NaN;
  microPrice = NaN;
  sigma = NaN;
  // stream 10
  bookBidUnits = NaN;
  bookAskUnits = NaN;
  // stream 13
  tradePriceUnits = NaN;
  tradeQtyUnits = NaN;
  // stream 15 (our venue)
  quoteBidUnits = NaN;
  quoteBidQtyUnits = NaN;
  quoteAskUnits = NaN;
  quoteAskQtyUnits = NaN;
  quoteStatus: QuoteStatus = 'none';
  // stream 17 (our venue)
  positionUnits = NaN;
  feesUnits = NaN;
  averagePrice = NaN;
  realizedPnl = NaN;
  unrealizedPnl = NaN;
  // stream 16 (our venue)
  fillCount = 0;
  lastFillPriceUnits = NaN;
  lastFillQtyUnits = NaN;
  lastFillSide = 0;

  /** Bumped by every message that changed this symbol; the pusher compares it with `sampledVersion`. */
  version = 0;
  sampledVersion = 0;

  readonly series: SeriesRing;
  readonly fills: SeriesRing;

  constructor(readonly symbol: string, historyLength: number, fillHistoryLength: number) {
    this.series = new SeriesRing(historyLength, POINT_COLUMNS.length);
    this.fills = new SeriesRing(fillHistoryLength, FILL_COLUMNS.length);
  }

  onPricing(d: PricingDecoder): void {
    this.mid = d.mid();
    this.fairValue = d.fairValue();
    this.microPrice = d.microPrice();
    this.sigma = d.sigma();
    this.version++;
  }

  onBook(d: BookSnapshotDecoder): void {
    this.bookBidUnits = d.bidCount() > 0 ? d.bidPrice(0) : NaN;
    this.bookAskUnits = d.askCount() > 0 ? d.askPrice(0) : NaN;
    this.version++;
  }

  onTrade(d: TradeDecoder): void {
    this.tradePriceUnits = d.price();
    this.tradeQtyUnits = d.qty();
    this.version++;
  }

  onQuote(d: QuoteDecoder): void {
    // Quantity 0 means that side is absent (the strategy quotes one side only).
    const hasBid = d.bidQty() !== 0;
    const hasAsk = d.askQty() !== 0;
    this.quoteBidUnits = hasBid ? d.bidPrice() : NaN;
    this.quoteBidQtyUnits = hasBid ? d.bidQty() : NaN;
    this.quoteAskUnits = hasAsk ? d.askPrice() : NaN;
    this.quoteAskQtyUnits = hasAsk ? d.askQty() : NaN;
    this.quoteStatus = 'live';
    this.version++;
  }

  onPullQuotes(): void {
    this.quoteBidUnits = NaN;
    this.quoteBidQtyUnits = NaN;
    this.quoteAskUnits = NaN;
    this.quoteAskQtyUnits = NaN;
    this.quoteStatus = 'pulled';
    this.version++;
  }

  onPosition(d: PositionDecoder): void {
    this.positionUnits = d.quantity();
    this.feesUnits = d.fees();
    this.averagePrice = d.averagePrice();
    this.realizedPnl = d.realizedPnl();
    this.unrealizedPnl = d.unrealizedPnl();
    this.version++;
  }

  onFill(d: FillDecoder, epochMs: number): void {
    this.fillCount++;
    this.lastFillPriceUnits = d.price();
    this.lastFillQtyUnits = d.qty();
    this.lastFillSide = d.side();
    const f = this.fills;
    f.append();
    f.set(0, epochMs);
    f.set(1, d.price() / FIXED8_SCALE);
    f.set(2, d.side());
    f.set(3, d.qty() / FIXED8_SCALE);
    this.version++;
  }

  /** Net PnL in quote-asset units: realized + unrealized − fees (NaN until a position arrives). */
  netPnl(): number {
    return this.realizedPnl + this.unrealizedPnl - this.feesUnits / FIXED8_SCALE;
  }

  /** Appends a chart point with the current values if anything changed since the last one; returns true if so. */
  sample(epochMs: number): boolean {
    if (this.version === this.sampledVersion) return false;
    this.sampledVersion = this.version;
    const s = this.series;
    s.append();
    s.set(T, epochMs);
    s.set(MID, this.mid);
    s.set(FAIR, this.fairValue);
    s.set(BID, this.quoteBidUnits / FIXED8_SCALE);
    s.set(ASK, this.quoteAskUnits / FIXED8_SCALE);
    s.set(POSITION, this.positionUnits / FIXED8_SCALE);
    s.set(PNL, this.netPnl());
    return true;
  }

  view(): SymbolView {
    return {
      mid: formatDecimal(this.mid),
      fair: formatDecimal(this.fairValue),
      micro: formatDecimal(this.microPrice),
      sigma: formatDecimal(this.sigma, 0),
      mktBid: formatUnits(this.bookBidUnits),
      mktAsk: formatUnits(this.bookAskUnits),
      lastTrade: Number.isNaN(this.tradePriceUnits) ? ABSENT
        : `${formatUnits(this.tradeQtyUnits, 0)} @ ${formatUnits(this.tradePriceUnits)}`,
      bid: formatUnits(this.quoteBidUnits),
      bidQty: formatUnits(this.quoteBidQtyUnits, 0),
      ask: formatUnits(this.quoteAskUnits),
      askQty: formatUnits(this.quoteAskQtyUnits, 0),
      quoteStatus: this.quoteStatus,
      position: formatUnits(this.positionUnits, 0),
      avgPrice: formatDecimal(this.averagePrice),
      realizedPnl: formatDecimal(this.realizedPnl),
      unrealizedPnl: formatDecimal(this.unrealizedPnl),
      fees: formatUnits(this.feesUnits),
      pnl: formatDecimal(this.netPnl()),
      fills: String(this.fillCount),
      lastFill: this.fillCount === 0 ? ABSENT
        : `${SIDE_NAMES[this.lastFillSide] ?? '?'} ${formatUnits(this.lastFillQtyUnits, 0)} @ ${formatUnits(this.lastFillPriceUnits)}`,
    };
  }
}

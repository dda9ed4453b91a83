import type { AtomicBuffer } from '@mm/agrona';
import {
  BookSnapshotDecoder, DecodeResult, FillDecoder, Liquidity, MessageHeader, PULL_REASON_NAMES, PositionDecoder, PricingDecoder,
  PullQuotesDecoder, QuoteDecoder, Side, SymbolTable, TemplateId, Venue, symbolBytes,
} from '@mm/protocol';
import type { Clock, FragmentHandler, Subscriber } from '@mm/runtime';
import type { BacktestObserver, BookRow, FillRow, PositionRow, PricingPoint, PullRow, QuoteRow } from './BacktestEvents.js';

/**
 * An observer agent on the pipeline's outputs: pricing (14), quotes and pulls (15), fills (16) and positions
 * (17) of the simulator venue, decoded into BacktestEvents for the event log, the summary and the report. It is
 * a reader like `mm tail`: it never publishes, and in a backtest it runs after every pipeline stage so the log
 * order follows causality. Messages it cannot decode are counted in `bad` (they would be the pipeline's bug).
 */
export interface StreamTapInputs {
  readonly pricing: Subscriber;
  readonly quotes: Subscriber;
  readonly fills: Subscriber;
  readonly positions: Subscriber;
  /** Books (10); polled only when an observer wants books. */
  readonly books?: Subscriber | undefined;
}

const POSITION_LOG_INTERVAL_NS = 1e9;

export class StreamTap {
  readonly roleName = 'tap';
  bad = 0;
  /** Before `recording` is set, pricing is only remembered (mids for fills), not reported. */
  recording = false;
  private readonly table: SymbolTable;
  private readonly symbolBytesOf: Uint8Array[];
  private readonly mids: Float64Array;
  private readonly bookDecoder = new BookSnapshotDecoder();
  private readonly book: BookRow = { recvNs: 0, symbol: '', firstUpdateId: 0, lastUpdateId: 0, bidPriceE8: 0, bidQtyE8: 0, askPriceE8: 0, askQtyE8: 0 };
  private readonly bookObservers: BacktestObserver[];
  private readonly pricingDecoder = new PricingDecoder();
  private readonly quoteDecoder = new QuoteDecoder();
  private readonly pullDecoder = new PullQuotesDecoder();
  private readonly fillDecoder = new FillDecoder();
  private readonly positionDecoder = new PositionDecoder();
  private readonly pricing: PricingPoint = { tNs: 0, symbol: '', recvNs: 0, mid: 0, fairValue: 0, sigma: 0, flags: 0 };
  private readonly quote: QuoteRow = { tNs: 0, symbol: '', quoteId: 0, tickNs: 0, bidPriceE8: 0, bidQtyE8: 0, askPriceE8: 0, askQtyE8: 0 };
  private readonly pull: PullRow = { tNs: 0, symbol: '', quoteId: 0, reason: '' };
  private readonly fill: FillRow = {
    tNs: 0, symbol: '', fillId: 0, quoteId: 0, side: 'BUY', liquidity: 'MAKER', priceE8: 0, qtyE8: 0, feeE8: 0, fillTimeNs: 0, recvNs: 0, mid: Number.NaN,
  };
  private readonly position: PositionRow = {
    tNs: 0, symbol: '', lastFillId: 0, qtyE8: 0, feesE8: 0, averagePrice: 0, realizedPnl: 0, unrealizedPnl: 0, markPrice: 0,
  };
  private readonly onBookFragment: FragmentHandler;
  private readonly onPricingFragment: FragmentHandler;
  private readonly onQuoteFragment: FragmentHandler;
  private readonly onFillFragment: FragmentHandler;
  private readonly onPositionFragment: FragmentHandler;
  private readonly loggedFillIds: Float64Array;
  private readonly loggedAtNs: Float64Array;

  constructor(
    private readonly symbols: readonly string[],
    private readonly inputs: StreamTapInputs,
    private readonly clock: Clock,
    private readonly observers: readonly BacktestObserver[],
  ) {
    this.table = new SymbolTable(Math.max(1, symbols.length));
    for (const s of symbols) this.table.register(s);
    this.symbolBytesOf = symbols.map((s) => symbolBytes(s));
    this.mids = new Float64Array(symbols.length).fill(Number.NaN);
    this.bookObservers = observers.filter((o) => o.onBook !== undefined);
    this.onBookFragment = (b, o, l) => this.onBook(b, o, l);
    this.onPricingFragment = (b, o, l) => this.onPricing(b, o, l);
    this.onQuoteFragment = (b, o, l) => this.onQuote(b, o, l);
    this.onFillFragment = (b, o, l) => this.onFill(b, o, l);
    this.onPositionFragment = (b, o, l) => this.onPosition(b, o, l);
    this.loggedFillIds = new Float64Array(symbols.length).fill(-1);
    this.loggedAtNs = new Float64Array(symbols.length).fill(Number.NEGATIVE_INFINITY);
  }

  doWork(): number {
    // Tap work never counts as pipeline work: reading outputs must not keep the pipeline "busy".
    const i = this.inputs;
    if (i.books !== undefined && this.bookObservers.length > 0) i.books.poll(this.onBookFragment, 1 << 20);
    i.pricing.poll(this.onPricingFragment, 1 << 20);
    i.quotes.poll(this.onQuoteFragment, 1 << 20);
    i.fills.poll(this.onFillFragment, 1 << 20);
    i.positions.poll(this.onPositionFragment, 1 << 20);
    return 0;
  }

  private onBook(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.bookDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.BOOK_SNAPSHOT || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      this.bad++;
      return;
    }
    const index = d.symbolIndex(this.table);
    if (index < 0) return;
    const b = this.book;
    b.recvNs = d.recvTimeNs();
    b.symbol = this.symbols[index]!;
    b.firstUpdateId = d.firstUpdateId();
    b.lastUpdateId = d.lastUpdateId();
    const bids = d.bidCount() > 0, asks = d.askCount() > 0;
    b.bidPriceE8 = bids ? d.bidPrice(0) : 0;
    b.bidQtyE8 = bids ? d.bidQty(0) : 0;
    b.askPriceE8 = asks ? d.askPrice(0) : 0;
    b.askQtyE8 = asks ? d.askQty(0) : 0;
    for (const o of this.bookObservers) o.onBook!(b);
  }

  private onPricing(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.pricingDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.PRICING || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      this.bad++;
      return;
    }
    const index = d.symbolIndex(this.table);
    if (index < 0) return;
    const mid = d.mid();
    this.mids[index] = mid;
    if (!this.recording) return;
    const p = this.pricing;
    p.tNs = this.clock.nanoTime();
    p.symbol = this.symbols[index]!;
    p.recvNs = d.recvTimeNs();
    p.mid = mid;
    p.fairValue = d.fairValue();
    p.sigma = d.sigma();
    p.flags = d.flags();
    for (const o of this.observers) o.onPricing?.(p);
  }

  private onQuote(buffer: AtomicBuffer, offset: number, length: number): void {
    const template = length >= 2 ? MessageHeader.templateId(buffer, offset) : -1;
    if (template === TemplateId.QUOTE) {
      const d = this.quoteDecoder;
      if (d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
        this.bad++;
        return;
      }
      const index = d.symbolIndex(this.table);
      if (index < 0 || d.venue() !== Venue.SIMULATOR) return;
      const q = this.quote;
      q.tNs = this.clock.nanoTime();
      q.symbol = this.symbols[index]!;
      q.quoteId = d.quoteId();
      q.tickNs = d.recvTimeNs();
      q.bidPriceE8 = d.bidPrice();
      q.bidQtyE8 = d.bidQty();
      q.askPriceE8 = d.askPrice();
      q.askQtyE8 = d.askQty();
      for (const o of this.observers) o.onQuote?.(q);
    } else if (template === TemplateId.PULL_QUOTES) {
      const d = this.pullDecoder;
      if (d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
        this.bad++;
        return;
      }
      if (d.venue() !== Venue.SIMULATOR) return;
      const p = this.pull;
      p.tNs = this.clock.nanoTime();
      p.quoteId = d.quoteId();
      p.reason = PULL_REASON_NAMES[d.reason()] ?? String(d.reason());
      if (d.allSymbols()) {
        p.symbol = '';
        for (const o of this.observers) o.onPull?.(p);
        return;
      }
      for (let i = 0; i < this.symbols.length; i++) {
        if (!d.appliesTo(this.symbolBytesOf[i]!)) continue;
        p.symbol = this.symbols[i]!;
        for (const o of this.observers) o.onPull?.(p);
      }
    } else {
      this.bad++;
    }
  }

  private onFill(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.fillDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.FILL || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      this.bad++;
      return;
    }
    const index = d.symbolIndex(this.table);
    if (index < 0 || d.venue() !== Venue.SIMULATOR) return;
    const f = this.fill;
    f.tNs = this.clock.nanoTime();
    f.symbol = this.symbols[index]!;
    f.fillId = d.fillId();
    f.quoteId = d.orderId();
    f.side = d.side() === Side.BUY ? 'BUY' : 'SELL';
    f.liquidity = d.liquidity() === Liquidity.TAKER ? 'TAKER' : 'MAKER';
    f.priceE8 = d.price();
    f.qtyE8 = d.qty();
    f.feeE8 = d.fee();
    f.fillTimeNs = d.fillTimeNs();
    f.recvNs = d.recvTimeNs();
    f.mid = this.mids[index]!;
    for (const o of this.observers) o.onFill?.(f);
  }

  private onPosition(buffer: AtomicBuffer, offset: number, length: number): void {
    const d = this.positionDecoder;
    if (MessageHeader.templateId(buffer, offset) !== TemplateId.POSITION || d.wrapChecked(buffer, offset, length) !== DecodeResult.OK) {
      this.bad++;
      return;
    }
    const index = d.symbolIndex(this.table);
    if (index < 0 || d.venue() !== Venue.SIMULATOR) return;
    // The simulator also publishes a snapshot whenever its progress moves (every market event): the log keeps one
    // per fill and one a second, as the venue published them before.
    const now = this.clock.nanoTime();
    if (d.lastFillId() === this.loggedFillIds[index] && now - this.loggedAtNs[index]! < POSITION_LOG_INTERVAL_NS) return;
    this.loggedFillIds[index] = d.lastFillId();
    this.loggedAtNs[index] = now;
    const p = this.position;
    p.tNs = now;
    p.symbol = this.symbols[index]!;
    p.lastFillId = d.lastFillId();
    p.qtyE8 = d.quantity();
    p.feesE8 = d.fees();
    p.averagePrice = d.averagePrice();
    p.realizedPnl = d.realizedPnl();
    p.unrealizedPnl = d.unrealizedPnl();
    p.markPrice = d.markPrice();
    for (const o of this.observers) o.onPosition?.(p);
  }
}

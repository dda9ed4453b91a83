import type { AtomicBuffer } from '@mm/agrona';
import {
  BookSnapshotDecoder, DecodeResult, HeartbeatDecoder, INSTRUMENT_STATUS_NAMES, InstrumentDecoder, MessageHeader, PositionDecoder, PricingDecoder,
  PricingFlags, PullQuotesDecoder, QuoteCause, QuoteDecoder, SERVICE_STATE_NAMES, PULL_REASON_NAMES, VENUE_NAMES, StateDecoder,
  TemplateId, formatFixed8,
} from '@mm/protocol';

/**
 * What `mm stat` shows, folded from the streams (pure: fed messages, asked for a screen). Latency tick→quote is
 * each quote's send time minus the receive time of the market event behind it (both CLOCK_MONOTONIC ns).
 */
interface ServiceRow { state: string; reason: string; lastSeenMs: number; messagesIn: number; messagesOut: number; errors: number; rateIn: number; rateOut: number; prevIn: number; prevOut: number; prevAtMs: number }
interface SymbolRow {
  bookState: string; lastUpdateId: number; bookAtMs: number; bestBid: string; bestAsk: string;
  fair: number; sigma: number; tradable: boolean; quote: string; quoteAtMs: number;
  /** From stream 20: trading status and rules, '' before the first INSTRUMENT. */
  instrument: string;
  positions: Map<string, { qty: string; pnl: number; fees: string; lastFillId: number }>;
}

export class StatModel {
  readonly services = new Map<string, ServiceRow>();
  readonly symbols = new Map<string, SymbolRow>();
  readonly latenciesUs: number[] = [];
  private readonly book = new BookSnapshotDecoder();
  private readonly hb = new HeartbeatDecoder();
  private readonly st = new StateDecoder();
  private readonly pricing = new PricingDecoder();
  private readonly quote = new QuoteDecoder();
  private readonly pull = new PullQuotesDecoder();
  private readonly pos = new PositionDecoder();
  private readonly inst = new InstrumentDecoder();
  bad = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private symbol(name: string): SymbolRow {
    let row = this.symbols.get(name);
    if (!row) {
      row = { bookState: '?', lastUpdateId: 0, bookAtMs: 0, bestBid: '-', bestAsk: '-', fair: NaN, sigma: NaN, tradable: false, quote: '-', quoteAtMs: 0, instrument: '', positions: new Map() };
      this.symbols.set(name, row);
    }
    return row;
  }

  onMessage(buffer: AtomicBuffer, offset: number, length: number): void {
    if (length < 8) { this.bad++; return; }
    const now = this.now();
    switch (MessageHeader.templateId(buffer, offset)) {
      case TemplateId.BOOK_SNAPSHOT: {
        if (this.book.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const r = this.symbol(this.book.symbol());
        r.lastUpdateId = this.book.lastUpdateId();
        r.bookAtMs = now;
        r.bookState = 'LIVE';
        r.bestBid = this.book.bidCount() > 0 ? formatFixed8(this.book.bidPrice(0)) : '-';
        r.bestAsk = this.book.askCount() > 0 ? formatFixed8(this.book.askPrice(0)) : '-';
        return;
      }
      case TemplateId.STATE: {
        if (this.st.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const sym = this.st.symbol();
        const name = SERVICE_STATE_NAMES[this.st.state()] ?? '?';
        if (sym !== '' && this.st.service() === 'mm_collector') this.symbol(sym).bookState = name;
        else {
          const row = this.serviceRow(this.st.service());
          row.state = name;
          row.reason = this.st.reason();
        }
        return;
      }
      case TemplateId.HEARTBEAT: {
        if (this.hb.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const row = this.serviceRow(this.hb.service());
        row.state = SERVICE_STATE_NAMES[this.hb.state()] ?? '?';
        row.reason = this.hb.reason();
        row.lastSeenMs = now;
        row.messagesIn = this.hb.messagesIn();
        row.messagesOut = this.hb.messagesOut();
        row.errors = this.hb.errors();
        if (row.prevAtMs > 0 && now > row.prevAtMs) {
          row.rateIn = ((row.messagesIn - row.prevIn) * 1000) / (now - row.prevAtMs);
          row.rateOut = ((row.messagesOut - row.prevOut) * 1000) / (now - row.prevAtMs);
        }
        row.prevIn = row.messagesIn; row.prevOut = row.messagesOut; row.prevAtMs = now;
        return;
      }
      case TemplateId.PRICING: {
        if (this.pricing.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const r = this.symbol(this.pricing.symbol());
        r.fair = this.pricing.fairValue();
        r.sigma = this.pricing.sigma();
        r.tradable = (this.pricing.flags() & PricingFlags.TRADABLE) !== 0;
        return;
      }
      case TemplateId.QUOTE: {
        if (this.quote.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const r = this.symbol(this.quote.symbol());
        const bid = this.quote.hasBid() ? `${formatFixed8(this.quote.bidQty())}@${formatFixed8(this.quote.bidPrice())}` : '-';
        const ask = this.quote.hasAsk() ? `${formatFixed8(this.quote.askQty())}@${formatFixed8(this.quote.askPrice())}` : '-';
        r.quote = `${bid} / ${ask} → ${(VENUE_NAMES[this.quote.venue()] ?? '?').toLowerCase()}`;
        r.quoteAtMs = now;
        // Tick-to-quote counts quotes a new fair value caused; a re-decision carries an older tick's time.
        const us = (this.quote.sendTimeNs() - this.quote.recvTimeNs()) / 1000;
        if (this.quote.cause() !== QuoteCause.REDECIDE && us >= 0 && Number.isFinite(us)) {
          this.latenciesUs.push(us);
          if (this.latenciesUs.length > 10_000) this.latenciesUs.splice(0, 5_000);
        }
        return;
      }
      case TemplateId.PULL_QUOTES: {
        if (this.pull.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const reason = PULL_REASON_NAMES[this.pull.reason()] ?? '?';
        const targets = this.pull.allSymbols() ? [...this.symbols.values()] : [this.symbol(this.pull.symbol())];
        for (const r of targets) { r.quote = `PULLED (${reason})`; r.quoteAtMs = now; }
        return;
      }
      case TemplateId.INSTRUMENT: {
        if (this.inst.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const i = this.inst;
        this.symbol(i.symbol()).instrument = `${INSTRUMENT_STATUS_NAMES[i.status()] ?? '?'}  tick ${formatFixed8(i.tickSize())}  step ${formatFixed8(i.stepSize())}`
          + `  min qty ${formatFixed8(i.minQty())}  min notional ${formatFixed8(i.minNotional())}${i.overridden() !== 0 ? '  (overrides)' : ''}`;
        return;
      }
      case TemplateId.POSITION: {
        if (this.pos.wrapChecked(buffer, offset, length) !== DecodeResult.OK) { this.bad++; return; }
        const r = this.symbol(this.pos.symbol());
        r.positions.set((VENUE_NAMES[this.pos.venue()] ?? '?').toLowerCase(), {
          qty: formatFixed8(this.pos.quantity()),
          pnl: this.pos.realizedPnl() + this.pos.unrealizedPnl() - this.pos.fees() / 1e8,
          fees: formatFixed8(this.pos.fees()),
          lastFillId: this.pos.lastFillId(),
        });
        return;
      }
      default:
        return;
    }
  }

  private serviceRow(name: string): ServiceRow {
    let row = this.services.get(name);
    if (!row) {
      row = { state: '?', reason: '', lastSeenMs: 0, messagesIn: 0, messagesOut: 0, errors: 0, rateIn: 0, rateOut: 0, prevIn: 0, prevOut: 0, prevAtMs: 0 };
      this.services.set(name, row);
    }
    return row;
  }

  latencyPercentilesUs(): { n: number; p50: number; p99: number; p999: number } {
    const xs = [...this.latenciesUs].sort((a, b) => a - b);
    const at = (q: number): number => (xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!);
    return { n: xs.length, p50: at(0.5), p99: at(0.99), p999: at(0.999) };
  }

  /** The screen, as lines of text. `counters` are extra lines (Aeron stream positions) from the caller. */
  render(counters: string[] = []): string[] {
    const now = this.now();
    const age = (t: number): string => (t === 0 ? '-' : `${((now - t) / 1000).toFixed(1)}s`);
    const lines: string[] = [];
    lines.push(`mm stat  ${new Date(now).toISOString()}`);
    lines.push('');
    lines.push(`${'SERVICE'.padEnd(16)} ${'STATE'.padEnd(9)} ${'HB AGE'.padStart(7)} ${'IN/s'.padStart(8)} ${'OUT/s'.padStart(8)} ${'ERRORS'.padStart(7)}  REASON`);
    for (const [name, r] of [...this.services].sort()) {
      lines.push(`${name.padEnd(16)} ${r.state.padEnd(9)} ${age(r.lastSeenMs).padStart(7)} ${r.rateIn.toFixed(0).padStart(8)} ${r.rateOut.toFixed(0).padStart(8)} ${String(r.errors).padStart(7)}  ${r.reason}`);
    }
    lines.push('');
    lines.push(`${'SYMBOL'.padEnd(10)} ${'BOOK'.padEnd(8)} ${'AGE'.padStart(6)} ${'BID'.padStart(14)} ${'ASK'.padStart(14)} ${'FAIR'.padStart(14)} ${'SIGMA/√s'.padStart(9)} TRD  QUOTE`);
    for (const [name, r] of [...this.symbols].sort()) {
      lines.push(`${name.padEnd(10)} ${r.bookState.padEnd(8)} ${age(r.bookAtMs).padStart(6)} ${r.bestBid.padStart(14)} ${r.bestAsk.padStart(14)} ${fmt(r.fair, 4).padStart(14)} ${fmt(r.sigma, 4).padStart(9)} ${r.tradable ? 'yes' : 'no '}  ${r.quote}`);
      if (r.instrument !== '') lines.push(`${''.padEnd(10)} instrument: ${r.instrument}`);
      for (const [venue, p] of r.positions) {
        lines.push(`${''.padEnd(10)} position@${venue}: ${p.qty}  pnl ${fmt(p.pnl, 2)}  fees ${p.fees}  last fill ${p.lastFillId}`);
      }
    }
    const l = this.latencyPercentilesUs();
    lines.push('');
    lines.push(`tick→quote (${l.n} quotes on new pricing): p50 ${fmt(l.p50, 1)} µs  p99 ${fmt(l.p99, 1)} µs  p99.9 ${fmt(l.p999, 1)} µs   malformed: ${this.bad}`);
    if (counters.length > 0) {
      lines.push('');
      lines.push(...counters);
    }
    return lines;
  }
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '-';
}

import { writeFileSync } from 'node:fs';
import type { BacktestObserver, FillRow, PositionRow, PullRow, QuoteRow } from './BacktestEvents.js';
import type { DataTime } from './DataTime.js';
import { csvField, e8, fixed } from './Format.js';

/**
 * The per-event log of a backtest: every quote, pull, fill and position snapshot, as CSV (one wide table) and as
 * JSONL (one object per line, only the fields of its type). Formatting is stable (Format.ts) and times are data
 * times, so the same inputs and config give byte-identical files. Rows are kept in memory as text until written
 * (a few hundred bytes a row; a day of quoting is tens of MB).
 */
export const EVENT_LOG_COLUMNS = [
  't_ns', 'time', 'type', 'symbol', 'id', 'quote_id', 'side', 'liquidity', 'price', 'qty', 'fee', 'bid_price', 'bid_qty',
  'ask_price', 'ask_qty', 'position', 'avg_price', 'realized_pnl', 'unrealized_pnl', 'mark_price', 'mid', 'reason',
] as const;

type Column = (typeof EVENT_LOG_COLUMNS)[number];

export class EventLog implements BacktestObserver {
  readonly csv: string[] = [EVENT_LOG_COLUMNS.join(',')];
  readonly jsonl: string[] = [];
  counts = { quotes: 0, pulls: 0, fills: 0, positions: 0 };

  constructor(private readonly time: DataTime) {}

  onQuote(q: Readonly<QuoteRow>): void {
    this.counts.quotes++;
    const bid = q.bidQtyE8 > 0, ask = q.askQtyE8 > 0;
    this.row(q.tNs, 'quote', q.symbol, {
      id: String(q.quoteId), bid_price: bid ? e8(q.bidPriceE8) : '', bid_qty: e8(q.bidQtyE8),
      ask_price: ask ? e8(q.askPriceE8) : '', ask_qty: e8(q.askQtyE8),
    }, { quoteId: q.quoteId, tickNs: q.tickNs, bidPrice: bid ? e8(q.bidPriceE8) : null, bidQty: e8(q.bidQtyE8), askPrice: ask ? e8(q.askPriceE8) : null, askQty: e8(q.askQtyE8) });
  }

  onPull(p: Readonly<PullRow>): void {
    this.counts.pulls++;
    this.row(p.tNs, 'pull', p.symbol, { id: String(p.quoteId), reason: p.reason }, { quoteId: p.quoteId, reason: p.reason });
  }

  onFill(f: Readonly<FillRow>): void {
    this.counts.fills++;
    this.row(f.tNs, 'fill', f.symbol, {
      id: String(f.fillId), quote_id: String(f.quoteId), side: f.side, liquidity: f.liquidity, price: e8(f.priceE8),
      qty: e8(f.qtyE8), fee: e8(f.feeE8), mid: fixed(f.mid),
    }, {
      fillId: f.fillId, quoteId: f.quoteId, side: f.side, liquidity: f.liquidity, price: e8(f.priceE8), qty: e8(f.qtyE8),
      fee: e8(f.feeE8), fillTimeNs: f.fillTimeNs, recvNs: f.recvNs, mid: fixed(f.mid) || null,
    });
  }

  onPosition(p: Readonly<PositionRow>): void {
    this.counts.positions++;
    this.row(p.tNs, 'position', p.symbol, {
      id: String(p.lastFillId), position: e8(p.qtyE8), fee: e8(p.feesE8), avg_price: fixed(p.averagePrice),
      realized_pnl: fixed(p.realizedPnl), unrealized_pnl: fixed(p.unrealizedPnl), mark_price: fixed(p.markPrice),
    }, {
      lastFillId: p.lastFillId, position: e8(p.qtyE8), fees: e8(p.feesE8), avgPrice: fixed(p.averagePrice),
      realizedPnl: fixed(p.realizedPnl), unrealizedPnl: fixed(p.unrealizedPnl), markPrice: fixed(p.markPrice),
    });
  }

  writeCsv(path: string): void {
    writeFileSync(path, `${this.csv.join('\n')}\n`);
  }

  writeJsonl(path: string): void {
    writeFileSync(path, this.jsonl.length === 0 ? '' : `${this.jsonl.join('\n')}\n`);
  }

  private row(tNs: number, type: string, symbol: string, fields: Partial<Record<Column, string>>, json: Record<string, unknown>): void {
    const time = this.time.iso(tNs);
    const all: Partial<Record<Column, string>> = { t_ns: String(tNs), time, type, symbol, ...fields };
    this.csv.push(EVENT_LOG_COLUMNS.map((c) => csvField(all[c] ?? '')).join(','));
    this.jsonl.push(JSON.stringify({ tNs, time, type, symbol, ...json }));
  }
}

import { writeFileSync } from 'node:fs';
import type { BacktestObserver, FillRow, PricingPoint, PullRow, QuoteRow } from './BacktestEvents.js';
import type { DataTime } from './DataTime.js';
import { summaryMarkdown, type Summary } from './Summary.js';
import { lineChart } from './Svg.js';

/**
 * The picture of a backtest: one self-contained HTML file (inline SVG, no scripts, no CDN) with, per symbol,
 * price (mid) with the quoted bid/ask and fills, inventory, and mark-to-market PnL (cash − fees + inventory × mid)
 * over time, above the summary table. Pricing is sampled at most every `sampleNs` per symbol (the charts thin
 * further when drawing), quotes and fills are kept whole.
 */
interface SymbolSeries {
  priceT: number[]; mid: number[];
  quoteT: number[]; bid: number[]; ask: number[];
  buyT: number[]; buyP: number[]; sellT: number[]; sellP: number[];
  invT: number[]; inv: number[];
  pnlT: number[]; pnl: number[];
  lastSampleNs: number; qtyE8: number; cash: number; feesE8: number; lastMid: number;
}

export class ReportBuilder implements BacktestObserver {
  private readonly series = new Map<string, SymbolSeries>();

  constructor(symbols: readonly string[], private readonly sampleNs = 250e6) {
    for (const s of symbols) {
      this.series.set(s, {
        priceT: [], mid: [], quoteT: [], bid: [], ask: [], buyT: [], buyP: [], sellT: [], sellP: [], invT: [], inv: [],
        pnlT: [], pnl: [], lastSampleNs: Number.NEGATIVE_INFINITY, qtyE8: 0, cash: 0, feesE8: 0, lastMid: Number.NaN,
      });
    }
  }

  onPricing(p: Readonly<PricingPoint>): void {
    const s = this.series.get(p.symbol);
    if (!s) return;
    s.lastMid = p.mid;
    if (p.tNs - s.lastSampleNs < this.sampleNs) return;
    s.lastSampleNs = p.tNs;
    s.priceT.push(p.tNs);
    s.mid.push(p.mid);
    this.markPnl(s, p.tNs);
  }

  onQuote(q: Readonly<QuoteRow>): void {
    const s = this.series.get(q.symbol);
    if (!s) return;
    s.quoteT.push(q.tNs);
    s.bid.push(q.bidQtyE8 > 0 ? q.bidPriceE8 / 1e8 : Number.NaN);
    s.ask.push(q.askQtyE8 > 0 ? q.askPriceE8 / 1e8 : Number.NaN);
  }

  onPull(p: Readonly<PullRow>): void {
    for (const [symbol, s] of this.series) {
      if (p.symbol !== '' && p.symbol !== symbol) continue;
      s.quoteT.push(p.tNs);
      s.bid.push(Number.NaN);
      s.ask.push(Number.NaN);
    }
  }

  onFill(f: Readonly<FillRow>): void {
    const s = this.series.get(f.symbol);
    if (!s) return;
    const price = f.priceE8 / 1e8;
    const notional = price * (f.qtyE8 / 1e8);
    if (f.side === 'BUY') {
      s.buyT.push(f.tNs); s.buyP.push(price); s.qtyE8 += f.qtyE8; s.cash -= notional;
    } else {
      s.sellT.push(f.tNs); s.sellP.push(price); s.qtyE8 -= f.qtyE8; s.cash += notional;
    }
    s.feesE8 += f.feeE8;
    s.invT.push(f.tNs);
    s.inv.push(s.qtyE8 / 1e8);
    this.markPnl(s, f.tNs);
  }

  /** Renders the HTML document. */
  html(summary: Summary, time: DataTime, t0: number, t1: number, title: string): string {
    const label = (t: number): string => time.iso(t).slice(11, 19);
    const parts: string[] = [];
    for (const [symbol, s] of this.series) {
      parts.push(`<h2>${symbol}</h2>`);
      parts.push(lineChart({
        title: `${symbol} price: mid, quoted bid/ask, fills`, t0, t1, timeLabel: label, height: 320,
        series: [
          { label: 'mid', color: '#555', t: s.priceT, v: s.mid },
          { label: 'our bid', color: '#2a7', t: s.quoteT, v: s.bid, step: true },
          { label: 'our ask', color: '#c44', t: s.quoteT, v: s.ask, step: true },
        ],
        markers: [
          { label: 'buy fill', color: '#063', t: s.buyT, v: s.buyP, up: true },
          { label: 'sell fill', color: '#900', t: s.sellT, v: s.sellP, up: false },
        ],
      }));
      parts.push(lineChart({
        title: `${symbol} inventory (base units)`, t0, t1, timeLabel: label,
        series: [{ label: 'inventory', color: '#36c', t: [t0, ...s.invT], v: [0, ...s.inv], step: true }],
      }));
      parts.push(lineChart({
        title: `${symbol} PnL, mark-to-market after fees (quote units)`, t0, t1, timeLabel: label,
        series: [{ label: 'PnL', color: '#a60', t: [t0, ...s.pnlT], v: [0, ...s.pnl] }],
      }));
    }
    const table = summaryMarkdown(summary).split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---'));
    const rows = table.map((l, i) => {
      const cells = l.slice(1, -1).split('|').map((c) => c.trim());
      const tag = i === 0 ? 'th' : 'td';
      return `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
    });
    return [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      `<title>${escapeHtml(title)}</title>`,
      '<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f0f0f0}svg{display:block;margin:8px 0}</style>',
      '</head><body>',
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(summary.start)} → ${escapeHtml(summary.end)} (${summary.durationS} s of data). Total PnL <b>${summary.total.pnl}</b> (gross ${summary.total.grossPnl}, fees ${summary.total.fees}); ${summary.total.fills} fills, ${summary.total.quotes} quotes, ${summary.total.pulls} pulls.</p>`,
      `<table>${rows.join('')}</table>`,
      ...parts,
      '</body></html>',
      '',
    ].join('\n');
  }

  write(path: string, summary: Summary, time: DataTime, t0: number, t1: number, title: string): void {
    writeFileSync(path, this.html(summary, time, t0, t1, title));
  }

  private markPnl(s: SymbolSeries, tNs: number): void {
    if (!Number.isFinite(s.lastMid)) return;
    s.pnlT.push(tNs);
    s.pnl.push(s.cash - s.feesE8 / 1e8 + (s.qtyE8 / 1e8) * s.lastMid);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

import type { BacktestObserver, FillRow, PricingPoint, PullRow, QuoteRow } from './BacktestEvents.js';
import type { DataTime } from './DataTime.js';

/**
 * The summary of a backtest, computed from the same events the event log holds (so every number can be checked
 * against it), over the trading period [start, end] in data time:
 * - PnL (quote currency) = cash from fills − fees + final inventory × last mid; gross = before fees;
 * - inventory mean / std are time-weighted over the period (base units), max is the largest |inventory|;
 * - quote uptime = share of the period with at least one side quoted (a quote with a size > 0 until the next
 *   quote with none or a pull);
 * - spread captured per fill = (mid − price) for buys, (price − mid) for sells, in bps of the mid at the fill's
 *   publication (fills before any pricing are left out of the average).
 * Floats are rounded to fixed decimals so the JSON is byte-stable.
 */
export interface SymbolSummary {
  symbol: string;
  fills: number;
  buys: number;
  sells: number;
  makerFills: number;
  takerFills: number;
  volume: number;
  notional: number;
  fees: number;
  grossPnl: number;
  pnl: number;
  finalInventory: number;
  lastMid: number | null;
  inventoryMean: number;
  inventoryStd: number;
  inventoryMaxAbs: number;
  quotes: number;
  pulls: number;
  quoteUptime: number;
  avgSpreadCapturedBps: number | null;
  fillsPerMinute: number;
  fillsPerQuote: number;
}

export interface Summary {
  start: string;
  end: string;
  durationS: number;
  symbols: SymbolSummary[];
  total: { fills: number; fees: number; grossPnl: number; pnl: number; notional: number; quotes: number; pulls: number; fillsPerMinute: number };
}

interface Acc {
  fills: number; buys: number; sells: number; maker: number; taker: number; volumeE8: number; notional: number; feesE8: number;
  cash: number; qtyE8: number; maxAbsE8: number; lastMid: number; invLastNs: number; invArea: number; invArea2: number;
  quotes: number; pulls: number; quoting: boolean; quotingSinceNs: number; quotedNs: number; edgeBpsSum: number; edgeCount: number;
}

const round = (x: number, d: number): number => {
  const v = Number(x.toFixed(d));
  return Object.is(v, -0) ? 0 : v;
};

export class SummaryBuilder implements BacktestObserver {
  private readonly acc = new Map<string, Acc>();
  private startNs = 0;

  constructor(private readonly symbols: readonly string[], private readonly time: DataTime) {
    for (const s of symbols) {
      this.acc.set(s, {
        fills: 0, buys: 0, sells: 0, maker: 0, taker: 0, volumeE8: 0, notional: 0, feesE8: 0, cash: 0, qtyE8: 0, maxAbsE8: 0,
        lastMid: Number.NaN, invLastNs: 0, invArea: 0, invArea2: 0, quotes: 0, pulls: 0, quoting: false, quotingSinceNs: 0,
        quotedNs: 0, edgeBpsSum: 0, edgeCount: 0,
      });
    }
  }

  /** The trading period starts now (strategy and venue created). */
  begin(tNs: number): void {
    this.startNs = tNs;
    for (const a of this.acc.values()) a.invLastNs = tNs;
  }

  onPricing(p: Readonly<PricingPoint>): void {
    const a = this.acc.get(p.symbol);
    if (a) a.lastMid = p.mid;
  }

  onQuote(q: Readonly<QuoteRow>): void {
    const a = this.acc.get(q.symbol);
    if (!a) return;
    a.quotes++;
    this.setQuoting(a, q.bidQtyE8 > 0 || q.askQtyE8 > 0, q.tNs);
  }

  onPull(p: Readonly<PullRow>): void {
    for (const [symbol, a] of this.acc) {
      if (p.symbol !== '' && p.symbol !== symbol) continue;
      a.pulls++;
      this.setQuoting(a, false, p.tNs);
    }
  }

  onFill(f: Readonly<FillRow>): void {
    const a = this.acc.get(f.symbol);
    if (!a) return;
    this.integrate(a, f.tNs);
    a.fills++;
    if (f.liquidity === 'TAKER') a.taker++;
    else a.maker++;
    const price = f.priceE8 / 1e8;
    const notional = price * (f.qtyE8 / 1e8);
    a.volumeE8 += f.qtyE8;
    a.notional += notional;
    a.feesE8 += f.feeE8;
    if (f.side === 'BUY') {
      a.buys++;
      a.qtyE8 += f.qtyE8;
      a.cash -= notional;
    } else {
      a.sells++;
      a.qtyE8 -= f.qtyE8;
      a.cash += notional;
    }
    a.maxAbsE8 = Math.max(a.maxAbsE8, Math.abs(a.qtyE8));
    if (Number.isFinite(f.mid) && f.mid > 0) {
      a.edgeBpsSum += ((f.side === 'BUY' ? f.mid - price : price - f.mid) / f.mid) * 1e4;
      a.edgeCount++;
    }
  }

  finish(endNs: number): Summary {
    const durationNs = Math.max(0, endNs - this.startNs);
    const minutes = durationNs / 60e9;
    const symbols: SymbolSummary[] = [];
    for (const s of this.symbols) {
      const a = this.acc.get(s)!;
      this.integrate(a, endNs);
      const quoted = a.quotedNs + (a.quoting ? endNs - a.quotingSinceNs : 0);
      const mean = durationNs > 0 ? a.invArea / durationNs : a.qtyE8 / 1e8;
      const variance = durationNs > 0 ? Math.max(0, a.invArea2 / durationNs - mean * mean) : 0;
      const inventory = a.qtyE8 / 1e8;
      const fees = a.feesE8 / 1e8;
      const mark = Number.isFinite(a.lastMid) ? inventory * a.lastMid : 0;
      symbols.push({
        symbol: s,
        fills: a.fills,
        buys: a.buys,
        sells: a.sells,
        makerFills: a.maker,
        takerFills: a.taker,
        volume: round(a.volumeE8 / 1e8, 8),
        notional: round(a.notional, 6),
        fees: round(fees, 8),
        grossPnl: round(a.cash + mark, 6),
        pnl: round(a.cash + mark - fees, 6),
        finalInventory: round(inventory, 8),
        lastMid: Number.isFinite(a.lastMid) ? round(a.lastMid, 8) : null,
        inventoryMean: round(mean, 8),
        inventoryStd: round(Math.sqrt(variance), 8),
        inventoryMaxAbs: round(a.maxAbsE8 / 1e8, 8),
        quotes: a.quotes,
        pulls: a.pulls,
        quoteUptime: round(durationNs > 0 ? quoted / durationNs : 0, 6),
        avgSpreadCapturedBps: a.edgeCount > 0 ? round(a.edgeBpsSum / a.edgeCount, 6) : null,
        fillsPerMinute: round(minutes > 0 ? a.fills / minutes : 0, 6),
        fillsPerQuote: round(a.quotes > 0 ? a.fills / a.quotes : 0, 6),
      });
    }
    const sum = (f: (x: SymbolSummary) => number): number => symbols.reduce((t, x) => t + f(x), 0);
    const fills = sum((x) => x.fills);
    return {
      start: this.time.iso(this.startNs),
      end: this.time.iso(endNs),
      durationS: round(durationNs / 1e9, 6),
      symbols,
      total: {
        fills,
        fees: round(sum((x) => x.fees), 8),
        grossPnl: round(sum((x) => x.grossPnl), 6),
        pnl: round(sum((x) => x.pnl), 6),
        notional: round(sum((x) => x.notional), 6),
        quotes: sum((x) => x.quotes),
        pulls: sum((x) => x.pulls),
        fillsPerMinute: round(minutes > 0 ? fills / minutes : 0, 6),
      },
    };
  }

  private setQuoting(a: Acc, on: boolean, tNs: number): void {
    if (on === a.quoting) return;
    if (a.quoting) a.quotedNs += tNs - a.quotingSinceNs;
    else a.quotingSinceNs = tNs;
    a.quoting = on;
  }

  private integrate(a: Acc, tNs: number): void {
    const dt = tNs - a.invLastNs;
    if (dt <= 0) return;
    const q = a.qtyE8 / 1e8;
    a.invArea += q * dt;
    a.invArea2 += q * q * dt;
    a.invLastNs = tNs;
  }
}

/** The summary as Markdown (printed by the CLI and written next to summary.json). */
export function summaryMarkdown(s: Summary): string {
  const lines = [
    `# Backtest summary`,
    '',
    `Period ${s.start} → ${s.end} (${s.durationS} s). Total PnL ${s.total.pnl} (gross ${s.total.grossPnl}, fees ${s.total.fees}), ${s.total.fills} fills (${s.total.fillsPerMinute}/min), ${s.total.quotes} quotes, ${s.total.pulls} pulls.`,
    '',
    '| symbol | PnL | gross | fees | fills | buy/sell | maker/taker | fills/min | fills/quote | inventory end | mean | std | max abs | quote uptime | spread captured (bps) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const x of s.symbols) {
    lines.push(`| ${x.symbol} | ${x.pnl} | ${x.grossPnl} | ${x.fees} | ${x.fills} | ${x.buys}/${x.sells} | ${x.makerFills}/${x.takerFills} | ${x.fillsPerMinute} | ${x.fillsPerQuote} | ${x.finalInventory} | ${x.inventoryMean} | ${x.inventoryStd} | ${x.inventoryMaxAbs} | ${(x.quoteUptime * 100).toFixed(2)}% | ${x.avgSpreadCapturedBps ?? '–'} |`);
  }
  return `${lines.join('\n')}\n`;
}

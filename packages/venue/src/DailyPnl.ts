/**
 * Realized PnL and fees per UTC day, derived from fills (the journal on start, then every live fill). Realized PnL
 * is the change of the position's realized PnL caused by each fill, attributed to the UTC day of the fill's
 * wall-clock time; fees are exact 1e-8 sums. Days are kept in a small map (one entry per day traded).
 */
export interface DayTotals {
  /** UTC day as YYYY-MM-DD. */
  readonly day: string;
  realizedPnl: number;
  feesE8: number;
  fills: number;
}

const DAY_MS = 86_400_000;

export class DailyPnl {
  private readonly days = new Map<number, DayTotals>();

  add(epochMs: number, realizedDelta: number, feeE8: number): void {
    const key = Math.floor(epochMs / DAY_MS);
    let d = this.days.get(key);
    if (d === undefined) {
      d = { day: new Date(key * DAY_MS).toISOString().slice(0, 10), realizedPnl: 0, feesE8: 0, fills: 0 };
      this.days.set(key, d);
    }
    d.realizedPnl += realizedDelta;
    d.feesE8 += feeE8;
    d.fills++;
  }

  /** Totals of the UTC day containing epochMs (zeros if nothing traded that day). */
  forDay(epochMs: number): Readonly<DayTotals> {
    const key = Math.floor(epochMs / DAY_MS);
    return this.days.get(key) ?? { day: new Date(key * DAY_MS).toISOString().slice(0, 10), realizedPnl: 0, feesE8: 0, fills: 0 };
  }

  /** Every day with fills, oldest first. */
  all(): readonly Readonly<DayTotals>[] {
    return [...this.days.entries()].sort((a, b) => a[0] - b[0]).map(([, d]) => d);
  }
}

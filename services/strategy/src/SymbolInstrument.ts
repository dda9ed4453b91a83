import type { InstrumentOverrideSettings } from './StrategyConfig.js';

/**
 * What the strategy knows of one symbol's exchange rules: stream 20 (the collector's INSTRUMENT, Binance
 * exchangeInfo) with the configured overrides winning field by field.
 *
 * Invariants:
 * - `quotable` only when known, TRADING, tick and step > 0 and the configured order size, rounded down to the step,
 *   is > 0 and ≥ min qty; otherwise `problem` says why (for the log and the service state).
 * - Sizes round down to the step (never more than configured); prices round bid down and ask up (the engine's
 *   builder does that on the instrument's tick, see `floorToTick`/`ceilToTick`).
 * - Min notional is checked exactly on 1e-8 integers (`meetsMinNotional`): price × qty ≥ minNotional × 1e8.
 * Nothing here allocates on the quoting path except the exact tie-break of `meetsMinNotional` (BigInt, only when
 * the float product is within 1e-12 of the limit).
 */
export const InstrumentChange = { NONE: 0, RULES: 1, GRID: 2 } as const;
export type InstrumentChange = (typeof InstrumentChange)[keyof typeof InstrumentChange];

/** Status code of TRADING on stream 20 (@mm/protocol InstrumentStatus.TRADING). */
const TRADING = 1;

export class SymbolInstrument {
  known = false;
  tickE8 = 0;
  stepE8 = 0;
  minQtyE8 = 0;
  minNotionalE8 = 0;
  status = 0;
  statusText = '';
  /** The configured order size rounded down to the step. */
  orderQtyE8 = 0;
  quotable = false;
  problem = 'instrument unknown (waiting for stream 20)';

  constructor(
    readonly symbol: string,
    private readonly configuredOrderQtyE8: number,
    private readonly override: InstrumentOverrideSettings,
    private readonly statusOfText: (text: string) => number,
  ) {
    if (override.tickE8 !== undefined && override.stepE8 !== undefined) {
      this.apply(override.tickE8, override.stepE8, 0, 0, TRADING, 'TRADING');
    }
  }

  /**
   * Applies an instrument message (overrides win). Returns GRID when tick, step or the rounded order size changed
   * (the engine must be rebuilt), RULES when only minimums or status changed, NONE otherwise.
   */
  apply(tickE8: number, stepE8: number, minQtyE8: number, minNotionalE8: number, status: number, statusText: string): InstrumentChange {
    const o = this.override;
    const tick = o.tickE8 ?? tickE8;
    const step = o.stepE8 ?? stepE8;
    const minQty = o.minQtyE8 ?? minQtyE8;
    const minNotional = o.minNotionalE8 ?? minNotionalE8;
    const st = o.status !== undefined ? this.statusOfText(o.status) : status;
    const stText = o.status ?? statusText;
    const orderQty = step > 0 ? roundQtyDown(this.configuredOrderQtyE8, step) : 0;
    const grid = !this.known || tick !== this.tickE8 || step !== this.stepE8 || orderQty !== this.orderQtyE8;
    const rules = grid || minQty !== this.minQtyE8 || minNotional !== this.minNotionalE8 || st !== this.status;
    this.known = true;
    this.tickE8 = tick;
    this.stepE8 = step;
    this.minQtyE8 = minQty;
    this.minNotionalE8 = minNotional;
    this.status = st;
    this.statusText = stText;
    this.orderQtyE8 = orderQty;
    if (!(tick > 0) || !(step > 0)) this.problem = `tick ${tick} / step ${step} not usable`;
    else if (st !== TRADING) this.problem = `not trading (${stText})`;
    else if (orderQty <= 0 || orderQty < minQty) this.problem = `order size ${this.configuredOrderQtyE8} rounds to ${orderQty} with step ${step}, below min qty ${minQty}`;
    else this.problem = '';
    this.quotable = this.problem === '';
    return grid ? InstrumentChange.GRID : rules ? InstrumentChange.RULES : InstrumentChange.NONE;
  }
}

/** Largest multiple of the step ≤ qty. */
export function roundQtyDown(qtyE8: number, stepE8: number): number {
  return qtyE8 - (qtyE8 % stepE8);
}

/** Largest multiple of the tick ≤ price (a bid). */
export function roundBidDown(priceE8: number, tickE8: number): number {
  return priceE8 - (priceE8 % tickE8);
}

/** Smallest multiple of the tick ≥ price (an ask). */
export function roundAskUp(priceE8: number, tickE8: number): number {
  const r = priceE8 % tickE8;
  return r === 0 ? priceE8 : priceE8 - r + tickE8;
}

/** price × qty ≥ minNotional, all in 1e-8 units, decided exactly. */
export function meetsMinNotional(priceE8: number, qtyE8: number, minNotionalE8: number): boolean {
  if (minNotionalE8 <= 0) return true;
  const lhs = priceE8 * qtyE8;
  const rhs = minNotionalE8 * 1e8;
  if (Math.abs(lhs - rhs) > rhs * 1e-12) return lhs > rhs;
  return BigInt(priceE8) * BigInt(qtyE8) >= BigInt(minNotionalE8) * 100_000_000n;
}

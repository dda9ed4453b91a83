import { type FillEvent, OrderSide } from './FillTypes.js';

/**
 * Positions per symbol built only from fills: signed quantity (1e-8 units), average entry price of the open
 * position (price units), realized PnL before fees (quote units), fees (1e-8 quote units, exact integer sum) and
 * unrealized PnL marked to the mid.
 *
 * Invariant (asserted after every fill, throws PositionInvariantError): the quantity equals the signed sum of
 * the fills' quantities and the fees equal the sum of the fills' fees, exactly; and realized + unrealized at any
 * mark equals the cash flow of the fills plus quantity × mark (relative tolerance 1e-9). Average price rules:
 * adding to a position averages in; reducing realizes (price − avg) × closed qty; flipping closes the old side
 * and opens the rest at the fill price.
 */
export class PositionInvariantError extends Error {
  override readonly name = 'PositionInvariantError';
}

export class Position {
  readonly venueId: number;
  readonly symbolId: number;
  qtyE8 = 0;
  /** Average entry price of the open position, price units (0 when flat). */
  avgPrice = 0;
  realizedPnl = 0;
  feesE8 = 0;
  markPrice = 0;
  lastFillId = 0;
  fillCount = 0;
  // Independent sums used only by the invariant.
  private sumSignedQtyE8 = 0;
  private sumFeesE8 = 0;
  private cash = 0;

  constructor(venueId: number, symbolId: number) {
    this.venueId = venueId;
    this.symbolId = symbolId;
  }

  get unrealizedPnl(): number {
    return this.qtyE8 === 0 ? 0 : (this.qtyE8 / 1e8) * (this.markPrice - this.avgPrice);
  }

  /** Realized + unrealized − fees, quote units. */
  get totalPnl(): number {
    return this.realizedPnl + this.unrealizedPnl - this.feesE8 / 1e8;
  }

  mark(midPrice: number): void {
    this.markPrice = midPrice;
  }

  apply(fill: Readonly<FillEvent>): void {
    if (!(fill.qtyE8 > 0) || !Number.isSafeInteger(fill.qtyE8)) {
      throw new RangeError(`fill ${fill.fillId}: qtyE8 must be a positive safe integer, got ${fill.qtyE8}`);
    }
    if (fill.side !== OrderSide.BUY && fill.side !== OrderSide.SELL) {
      throw new RangeError(`fill ${fill.fillId}: unknown side ${String(fill.side)}`);
    }
    const signed = fill.side === OrderSide.BUY ? fill.qtyE8 : -fill.qtyE8;
    const price = fill.priceE8 / 1e8;
    const q = this.qtyE8;
    if (q === 0 || Math.sign(q) === Math.sign(signed)) {
      const total = Math.abs(q) + fill.qtyE8;
      this.avgPrice = (this.avgPrice * Math.abs(q) + price * fill.qtyE8) / total;
    } else {
      const closed = Math.min(Math.abs(q), fill.qtyE8);
      this.realizedPnl += (closed / 1e8) * (price - this.avgPrice) * Math.sign(q);
      if (fill.qtyE8 > Math.abs(q)) this.avgPrice = price;
      else if (fill.qtyE8 === Math.abs(q)) this.avgPrice = 0;
    }
    this.qtyE8 = q + signed;
    this.feesE8 += fill.feeE8;
    this.lastFillId = fill.fillId;
    this.fillCount++;
    this.sumSignedQtyE8 += signed;
    this.sumFeesE8 += fill.feeE8;
    this.cash -= (signed / 1e8) * price;
    this.assertInvariant();
  }

  /** Throws PositionInvariantError if the position disagrees with the sum of its fills. */
  assertInvariant(): void {
    if (this.qtyE8 !== this.sumSignedQtyE8) {
      throw new PositionInvariantError(`position ${this.symbolId}: qty ${this.qtyE8} != sum of fills ${this.sumSignedQtyE8}`);
    }
    if (this.feesE8 !== this.sumFeesE8) {
      throw new PositionInvariantError(`position ${this.symbolId}: fees ${this.feesE8} != sum of fills ${this.sumFeesE8}`);
    }
    // At mark = avgPrice the unrealized term vanishes: realized must equal cash + qty·avg.
    const expected = this.cash + (this.qtyE8 / 1e8) * this.avgPrice;
    const scale = Math.max(1, Math.abs(this.cash), Math.abs(this.realizedPnl));
    if (Math.abs(this.realizedPnl - expected) > 1e-9 * scale) {
      throw new PositionInvariantError(
        `position ${this.symbolId}: realized ${this.realizedPnl} != cash + qty·avg ${expected}`,
      );
    }
  }
}

/** Positions keyed by symbol id for one venue; a Position is created on the symbol's first fill. */
export class Positions {
  readonly venueId: number;
  private readonly bySymbol = new Map<number, Position>();

  constructor(venueId: number) {
    this.venueId = venueId;
  }

  get(symbolId: number): Position {
    let p = this.bySymbol.get(symbolId);
    if (p === undefined) {
      p = new Position(this.venueId, symbolId);
      this.bySymbol.set(symbolId, p);
    }
    return p;
  }

  has(symbolId: number): boolean {
    return this.bySymbol.has(symbolId);
  }

  /** Applies a fill of this venue; rejects fills of another venue. */
  apply(fill: Readonly<FillEvent>): Position {
    if (fill.venueId !== this.venueId) {
      throw new RangeError(`fill ${fill.fillId} is for venue ${fill.venueId}, positions are for venue ${this.venueId}`);
    }
    const p = this.get(fill.symbolId);
    p.apply(fill);
    return p;
  }

  mark(symbolId: number, midPrice: number): void {
    this.get(symbolId).mark(midPrice);
  }

  forEach(fn: (p: Position) => void): void {
    this.bySymbol.forEach(fn);
  }
}

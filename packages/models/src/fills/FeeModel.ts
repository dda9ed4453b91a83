import { FillLiquidity } from './FillTypes.js';

/**
 * Maker/taker fees in basis points of notional (negative = rebate). Fees are returned in 1e-8 quote-asset units,
 * rounded half away from zero, so a position's fee total is an exact integer sum of its fills' fees.
 */
export class FeeModel {
  readonly makerBps: number;
  readonly takerBps: number;

  constructor(makerBps: number, takerBps: number) {
    if (!Number.isFinite(makerBps) || !Number.isFinite(takerBps)) {
      throw new RangeError(`fee bps must be finite, got maker ${String(makerBps)} taker ${String(takerBps)}`);
    }
    this.makerBps = makerBps;
    this.takerBps = takerBps;
  }

  /** Fee for a fill of qtyE8 at priceE8, in 1e-8 quote units. */
  feeE8(priceE8: number, qtyE8: number, liquidity: FillLiquidity): number {
    const bps = liquidity === FillLiquidity.MAKER ? this.makerBps : this.takerBps;
    // notional in quote units = (price/1e8)·(qty/1e8); fee in 1e-8 units = notional·bps/1e4·1e8
    const raw = ((priceE8 / 1e8) * (qtyE8 / 1e8) * bps) / 1e4 * 1e8;
    const r = Math.round(Math.abs(raw));
    return raw < 0 && r !== 0 ? -r : r;
  }
}

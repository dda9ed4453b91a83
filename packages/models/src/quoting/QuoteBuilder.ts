import { type ModelQuote, type QuotingModel, newModelQuote, requireNonNegative, requirePositive } from './QuotingModel.js';

/**
 * Turns a model quote into an order-ready quote: inventory relative to a target, position limits, drift shift,
 * minimum spread, tick and lot rounding.
 *
 * Invariants of every built quote:
 * - prices are integers in 1e-8 units on the tick grid; sizes are multiples of the lot; a size of 0 means the
 *   side is not quoted;
 * - a quoted bid is strictly below the current best ask and a quoted ask strictly above the current best bid
 *   (rounding and clamping never cross the book), and bid < ask;
 * - a side is quoted only if filling it completely keeps the position within [−maxPosition, +maxPosition];
 * - the skew comes from the model with q = (position − target) / inventoryUnit, so a long excess lowers both
 *   prices and a short excess raises them (pushes inventory back toward the target);
 * - drift: the whole quote shifts by drift × driftHorizonS (price units; 0 disables).
 * Rounding is conservative: the bid rounds down and the ask rounds up (never narrower than the model).
 */
export interface QuoteBuilderConfig {
  /** Tick size, 1e-8 units. */
  readonly tickE8: number;
  /** Lot size, 1e-8 units. */
  readonly lotE8: number;
  /** Order size per side, 1e-8 units; a multiple of the lot. */
  readonly orderQtyE8: number;
  /** Target position, 1e-8 units (signed). */
  readonly targetQtyE8: number;
  /** Largest allowed |position|, 1e-8 units. */
  readonly maxPositionE8: number;
  /** Position amount that is one model inventory unit; defaults to the order size. */
  readonly inventoryUnitE8?: number;
  /** Minimum total spread in basis points of the centre price (0 disables). */
  readonly minSpreadBps: number;
  /** Seconds of pricing drift to add to the quote centre (0 disables). */
  readonly driftHorizonS: number;
}

/** Inputs of one build: the centre in price units, book prices and position in 1e-8 units, σ price/√s, drift price/s. */
export interface BuildInput {
  readonly centre: number;
  readonly sigma: number;
  readonly drift: number;
  readonly bestBidE8: number;
  readonly bestAskE8: number;
  readonly positionE8: number;
  readonly elapsedS: number;
}

export interface BuiltQuote {
  bidPriceE8: number;
  bidQtyE8: number;
  askPriceE8: number;
  askQtyE8: number;
  /** The model's reservation price after the drift shift, price units (diagnostics). */
  reservation: number;
}

export function newBuiltQuote(): BuiltQuote {
  return { bidPriceE8: 0, bidQtyE8: 0, askPriceE8: 0, askQtyE8: 0, reservation: 0 };
}

const E8 = 1e8;
// Float products such as 123.45 * 1e8 can land a hair off the grid; this keeps exact grid prices on the grid.
const GRID_EPS = 1e-7;

function requireInteger(name: string, value: number, positive: boolean): number {
  if (!Number.isSafeInteger(value) || (positive ? value <= 0 : false)) {
    throw new RangeError(`${name} must be a safe integer${positive ? ' > 0' : ''}, got ${String(value)}`);
  }
  return value;
}

export class QuoteBuilder {
  readonly tickE8: number;
  readonly lotE8: number;
  readonly orderQtyE8: number;
  readonly targetQtyE8: number;
  readonly maxPositionE8: number;
  readonly inventoryUnitE8: number;
  readonly minSpreadBps: number;
  readonly driftHorizonS: number;
  private readonly mq: ModelQuote = newModelQuote();

  constructor(config: QuoteBuilderConfig) {
    this.tickE8 = requireInteger('tickE8', config.tickE8, true);
    this.lotE8 = requireInteger('lotE8', config.lotE8, true);
    this.orderQtyE8 = requireInteger('orderQtyE8', config.orderQtyE8, true);
    if (this.orderQtyE8 % this.lotE8 !== 0) {
      throw new RangeError(`orderQtyE8 ${this.orderQtyE8} is not a multiple of lotE8 ${this.lotE8}`);
    }
    this.targetQtyE8 = requireInteger('targetQtyE8', config.targetQtyE8, false);
    this.maxPositionE8 = requireInteger('maxPositionE8', config.maxPositionE8, false);
    if (this.maxPositionE8 < 0) throw new RangeError(`maxPositionE8 must be >= 0, got ${this.maxPositionE8}`);
    if (Math.abs(this.targetQtyE8) > this.maxPositionE8) {
      throw new RangeError(`|targetQtyE8| ${Math.abs(this.targetQtyE8)} exceeds maxPositionE8 ${this.maxPositionE8}`);
    }
    this.inventoryUnitE8 = requirePositive('inventoryUnitE8', config.inventoryUnitE8 ?? this.orderQtyE8);
    this.minSpreadBps = requireNonNegative('minSpreadBps', config.minSpreadBps);
    if (!Number.isFinite(config.driftHorizonS)) throw new RangeError('driftHorizonS must be finite');
    this.driftHorizonS = requireNonNegative('driftHorizonS', config.driftHorizonS);
  }

  floorToTick(priceE8: number): number {
    return Math.floor(priceE8 / this.tickE8 + GRID_EPS) * this.tickE8;
  }

  ceilToTick(priceE8: number): number {
    return Math.ceil(priceE8 / this.tickE8 - GRID_EPS) * this.tickE8;
  }

  /** Model inventory for a position. */
  inventoryUnits(positionE8: number): number {
    return (positionE8 - this.targetQtyE8) / this.inventoryUnitE8;
  }

  /**
   * Builds into `out`. Returns false when no side can be quoted (both limited, or prices not positive).
   * The best bid/ask may be 0 when that side of the book is empty (no clamp on that side).
   */
  build(model: QuotingModel, input: BuildInput, out: BuiltQuote): boolean {
    const centre = input.centre;
    const mq = this.mq;
    model.quote(centre, this.inventoryUnits(input.positionE8), input.sigma, input.elapsedS, mq);
    const shift = this.driftHorizonS === 0 ? 0 : input.drift * this.driftHorizonS;
    let bid = mq.bid + shift;
    let ask = mq.ask + shift;
    out.reservation = mq.reservation + shift;

    const minSpread = (this.minSpreadBps * centre) / 1e4;
    if (ask - bid < minSpread) {
      const mid = (ask + bid) / 2;
      bid = mid - minSpread / 2;
      ask = mid + minSpread / 2;
    }

    let bidE8 = this.floorToTick(bid * E8);
    let askE8 = this.ceilToTick(ask * E8);
    if (input.bestAskE8 > 0 && bidE8 >= input.bestAskE8) bidE8 = this.floorToTick(input.bestAskE8 - 1);
    if (input.bestBidE8 > 0 && askE8 <= input.bestBidE8) askE8 = this.ceilToTick(input.bestBidE8 + 1);
    // Raising the ask can never cross the bid side of the book, so it is the safe way to keep bid < ask.
    if (askE8 <= bidE8) askE8 = bidE8 + this.tickE8;

    const pos = input.positionE8;
    const size = this.orderQtyE8;
    out.bidPriceE8 = bidE8;
    out.askPriceE8 = askE8;
    out.bidQtyE8 = bidE8 > 0 && pos + size <= this.maxPositionE8 ? size : 0;
    out.askQtyE8 = askE8 > 0 && Number.isFinite(askE8) && pos - size >= -this.maxPositionE8 ? size : 0;
    if (out.bidQtyE8 === 0) out.bidPriceE8 = 0;
    if (out.askQtyE8 === 0) out.askPriceE8 = 0;
    return out.bidQtyE8 > 0 || out.askQtyE8 > 0;
  }
}

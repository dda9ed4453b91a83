import { type ModelQuote, type QuotingModel, requireNonNegative } from './QuotingModel.js';

/** A constant spread centred on the given price, ignoring inventory: the baseline the papers compare against. */
export class SymmetricModel implements QuotingModel {
  readonly spread: number;

  constructor(spread: number) {
    this.spread = requireNonNegative('spread', spread);
  }

  quote(centre: number, _q: number, _sigma: number, _elapsedS: number, out: ModelQuote): void {
    out.reservation = centre;
    out.bid = centre - this.spread / 2;
    out.ask = centre + this.spread / 2;
  }
}

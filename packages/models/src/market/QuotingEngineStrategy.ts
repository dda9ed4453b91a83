import { DecisionKind, type PositionInput, type PricingInput, QuotingEngine } from '../quoting/QuotingEngine.js';
import type { MarketStrategy, StrategyQuote } from './ModelMarket.js';

/**
 * Drives the product's QuotingEngine inside the model market (closed loop): each step becomes a pricing
 * snapshot (mid = s, σ from the market, no drift, a one-tick synthetic book around s) and a position of
 * q × unitE8; a Quote decision replaces the resting quotes, Hold keeps them, Pull removes them. A side with size 0
 * is not quoted (±∞ to the market). Time: nowNs = t × 1e9, so the engine's sessionStartNs should be 0 and its
 * sessionLengthS the market's T. A fresh engine is built for every run (its kill switch, ids and throttle start
 * clean) by the injected factory.
 */
export class QuotingEngineStrategy implements MarketStrategy {
  private engine: QuotingEngine;
  private bid = Number.NEGATIVE_INFINITY;
  private ask = Number.POSITIVE_INFINITY;
  private readonly pricing = {
    mid: 0,
    fairValue: 0,
    sigma: 0,
    drift: 0,
    bestBidE8: 0,
    bestAskE8: 0,
    recvTimeNs: 0,
    tradable: true,
  } satisfies PricingInput;
  private readonly position = { qtyE8: 0, dailyPnl: 0 } satisfies PositionInput;

  constructor(
    private readonly factory: () => QuotingEngine,
    private readonly sigma: number,
    private readonly unitE8: number,
  ) {
    this.engine = factory();
  }

  reset(): void {
    this.engine = this.factory();
    this.bid = Number.NEGATIVE_INFINITY;
    this.ask = Number.POSITIVE_INFINITY;
  }

  quote(t: number, s: number, q: number, out: StrategyQuote): void {
    const nowNs = Math.round(t * 1e9);
    const tick = this.engine.builder.tickE8;
    const p = this.pricing;
    p.mid = s;
    p.fairValue = s;
    p.sigma = this.sigma;
    p.bestBidE8 = Math.floor((s * 1e8) / tick) * tick;
    p.bestAskE8 = p.bestBidE8 + tick;
    p.recvTimeNs = nowNs;
    this.position.qtyE8 = Math.round(q * this.unitE8);
    const d = this.engine.decide(p, this.position, nowNs);
    if (d.kind === DecisionKind.Quote) {
      this.bid = d.bidQtyE8 > 0 ? d.bidPriceE8 / 1e8 : Number.NEGATIVE_INFINITY;
      this.ask = d.askQtyE8 > 0 ? d.askPriceE8 / 1e8 : Number.POSITIVE_INFINITY;
    } else if (d.kind === DecisionKind.Pull) {
      this.bid = Number.NEGATIVE_INFINITY;
      this.ask = Number.POSITIVE_INFINITY;
    }
    out.bid = this.bid;
    out.ask = this.ask;
  }
}

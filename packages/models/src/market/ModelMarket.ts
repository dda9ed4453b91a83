import { asReservationPrice, asSpread } from '../quoting/AvellanedaStoikov.js';
import { Prng } from './Prng.js';

/**
 * The model market of Avellaneda & Stoikov (2008, §4 simulation), step for step:
 * for n = 0 … N−1 with t = n·dt and N = round(T/dt):
 *   1. the strategy quotes bid p^b and ask p^a given (t, s, q); δ^a = p^a − s, δ^b = s − p^b;
 *   2. the ask is lifted for one unit with probability A·e^{−kδ^a}·dt (q −= 1, X += p^a) and, independently,
 *      the bid is hit for one unit with probability A·e^{−kδ^b}·dt (q += 1, X −= p^b);
 *   3. the mid moves to s ± σ·√dt with equal probability.
 * Profit = X_T + q_T·S_T. Three uniform draws per step in a fixed order (ask, bid, mid), so two strategies run with
 * the same seed see the same mid path (common random numbers). A side quoted at ±∞ (or NaN) is not quoted.
 * The average spread of a run is the mean of p^a − p^b over the steps where both sides are quoted.
 */
export interface ModelMarketParams {
  readonly s0: number;
  /** Horizon T, seconds. */
  readonly T: number;
  /** σ, price/√s. */
  readonly sigma: number;
  /** Step dt, seconds. */
  readonly dt: number;
  /** k, 1/price. */
  readonly k: number;
  /** A, 1/s. */
  readonly A: number;
}

export interface StrategyQuote {
  bid: number;
  ask: number;
}

export interface MarketStrategy {
  /** Called before each run. */
  reset(): void;
  quote(t: number, s: number, q: number, out: StrategyQuote): void;
}

export interface RunResult {
  avgSpread: number;
  profit: number;
  finalQ: number;
  bidFills: number;
  askFills: number;
  steps: number;
}

export function newRunResult(): RunResult {
  return { avgSpread: 0, profit: 0, finalQ: 0, bidFills: 0, askFills: 0, steps: 0 };
}

export function validateParams(p: ModelMarketParams): void {
  const check = (name: string, v: number, zeroOk = false): void => {
    if (!Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk)) {
      throw new RangeError(`${name} must be a finite number ${zeroOk ? '>=' : '>'} 0, got ${String(v)}`);
    }
  };
  check('s0', p.s0);
  check('T', p.T);
  check('sigma', p.sigma, true);
  check('dt', p.dt);
  check('k', p.k);
  check('A', p.A);
  if (p.dt > p.T) throw new RangeError(`dt ${p.dt} exceeds T ${p.T}`);
  if (p.A * p.dt > 1) throw new RangeError(`A·dt = ${p.A * p.dt} > 1: a step cannot hold more than one fill per side`);
}

/** One run of the model market. */
export function runOnce(p: ModelMarketParams, strategy: MarketStrategy, rng: Prng, out: RunResult): RunResult {
  const n = Math.round(p.T / p.dt);
  const move = p.sigma * Math.sqrt(p.dt);
  const quote: StrategyQuote = { bid: 0, ask: 0 };
  let s = p.s0;
  let q = 0;
  let x = 0;
  let spreadSum = 0;
  let spreadSteps = 0;
  let bidFills = 0;
  let askFills = 0;
  strategy.reset();
  for (let i = 0; i < n; i++) {
    const t = i * p.dt;
    strategy.quote(t, s, q, quote);
    const uAsk = rng.nextFloat();
    const uBid = rng.nextFloat();
    const uMid = rng.nextFloat();
    const askOn = Number.isFinite(quote.ask);
    const bidOn = Number.isFinite(quote.bid);
    if (askOn && bidOn) {
      spreadSum += quote.ask - quote.bid;
      spreadSteps++;
    }
    if (askOn && uAsk < p.A * Math.exp(-p.k * (quote.ask - s)) * p.dt) {
      q -= 1;
      x += quote.ask;
      askFills++;
    }
    if (bidOn && uBid < p.A * Math.exp(-p.k * (s - quote.bid)) * p.dt) {
      q += 1;
      x -= quote.bid;
      bidFills++;
    }
    s += uMid < 0.5 ? move : -move;
  }
  out.avgSpread = spreadSteps > 0 ? spreadSum / spreadSteps : Number.NaN;
  out.profit = x + q * s;
  out.finalQ = q;
  out.bidFills = bidFills;
  out.askFills = askFills;
  out.steps = n;
  return out;
}

export interface MeanStd {
  mean: number;
  std: number;
}

export interface BatchStats {
  runs: number;
  spread: MeanStd;
  profit: MeanStd;
  finalQ: MeanStd;
  /** Fills per side per second, averaged over every run (bid + ask fills / 2 / (runs·T)). */
  fillRatePerSide: number;
  bidFills: number;
  askFills: number;
  steps: number;
}

/** Seed of run i: distinct per run, the same for every strategy. */
export function runSeed(seed: number, run: number): number {
  return (seed + Math.imul(run + 1, 0x9e3779b1)) | 0;
}

function meanStd(values: Float64Array): MeanStd {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean;
    ss += d * d;
  }
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/** Runs `runs` seeded runs and returns mean and (sample) standard deviation of spread, profit and final q. */
export function runBatch(p: ModelMarketParams, strategy: MarketStrategy, runs: number, seed: number): BatchStats {
  validateParams(p);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be an integer >= 1, got ${String(runs)}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`);
  const spreads = new Float64Array(runs);
  const profits = new Float64Array(runs);
  const qs = new Float64Array(runs);
  const r = newRunResult();
  let bidFills = 0;
  let askFills = 0;
  let steps = 0;
  for (let i = 0; i < runs; i++) {
    runOnce(p, strategy, new Prng(runSeed(seed, i)), r);
    spreads[i] = r.avgSpread;
    profits[i] = r.profit;
    qs[i] = r.finalQ;
    bidFills += r.bidFills;
    askFills += r.askFills;
    steps += r.steps;
  }
  return {
    runs,
    spread: meanStd(spreads),
    profit: meanStd(profits),
    finalQ: meanStd(qs),
    fillRatePerSide: (bidFills + askFills) / 2 / (steps * p.dt),
    bidFills,
    askFills,
    steps,
  };
}

/** The paper's inventory strategy: finite-horizon reservation price and spread (§3). */
export class InventoryStrategy implements MarketStrategy {
  constructor(
    private readonly gamma: number,
    private readonly sigma: number,
    private readonly k: number,
    private readonly T: number,
  ) {
    if (!(gamma > 0)) throw new RangeError(`gamma must be > 0, got ${gamma}`);
  }

  reset(): void {}

  quote(t: number, s: number, q: number, out: StrategyQuote): void {
    const tau = this.T - t;
    const r = asReservationPrice(s, q, this.gamma, this.sigma, tau);
    const half = asSpread(this.gamma, this.sigma, this.k, tau) / 2;
    out.bid = r - half;
    out.ask = r + half;
  }
}

/** The paper's benchmark: a constant spread centred on the mid. */
export class SymmetricStrategy implements MarketStrategy {
  constructor(readonly spread: number) {
    if (!(spread >= 0)) throw new RangeError(`spread must be >= 0, got ${spread}`);
  }

  reset(): void {}

  quote(_t: number, s: number, _q: number, out: StrategyQuote): void {
    out.bid = s - this.spread / 2;
    out.ask = s + this.spread / 2;
  }
}

export interface PaperComparison {
  inventory: BatchStats;
  symmetric: BatchStats;
}

/**
 * The paper's experiment: the inventory strategy, then the symmetric strategy with the inventory strategy's mean
 * average spread, both over the same seeds.
 */
export function runPaperComparison(p: ModelMarketParams, gamma: number, runs: number, seed: number): PaperComparison {
  const inventory = runBatch(p, new InventoryStrategy(gamma, p.sigma, p.k, p.T), runs, seed);
  const symmetric = runBatch(p, new SymmetricStrategy(inventory.spread.mean), runs, seed);
  return { inventory, symmetric };
}


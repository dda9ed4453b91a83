/**
 * Stoikov's micro-price (Quantitative Finance 18(12), 2018): the expected mid after the next n mid moves, given
 * the current imbalance and spread, estimated online as a discrete Markov chain.
 *
 * - State: imbalance I = Qb/(Qb + Qa) in `imbalanceBuckets` equal-width buckets × spread in ticks (1..n, wider
 *   spreads share the last bucket). Observations with a spread below one tick or no quantity are skipped.
 * - Each observation (a top-of-book change) after the first is a transition (state, next state, mid change in half
 *   ticks, clamped to ±maxMoveHalfTicks). It is counted with its mirror image (I → 1 − I, mid change negated), as in
 *   Stoikov's estimation, so the chain has no directional bias of its own.
 * - Counts cover a rolling window of the last `window` observations (a ring buffer subtracts the oldest).
 * - `calibrate()` solves g1 = (I − Q)⁻¹·R1·k and B = (I − Q)⁻¹·R2 by Gauss–Jordan elimination (O(S³), S states;
 *   run every `recalibrateEvery` observations, ~16k flops for 20 states) and sums G = g1 + B·g1 + … + B^(n−1)·g1.
 * - `estimate` returns mid + G(state)·tick/2, or NaN when not calibrated (too few moves in the window, a singular
 *   system) or when the current state has fewer than `minStateCount` observations: the caller falls back to the
 *   weighted mid. A state with too few observations is treated as absorbing with no adjustment in the solve.
 *
 * Prices may be in any unit as long as `tick` is in the same unit. No allocation after construction: the hot-path
 * entry points (`observeInput`, `estimateInput`) take their numbers from the `input` slots, because a double passed
 * to or returned from a call V8 does not inline is boxed on the heap.
 */
export interface MicroPriceOptions {
  readonly tick: number;
  readonly imbalanceBuckets: number;
  readonly spreadBuckets: number;
  readonly maxMoveHalfTicks: number;
  readonly window: number;
  readonly recalibrateEvery: number;
  readonly minMoves: number;
  readonly minStateCount: number;
  readonly horizonMoves: number;
}

export class MicroPriceEstimator {
  readonly stateCount: number;
  private readonly tick: number;
  private readonly nImb: number;
  private readonly nSpread: number;
  private readonly maxMove: number;
  private readonly moveKinds: number;
  private readonly window: number;
  private readonly recalibrateEvery: number;
  private readonly minMoves: number;
  private readonly minStateCount: number;
  private readonly horizon: number;

  // Rolling window of raw transitions.
  private readonly ringFrom: Int16Array;
  private readonly ringTo: Int16Array;
  private readonly ringMove: Int8Array;
  private ringHead = 0;
  private ringSize = 0;
  private movesInWindow = 0;

  // Counts (original + mirror) per from-state.
  private readonly total: Float64Array;
  private readonly stayCounts: Float64Array;  // S×S, mid unchanged
  private readonly jumpCounts: Float64Array;  // S×S, mid changed
  private readonly moveCounts: Float64Array;  // S×K, by mid change

  // Solve workspace and result.
  private readonly aug: Float64Array;         // S × (2S + 1)
  private readonly term: Float64Array;
  private readonly nextTerm: Float64Array;
  private readonly adjustment: Float64Array;  // half ticks per state
  private readonly stateReady: Uint8Array;
  private calibrated = false;
  private sinceCalibration = 0;

  private prevState = -1;
  private prevMidHalfTicks = 0;

  constructor(options: MicroPriceOptions) {
    this.tick = options.tick;
    this.nImb = options.imbalanceBuckets;
    this.nSpread = options.spreadBuckets;
    this.maxMove = options.maxMoveHalfTicks;
    this.moveKinds = 2 * options.maxMoveHalfTicks;
    this.window = options.window;
    this.recalibrateEvery = options.recalibrateEvery;
    this.minMoves = options.minMoves;
    this.minStateCount = options.minStateCount;
    this.horizon = options.horizonMoves;
    const s = this.nImb * this.nSpread;
    this.stateCount = s;
    this.ringFrom = new Int16Array(this.window);
    this.ringTo = new Int16Array(this.window);
    this.ringMove = new Int8Array(this.window);
    this.total = new Float64Array(s);
    this.stayCounts = new Float64Array(s * s);
    this.jumpCounts = new Float64Array(s * s);
    this.moveCounts = new Float64Array(s * this.moveKinds);
    this.aug = new Float64Array(s * (2 * s + 1));
    this.term = new Float64Array(s);
    this.nextTerm = new Float64Array(s);
    this.adjustment = new Float64Array(s);
    this.stateReady = new Uint8Array(s);
  }

  /** State index of a top of book, or -1 when it has no valid state. */
  stateOf(bid: number, ask: number, bidQty: number, askQty: number): number {
    const spreadTicks = Math.round((ask - bid) / this.tick);
    const totalQty = bidQty + askQty;
    if (!(spreadTicks >= 1) || !(totalQty > 0) || !(bidQty >= 0) || !(askQty >= 0)) return -1;
    const imb = Math.min(Math.floor((bidQty / totalQty) * this.nImb), this.nImb - 1);
    return (Math.min(spreadTicks, this.nSpread) - 1) * this.nImb + imb;
  }

  /** Inputs of `observeInput`/`estimateInput`: bid, ask, bidQty, askQty; slot 4 receives the estimate. */
  readonly input = new Float64Array(5);

  /** Records a top-of-book observation; recalibrates every `recalibrateEvery` transitions. */
  observe(bid: number, ask: number, bidQty: number, askQty: number): void {
    const input = this.input;
    input[0] = bid; input[1] = ask; input[2] = bidQty; input[3] = askQty;
    this.observeInput();
  }

  /** `observe` with the top of book in `input[0..3]`. */
  observeInput(): void {
    const input = this.input;
    const bid = input[0]!, ask = input[1]!, bidQty = input[2]!, askQty = input[3]!;
    const state = this.stateOf(bid, ask, bidQty, askQty);
    if (state < 0) { this.prevState = -1; return; }
    const midHalfTicks = (bid + ask) / this.tick;
    if (this.prevState >= 0) {
      let move = Math.round(midHalfTicks - this.prevMidHalfTicks);
      if (move > this.maxMove) move = this.maxMove; else if (move < -this.maxMove) move = -this.maxMove;
      this.push(this.prevState, state, move);
      if (++this.sinceCalibration >= this.recalibrateEvery) this.calibrate();
    }
    this.prevState = state;
    this.prevMidHalfTicks = midHalfTicks;
  }

  /** Forget the previous observation (a gap in the data): no transition is counted across it. */
  breakChain(): void { this.prevState = -1; }

  /** Micro-price, or NaN when the estimate is not available for this state (use the weighted mid). */
  estimate(bid: number, ask: number, bidQty: number, askQty: number): number {
    const input = this.input;
    input[0] = bid; input[1] = ask; input[2] = bidQty; input[3] = askQty;
    return this.estimateInput() ? input[4]! : Number.NaN;
  }

  /** `estimate` over `input[0..3]`: writes the micro-price to `input[4]` and returns true, or returns false. */
  estimateInput(): boolean {
    if (!this.calibrated) return false;
    const input = this.input;
    const bid = input[0]!, ask = input[1]!;
    const state = this.stateOf(bid, ask, input[2]!, input[3]!);
    if (state < 0 || this.stateReady[state] === 0) return false;
    input[4] = (bid + ask) / 2 + (this.adjustment[state]! * this.tick) / 2;
    return true;
  }

  isCalibrated(): boolean { return this.calibrated; }
  /** Mid moves among the transitions in the window. */
  moveCount(): number { return this.movesInWindow; }
  /** Transitions in the window. */
  transitionCount(): number { return this.ringSize; }
  /** Adjustment of a state in half ticks (for tests and diagnostics). */
  adjustmentHalfTicks(state: number): number { return this.adjustment[state]!; }

  /** Re-estimates the chain from the window's counts. */
  calibrate(): void {
    this.sinceCalibration = 0;
    const s = this.stateCount;
    const cols = 2 * s + 1;
    const aug = this.aug;
    const k = this.moveKinds;
    for (let i = 0; i < s; i++) {
      const row = i * cols;
      const tot = this.total[i]!;
      const ready = tot > 0 && tot >= this.minStateCount;
      this.stateReady[i] = ready ? 1 : 0;
      let rhs = 0;
      if (ready) {
        for (let m = 0; m < k; m++) rhs += this.moveCounts[i * k + m]! * this.moveOfKind(m);
        rhs /= tot;
      }
      for (let j = 0; j < s; j++) {
        const identity = i === j ? 1 : 0;
        aug[row + j] = ready ? identity - this.stayCounts[i * s + j]! / tot : identity;
        aug[row + s + 1 + j] = ready ? this.jumpCounts[i * s + j]! / tot : 0;
      }
      aug[row + s] = rhs;
    }
    if (!this.solve()) { this.calibrated = false; return; }
    // G = g1 + B·g1 + … + B^(n−1)·g1
    const term = this.term;
    const next = this.nextTerm;
    for (let i = 0; i < s; i++) { term[i] = aug[i * cols + s]!; this.adjustment[i] = term[i]!; }
    for (let n = 1; n < this.horizon; n++) {
      for (let i = 0; i < s; i++) {
        let acc = 0;
        const row = i * cols + s + 1;
        for (let j = 0; j < s; j++) acc += aug[row + j]! * term[j]!;
        next[i] = acc;
      }
      for (let i = 0; i < s; i++) { term[i] = next[i]!; this.adjustment[i] += next[i]!; }
    }
    this.calibrated = this.movesInWindow >= this.minMoves;
  }

  reset(): void {
    this.ringHead = 0;
    this.ringSize = 0;
    this.movesInWindow = 0;
    this.total.fill(0);
    this.stayCounts.fill(0);
    this.jumpCounts.fill(0);
    this.moveCounts.fill(0);
    this.adjustment.fill(0);
    this.stateReady.fill(0);
    this.calibrated = false;
    this.sinceCalibration = 0;
    this.prevState = -1;
  }

  private moveOfKind(kind: number): number {
    return kind < this.maxMove ? kind - this.maxMove : kind - this.maxMove + 1;
  }

  private kindOfMove(move: number): number {
    return move < 0 ? move + this.maxMove : move + this.maxMove - 1;
  }

  private push(from: number, to: number, move: number): void {
    if (this.ringSize === this.window) {
      const old = this.ringHead;
      this.count(this.ringFrom[old]!, this.ringTo[old]!, this.ringMove[old]!, -1);
    } else {
      this.ringSize++;
    }
    this.ringFrom[this.ringHead] = from;
    this.ringTo[this.ringHead] = to;
    this.ringMove[this.ringHead] = move;
    this.ringHead = this.ringHead + 1 === this.window ? 0 : this.ringHead + 1;
    this.count(from, to, move, 1);
  }

  private count(from: number, to: number, move: number, sign: number): void {
    if (move !== 0) this.movesInWindow += sign;
    this.countOne(from, to, move, sign);
    // `-move` would be -0 for no move: not a small integer, so it would be boxed on the heap.
    this.countOne(this.mirror(from), this.mirror(to), move === 0 ? 0 : -move, sign);
  }

  private countOne(from: number, to: number, move: number, sign: number): void {
    const s = this.stateCount;
    this.total[from] += sign;
    if (move === 0) {
      this.stayCounts[from * s + to] += sign;
    } else {
      this.jumpCounts[from * s + to] += sign;
      this.moveCounts[from * this.moveKinds + this.kindOfMove(move)] += sign;
    }
  }

  private mirror(state: number): number {
    const imb = state % this.nImb;
    return state - imb + (this.nImb - 1 - imb);
  }

  /** Gauss–Jordan with partial pivoting on [A | rhs | R2]; false when A is (numerically) singular. */
  private solve(): boolean {
    const s = this.stateCount;
    const cols = 2 * s + 1;
    const a = this.aug;
    for (let c = 0; c < s; c++) {
      let pivotRow = c;
      let best = Math.abs(a[c * cols + c]!);
      for (let r = c + 1; r < s; r++) {
        const v = Math.abs(a[r * cols + c]!);
        if (v > best) { best = v; pivotRow = r; }
      }
      if (!(best > 1e-12)) return false;
      if (pivotRow !== c) {
        for (let j = 0; j < cols; j++) {
          const t = a[c * cols + j]!;
          a[c * cols + j] = a[pivotRow * cols + j]!;
          a[pivotRow * cols + j] = t;
        }
      }
      const inv = 1 / a[c * cols + c]!;
      for (let j = 0; j < cols; j++) a[c * cols + j] *= inv;
      for (let r = 0; r < s; r++) {
        if (r === c) continue;
        const f = a[r * cols + c]!;
        if (f === 0) continue;
        for (let j = 0; j < cols; j++) a[r * cols + j] -= f * a[c * cols + j]!;
      }
    }
    return true;
  }
}

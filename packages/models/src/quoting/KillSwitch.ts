/**
 * Daily loss kill switch. Once engaged it stays engaged until reset() — a recovering PnL does not release it.
 * The state is a plain serialisable object so the service can persist it across restarts (restore()).
 * The caller supplies the day's PnL (realized + unrealized − fees since the start of its trading day, in quote
 * currency): this module reads no clock and knows no calendar.
 */
export type KillReason = 'none' | 'daily-loss-limit' | 'manual';

export interface KillSwitchState {
  readonly engaged: boolean;
  readonly reason: KillReason;
  readonly engagedAtNs: number;
  /** The daily PnL that triggered it (NaN for manual/none). */
  readonly pnlAtEngage: number;
}

export class KillSwitch {
  readonly dailyLossLimit: number;
  private engagedFlag = false;
  private reasonValue: KillReason = 'none';
  private engagedAtNs = 0;
  private pnlAtEngage = Number.NaN;

  /** @param dailyLossLimit positive amount of quote currency; the switch engages when daily PnL ≤ −limit. */
  constructor(dailyLossLimit: number) {
    if (!Number.isFinite(dailyLossLimit) || dailyLossLimit <= 0) {
      throw new RangeError(`dailyLossLimit must be a finite number > 0, got ${String(dailyLossLimit)}`);
    }
    this.dailyLossLimit = dailyLossLimit;
  }

  get engaged(): boolean {
    return this.engagedFlag;
  }

  get reason(): KillReason {
    return this.reasonValue;
  }

  /** Checks the daily PnL; returns true while engaged. A NaN PnL engages (fail safe). */
  update(dailyPnl: number, nowNs: number): boolean {
    if (!this.engagedFlag && !(dailyPnl > -this.dailyLossLimit)) {
      this.engagedFlag = true;
      this.reasonValue = 'daily-loss-limit';
      this.engagedAtNs = nowNs;
      this.pnlAtEngage = dailyPnl;
    }
    return this.engagedFlag;
  }

  engage(nowNs: number): void {
    if (this.engagedFlag) return;
    this.engagedFlag = true;
    this.reasonValue = 'manual';
    this.engagedAtNs = nowNs;
    this.pnlAtEngage = Number.NaN;
  }

  reset(): void {
    this.engagedFlag = false;
    this.reasonValue = 'none';
    this.engagedAtNs = 0;
    this.pnlAtEngage = Number.NaN;
  }

  state(): KillSwitchState {
    return {
      engaged: this.engagedFlag,
      reason: this.reasonValue,
      engagedAtNs: this.engagedAtNs,
      pnlAtEngage: this.pnlAtEngage,
    };
  }

  /** Restores a persisted state; rejects malformed input with a message naming the field. */
  restore(state: unknown): void {
    if (typeof state !== 'object' || state === null) throw new TypeError('kill switch state must be an object');
    const s = state as Record<string, unknown>;
    if (typeof s['engaged'] !== 'boolean') throw new TypeError('kill switch state: engaged must be a boolean');
    const reason = s['reason'];
    if (reason !== 'none' && reason !== 'daily-loss-limit' && reason !== 'manual') {
      throw new TypeError(`kill switch state: unknown reason ${JSON.stringify(reason)}`);
    }
    if (typeof s['engagedAtNs'] !== 'number') throw new TypeError('kill switch state: engagedAtNs must be a number');
    const pnl = s['pnlAtEngage'];
    this.engagedFlag = s['engaged'];
    this.reasonValue = this.engagedFlag ? reason : 'none';
    this.engagedAtNs = s['engagedAtNs'];
    this.pnlAtEngage = typeof pnl === 'number' ? pnl : Number.NaN;
  }
}

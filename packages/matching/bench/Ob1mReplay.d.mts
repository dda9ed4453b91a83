// Types of Ob1mReplay.mjs (plain JS so the benchmark runs without a build step), for the unit test.
import type { MatchListener, MatchingCore } from '../src/index.js';

export declare const LIMIT: 0;
export declare const CANCEL: 1;
export declare const MARKET: 2;
export declare const OB1M_SYMBOL: { readonly hi: number; readonly lo: number };

export declare class CountingListener implements MatchListener {
  trades: number;
  tradedQty: number;
  tradedNotional: number;
  rejects: number;
  acks: number;
  cancelAcks: number;
  takerFills: number;
  reset(): void;
  onAck(...args: number[]): void;
  onCancelAck(...args: number[]): void;
  onTrade(...args: number[]): void;
  onTopOfBook(...args: number[]): void;
  onReject(...args: number[]): void;
  onSweepBook(...args: number[]): void;
  onRelease(...args: number[]): void;
}

export interface ReplayStats {
  limitsCrossing: number;
  limitsFullyFilled: number;
  marketsWithFill: number;
  cancelsHit: number;
  cancelsNoop: number;
}

export declare function replay(core: MatchingCore, listener: CountingListener, ops: Int32Array): ReplayStats;

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CountingListener, OB1M_SYMBOL, replay } from '../bench/Ob1mReplay.mjs';
import { DEFAULT_CORE_LIMITS } from '../src/CoreLimits.js';
import { MatchingCore } from '../src/MatchingCore.js';
import { SHARED_DIR } from './support/scenarios.js';

interface Workload {
  generate(n: number, seed: number, pAggr?: number): { ops: Int32Array; expected: Record<string, number | string | null> };
}

describe('OB-1M workload through the core (reference model checksums)', async () => {
  const wl = (await import(pathToFileURL(join(SHARED_DIR, 'bench', 'ob-1m', 'workload.mjs')).href)) as Workload;
  for (const [n, seed, aggr] of [
    [200_000, 12345, 0.2],
    [100_000, 7, 0.5],
    [60_000, 3, 0.15],
  ] as const) {
    it(`${n} ops, seed ${seed}, pAggr ${aggr}`, () => {
      const { ops, expected } = wl.generate(n, seed, aggr);
      const listener = new CountingListener();
      const core = new MatchingCore({ ...DEFAULT_CORE_LIMITS, maxOrders: 1 << 17, maxBooks: 2, maxLevelsPerBook: 64 }, listener);
      const stats = replay(core, listener, ops);
      const book = core.bookOf(OB1M_SYMBOL.hi, OB1M_SYMBOL.lo);
      expect({
        trades: listener.trades,
        tradedQty: listener.tradedQty,
        tradedNotional: listener.tradedNotional,
        limitsCrossing: stats.limitsCrossing,
        limitsFullyFilled: stats.limitsFullyFilled,
        cancelsHit: stats.cancelsHit,
        cancelsNoop: stats.cancelsNoop,
        marketsWithFill: stats.marketsWithFill,
        finalRestingOrders: core.restingOrders,
        finalBestBid: core.bestPrice(book, 0x42) || null,
        finalBestAsk: core.bestPrice(book, 0x53) || null,
      }).toEqual({
        trades: expected.trades,
        tradedQty: expected.tradedQty,
        tradedNotional: expected.tradedNotional,
        limitsCrossing: expected.limitsCrossing,
        limitsFullyFilled: expected.limitsFullyFilled,
        cancelsHit: expected.cancelsHit,
        cancelsNoop: expected.cancelsNoop,
        marketsWithFill: expected.marketsWithFill,
        finalRestingOrders: expected.finalRestingOrders,
        finalBestBid: expected.finalBestBid,
        finalBestAsk: expected.finalBestAsk,
      });
      expect(listener.rejects).toBe(stats.cancelsNoop);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { figures, healthy, LOG_NAME, SERVICES, tail, useFaultRig } from './rig.js';

/**
 * kill -9 of each service in turn while the market flows, under the product's supervisor: the others keep their
 * pids, the killed one is restarted and healthy again, the pipeline resumes (new books, quotes, fills), and across
 * every restart the simulator's fill ids stay consecutive and every position equals the sum of the fills.
 */
describe('fault: kill -9 of each service', () => {
  const rig = useFaultRig();

  it('restarts the killed service, the rest run on, no fill lost or duplicated', async () => {
    const { fake, sys, output, events, sup, watcher: w } = await rig.startFlowingPipeline(21);
    await w.until('quotes, fills and checked positions', () => w.twoSidedQuotes >= 20 && w.fillIds.length >= 3 && w.positionsChecked >= 3, 60_000, output);

    const results: Record<string, unknown>[] = [];
    for (const folder of SERVICES) {
      const name = LOG_NAME[folder];
      const victim = sup.pidOf(name)!;
      const others = SERVICES.filter((s) => s !== folder).map((s) => [LOG_NAME[s], sup.pidOf(LOG_NAME[s])] as const);
      const before = { books: w.booksChecked, quotes: w.twoSidedQuotes, fills: w.fillIds.length, positions: w.positionsChecked };
      const killedAt = Date.now();
      process.kill(victim, 'SIGKILL');
      await w.until(`${name} restarted by the supervisor`, () => { const p = sup.pidOf(name); return p !== undefined && p !== victim; }, 10_000, output);
      const pid = sup.pidOf(name)!;
      await w.until(`${name} healthy again`, () => healthy(sys, name, pid), 30_000, output);
      const healthyMs = Date.now() - killedAt;
      // Resumes: the pipeline produces again after the restart (the simulator also fills again).
      await w.until(`the pipeline flowing after ${name} restarted`, () =>
        w.booksChecked > before.books + 20 && w.twoSidedQuotes > before.quotes + 10 &&
        (folder !== 'simulator' || (w.fillIds.length > before.fills && w.positionsChecked > before.positions)), 45_000, output);
      const resumedMs = Date.now() - killedAt;
      for (const [other, otherPid] of others) expect(sup.pidOf(other), `${other} kept running while ${name} was killed`).toBe(otherPid);
      results.push({ service: name, restartToHealthyMs: healthyMs, killToQuotingMs: resumedMs, fillsSoFar: w.fillIds.length });
    }

    // Every fill a position counts has arrived on 16, and the checks held throughout.
    await w.until('fills of every position snapshot seen', () => (w.fillIds.at(-1) ?? 0) >= w.maxPositionFillId, 5_000, output);
    expect(w.violations.slice(0, 5), tail(output)).toEqual([]);
    expect(w.fillIds.length).toBeGreaterThan(3);
    figures('kill-9-each-service', {
      restarts: results, fills: w.fillIds.length, lastFillId: w.fillIds.at(-1), positionsChecked: w.positionsChecked,
      booksChecked: w.booksChecked, repeatedFills: w.repeatedFills, violations: w.violations.length,
    });
  });
});

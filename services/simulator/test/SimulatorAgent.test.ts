import { openSync, closeSync, ftruncateSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_HEADER_LENGTH, RECORD_HEADER_LENGTH, FILL_RECORD_LENGTH } from '@mm/journal';
import { BACK_PRESSURED, ManualClock, type Publisher } from '@mm/runtime';
import { Liquidity, ServiceState, Side, Venue } from '@mm/protocol';
import { FILL_JOURNAL_FILE } from '../src/FillJournal.js';
import { E8, MS, Rig, removeJournalDirs, sumOfFills, tempJournalDir } from './helpers.js';

afterEach(() => removeJournalDirs());

const RECORD = RECORD_HEADER_LENGTH + FILL_RECORD_LENGTH;

/** Standard opening: both symbols have a book, BTCUSDT 100 / 101 with 5 on each side. */
async function opened(settings = {}): Promise<Rig> {
  const r = await Rig.create({ settings });
  r.book('BTCUSDT', [[100, 5]], [[101, 5]]).book('ETHUSDT', [[10, 50]], [[10.1, 50]]).step();
  return r;
}

describe('SimulatorAgent', () => {
  it('fills a resting bid swept by a trade through its price: maker fee, fill on 16 and position on 17', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 7, 100, 2, 101, 1).step();
    r.trade('BTCUSDT', 99.5, 0.1, Side.SELL).step(); // entry latency (1 ms) not yet passed
    expect(r.fills).toEqual([]);
    r.step(1); // live now
    r.trade('BTCUSDT', 99.5, 0.1, Side.SELL).step();
    // 2 × 100 = 200 quote units at −1 bps = −0.02 → −2_000_000 (1e-8 units)
    expect(r.fills).toEqual([expect.objectContaining({
      fillId: 1, orderId: 7, symbol: 'BTCUSDT', side: Side.BUY, price: 100 * E8, qty: 2 * E8, fee: -2_000_000,
      liquidity: Liquidity.MAKER, venue: Venue.SIMULATOR, seq: 0,
    })]);
    expect(r.lastPosition('BTCUSDT')).toMatchObject({
      lastFillId: 1, qty: 2 * E8, fees: -2_000_000, avg: 100, realized: 0, mark: 100.5, unrealized: 1, venue: Venue.SIMULATOR,
    });
    r.close();
  });

  it('ignores quotes and pulls addressed to the engine venue', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 1, 100, 2, 101, 1, Venue.ENGINE).step(2);
    r.trade('BTCUSDT', 99, 10, Side.SELL).trade('BTCUSDT', 102, 10, Side.BUY).step();
    expect(r.fills).toEqual([]);
    expect(r.agent.counters.ignoredOtherVenue).toBe(1);
    // An engine pull does not cancel the simulator's orders.
    r.quote('BTCUSDT', 2, 100, 1, 0, 0).step(2);
    r.pull(null, Venue.ENGINE).step(10);
    r.trade('BTCUSDT', 99, 10, Side.SELL).step();
    expect(r.fills.map((f) => f.orderId)).toEqual([2]);
    r.close();
  });

  it('a pulled order still fills inside the cancel latency, and not after it', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0).step(1); // live at +1 ms
    r.pull('BTCUSDT').step(); // cancel effective 5 ms later
    r.step(4.999);
    r.trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(r.fills.map((f) => [f.orderId, f.qty])).toEqual([[1, 1 * E8]]);

    r.quote('BTCUSDT', 2, 100, 1, 0, 0).step(1);
    r.pull(null).step(); // all symbols
    r.step(5);
    r.trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(r.fills).toHaveLength(1);
    r.close();
  });

  it('a replaced order can fill during the cancel latency, and so can its replacement once live', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0).step(1);
    r.quote('BTCUSDT', 2, 99.5, 1, 0, 0).step(2); // old cancel at +5 ms, new live at +1 ms
    r.trade('BTCUSDT', 99, 2, Side.SELL).step();
    expect(r.fills.map((f) => [f.fillId, f.orderId, f.price])).toEqual([[1, 1, 100 * E8], [2, 2, 99.5 * E8]]);
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ lastFillId: 2, qty: 2 * E8, avg: 99.75 });
    r.close();
  });

  it('queues behind the displayed quantity: trades at the price fill only past the queue, partially', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 1, 100, 1, 0, 0).step(1); // joins behind 5 at 100
    r.trade('BTCUSDT', 100, 4, Side.SELL).step();
    expect(r.fills).toEqual([]);
    r.trade('BTCUSDT', 100, 1.5, Side.SELL).step(); // 0.5 reaches us
    expect(r.fills.map((f) => [f.qty, f.price])).toEqual([[0.5 * E8, 100 * E8]]);
    r.trade('BTCUSDT', 100, 3, Side.SELL).step(); // the remaining 0.5
    expect(r.fills.map((f) => f.qty)).toEqual([0.5 * E8, 0.5 * E8]);
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ qty: 1 * E8, lastFillId: 2 });
    r.close();
  });

  it('the configured queue model decides how cancellations ahead move the order: power advances it, risk-averse does not', async () => {
    const run = async (queue: Rig['settings']['queue']): Promise<number[]> => {
      const r = await opened({ queue });
      r.quote('BTCUSDT', 1, 100, 1, 0, 0).step(1); // joins behind 5 at 100
      r.book('BTCUSDT', [[100, 10]], [[101, 5]]).step(); // 5 join behind us
      r.book('BTCUSDT', [[100, 6]], [[101, 5]]).step(); // 4 cancelled, no trades
      r.trade('BTCUSDT', 100, 4, Side.SELL).step();
      const q = r.fills.map((f) => f.qty);
      r.close();
      return q;
    };
    // risk-averse: front stays 5 (the cancels are assumed behind), 5 − 4 > 0 → no fill.
    expect(await run({ kind: 'risk-averse' })).toEqual([]);
    // power n=2: front 5, back 5 → p = 0.5; est = 5 − 0.5·4 = 3; the trade of 4 reaches us by 1 (our whole size).
    expect(await run({ kind: 'power', n: 2, variant: 1 })).toEqual([1 * E8]);
  });

  it('fills when the book moves through the price', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 3, 99, 0, 101, 0.25).step(1);
    r.book('BTCUSDT', [[101.5, 1]], [[102, 1]]).step();
    expect(r.fills.map((f) => [f.side, f.price, f.qty, f.liquidity])).toEqual([[Side.SELL, 101 * E8, 0.25 * E8, Liquidity.MAKER]]);
    // mark = 101.75, short 0.25 from 101: unrealized −0.1875
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ qty: -0.25 * E8, avg: 101, mark: 101.75, unrealized: -0.1875 });
    r.close();
  });

  it('a crossing quote takes liquidity as taker at the book prices, with the taker fee', async () => {
    const r = await Rig.create();
    r.book('BTCUSDT', [[99, 1]], [[100, 1], [100.5, 2]]).step();
    r.quote('BTCUSDT', 4, 100.5, 5, 0, 0).step(1);
    // Event time moves with market events only: the next one (a trade elsewhere) is when the order went live.
    expect(r.fills).toEqual([]);
    r.trade('BTCUSDT', 101, 0.1, Side.BUY).step();
    // taker 5 bps: 100 × 1 × 5e-4 = 0.05; 100.5 × 2 × 5e-4 = 0.1005
    expect(r.fills.map((f) => [f.price, f.qty, f.liquidity, f.fee])).toEqual([
      [100 * E8, 1 * E8, Liquidity.TAKER, 5_000_000],
      [100.5 * E8, 2 * E8, Liquidity.TAKER, 10_050_000],
    ]);
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ qty: 3 * E8, fees: 15_050_000, lastFillId: 2 });
    r.close();
  });

  it('realizes PnL on a reducing fill and derives the UTC day\'s realized PnL and fees', async () => {
    const r = await opened({ makerBps: 0 });
    r.quote('BTCUSDT', 1, 100, 2, 0, 0).step(1);
    r.trade('BTCUSDT', 99, 1, Side.SELL).step();
    r.book('BTCUSDT', [[101, 5]], [[102, 5]]).step();
    r.quote('BTCUSDT', 2, 0, 0, 102, 0.5).step(1);
    r.trade('BTCUSDT', 103, 1, Side.BUY).step();
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ qty: 1.5 * E8, realized: 1, avg: 100, fees: 0 });
    const day = r.agent.dailyPnl.forDay(r.clock.epochMs());
    expect(day).toMatchObject({ day: '2026-11-21', realizedPnl: 1, feesE8: 0, fills: 2 });
    expect(r.lastPosition('BTCUSDT')).toMatchObject({ dailyRealized: 1, dailyFees: 0 });
    r.close();
  });

  it('publishes every position at least once per interval, and at once on a fill', async () => {
    const r = await opened();
    const before = r.positions.length;
    r.step(999);
    expect(r.positions.length).toBe(before);
    r.step(1);
    expect(r.positions.slice(before).map((p) => [p.symbol, p.lastFillId, p.qty])).toEqual([['BTCUSDT', 0, 0], ['ETHUSDT', 0, 0]]);
    r.quote('ETHUSDT', 9, 10, 1, 0, 0).step(1);
    r.trade('ETHUSDT', 9.9, 1, Side.SELL).step();
    expect(r.lastPosition('ETHUSDT')).toMatchObject({ lastFillId: 1, qty: 1 * E8 });
    r.close();
  });

  it('goes LIVE once every symbol has a book, DEGRADED when one goes stale', async () => {
    const r = await Rig.create();
    expect(r.status.state).toBe(ServiceState.SYNCING);
    r.book('BTCUSDT', [[100, 5]], [[101, 5]]).step();
    expect(r.status.state).toBe(ServiceState.DEGRADED);
    r.book('ETHUSDT', [[10, 5]], [[10.1, 5]]).step();
    expect(r.status.state).toBe(ServiceState.LIVE);
    r.step(4000).book('ETHUSDT', [[10, 5]], [[10.1, 5]]).step(1001);
    expect(r.status.state).toBe(ServiceState.DEGRADED);
    expect(r.status.reason).toContain('1 of 2');
    r.close();
  });

  it('counts and skips malformed and unknown messages without crashing', async () => {
    const r = await opened();
    r.raw([6, 0, 1, 0, 88, 0, 0, 0, 1, 2, 3]); // a quote header with a truncated body
    r.raw([99, 0, 1, 0, 0, 0, 0, 0]); // unknown template
    r.quote('XRPUSDT', 1, 1, 1, 2, 1); // a symbol the venue does not trade
    r.quote('BTCUSDT', 2, 101, 1, 100, 1); // crossed
    r.step();
    expect(r.agent.counters.bad).toBe(2);
    expect(r.agent.counters.unknownSymbol).toBe(1);
    expect(r.agent.counters.badQuotes).toBe(1);
    expect(r.status.errors).toBe(3);
    r.quote('BTCUSDT', 3, 100, 1, 0, 0).step(1).trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(r.fills).toHaveLength(1);
    r.close();
  });

  it('keeps fills that meet back pressure and publishes them later, in order, never twice', async () => {
    let refuse = 0;
    const r = await Rig.create({
      wrapFills: (p: Publisher): Publisher => new Proxy(p, {
        get(target, prop, receiver) {
          if (prop === 'offer') {
            return (...args: Parameters<Publisher['offer']>) => (refuse > 0 ? (refuse--, BACK_PRESSURED) : target.offer(...args));
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }),
    });
    r.book('BTCUSDT', [[100, 5]], [[101, 5]]).book('ETHUSDT', [[10, 5]], [[10.1, 5]]).step();
    refuse = 3;
    r.quote('BTCUSDT', 1, 100, 1, 0, 0).step(1);
    r.trade('BTCUSDT', 99, 1, Side.SELL).step(); // offer refused (1)
    expect(r.fills).toEqual([]);
    expect(r.agent.pendingFills).toBe(1);
    r.quote('BTCUSDT', 2, 100, 1, 0, 0).step(1); // refused (2), (3)
    r.trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(r.fills.map((f) => [f.fillId, f.seq])).toEqual([[1, 0], [2, 1]]);
    expect(r.agent.pendingFills).toBe(0);
    r.close();
  });

  it('rebuilds positions and continues fill ids from the journal after a restart; resting orders are gone and announced', async () => {
    const dir = (await Rig.create()).journalDir;
    const a = await Rig.create({ journalDir: dir });
    a.book('BTCUSDT', [[100, 5]], [[101, 5]]).book('ETHUSDT', [[10, 50]], [[10.1, 50]]).step();
    a.quote('BTCUSDT', 1, 100, 2, 101, 1).quote('ETHUSDT', 2, 10, 3, 10.1, 3).step(1);
    a.trade('BTCUSDT', 99, 1, Side.SELL).trade('ETHUSDT', 10.2, 1, Side.BUY).trade('BTCUSDT', 102, 1, Side.BUY).step();
    expect(a.fills.map((f) => f.fillId)).toEqual([1, 2, 3]);
    const before = { btc: a.lastPosition('BTCUSDT')!, eth: a.lastPosition('ETHUSDT')!, day: { ...a.agent.dailyPnl.forDay(a.clock.epochMs()) } };
    // No stop(): a crash leaves the journal as written.

    const b = await Rig.create({ journalDir: dir, clock: new ManualClock(5e9, Date.UTC(2026, 10, 21, 13)) });
    const sums = sumOfFills(a.fills);
    for (const sym of ['BTCUSDT', 'ETHUSDT']) {
      const p = b.lastPosition(sym)!;
      expect([p.qty, p.fees, p.lastFillId]).toEqual([sums.get(sym)!.qty, sums.get(sym)!.fees, sums.get(sym)!.lastFillId]);
    }
    expect(b.lastPosition('BTCUSDT')).toMatchObject({ avg: before.btc.avg, realized: before.btc.realized });
    expect(b.lastPosition('ETHUSDT')).toMatchObject({ avg: before.eth.avg, realized: before.eth.realized });
    expect(b.agent.dailyPnl.forDay(b.clock.epochMs())).toEqual(before.day);
    expect(b.states.filter((s) => s.symbol !== '').map((s) => [s.symbol, s.state, s.reason])).toEqual([
      ['BTCUSDT', ServiceState.SYNCING, 'restart: resting orders cancelled'],
      ['ETHUSDT', ServiceState.SYNCING, 'restart: resting orders cancelled'],
    ]);
    // The restarted venue has no orders: a sweep fills nothing until the strategy re-quotes.
    b.book('BTCUSDT', [[100, 5]], [[101, 5]]).step();
    b.trade('BTCUSDT', 90, 10, Side.SELL).step(10);
    expect(b.fills).toEqual([]);
    // A quote sent before the restart (left unread by the killed process) does not rest either: its market event
    // is more than stale-quote (1 s) older than the venue's event time (5 s).
    b.quote('BTCUSDT', 9, 100, 1, 0, 0, Venue.SIMULATOR, 3.9e9).step(1).trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(b.fills).toEqual([]);
    expect(b.agent.counters.staleQuotes).toBe(1);
    b.quote('BTCUSDT', 10, 100, 1, 0, 0).step(1).trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(b.fills.map((f) => f.fillId)).toEqual([4]);
    expect(b.lastPosition('BTCUSDT')!.qty).toBe(sums.get('BTCUSDT')!.qty + 1 * E8);
    b.close();
  });

  it('republishes the last journaled fills at start (same ids and content) when configured, before the snapshots', async () => {
    const dir = (await Rig.create()).journalDir;
    const a = await Rig.create({ journalDir: dir });
    a.book('BTCUSDT', [[100, 5]], [[101, 5]]).book('ETHUSDT', [[10, 50]], [[10.1, 50]]).step();
    a.quote('BTCUSDT', 1, 100, 2, 101, 1).quote('ETHUSDT', 2, 10, 3, 10.1, 3).step(1);
    a.trade('BTCUSDT', 99, 1, Side.SELL).trade('ETHUSDT', 10.2, 1, Side.BUY).trade('BTCUSDT', 102, 1, Side.BUY).step();
    expect(a.fills.map((f) => f.fillId)).toEqual([1, 2, 3]);
    // A crash: no stop(). The restarted venue sends fills 2 and 3 again, exactly as journaled.
    const b = await Rig.create({ journalDir: dir, republishOnStart: 2, clock: new ManualClock(5e9, Date.UTC(2026, 10, 21, 13)) });
    const strip = ({ seq: _seq, ...rest }: (typeof a.fills)[number]): Omit<(typeof a.fills)[number], 'seq'> => rest;
    expect(b.fills.map(strip)).toEqual(a.fills.slice(1).map(strip));
    expect(b.agent.counters.republishedFills).toBe(2);
    // New fills continue after the journal's last id.
    b.quote('BTCUSDT', 10, 100, 1, 0, 0).step(1).trade('BTCUSDT', 99, 1, Side.SELL).step();
    expect(b.fills.map((f) => f.fillId)).toEqual([2, 3, 4]);
    b.close();
  });

  it('drops only a torn last journal record on restart', async () => {
    const a = await opened();
    a.quote('BTCUSDT', 1, 100, 3, 0, 0).step(1);
    a.trade('BTCUSDT', 100, 6, Side.SELL).step(); // 1 past the queue of 5
    a.trade('BTCUSDT', 100, 1, Side.SELL).step();
    a.trade('BTCUSDT', 100, 1, Side.SELL).step();
    expect(a.fills.map((f) => f.qty)).toEqual([E8, E8, E8]);
    a.close();
    const path = join(a.journalDir, FILL_JOURNAL_FILE);
    expect(statSync(path).size).toBe(FILE_HEADER_LENGTH + 3 * RECORD);
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, FILE_HEADER_LENGTH + 2 * RECORD + 40); // mid-record
    closeSync(fd);
    const b = await Rig.create({ journalDir: a.journalDir });
    expect(b.lastPosition('BTCUSDT')).toMatchObject({ qty: 2 * E8, lastFillId: 2 });
    expect(b.logs.some((l) => l.level === 'warn' && /torn tail dropped/.test(l.msg))).toBe(true);
    expect(b.agent.lastFillId).toBe(2);
    b.close();
  });

  it('halts on a position invariant violation: logged at error, state HALTED, no further fills', async () => {
    const r = await opened();
    r.quote('BTCUSDT', 1, 100, 2, 0, 0).step(1);
    r.trade('BTCUSDT', 100, 6, Side.SELL).step();
    expect(r.fills).toHaveLength(1);
    r.agent.positions.get(0).qtyE8 += 1; // a bug elsewhere corrupts the position
    r.trade('BTCUSDT', 100, 1, Side.SELL).step();
    expect(r.status.state).toBe(ServiceState.HALTED);
    expect(r.logs.some((l) => l.level === 'error' && /invariant/.test(l.msg))).toBe(true);
    expect(r.states.at(-1)).toMatchObject({ state: ServiceState.HALTED });
    expect(r.fills.map((f) => f.fillId)).toEqual([1, 2]); // the journaled fill is still published
    const fills = r.fills.length;
    r.quote('BTCUSDT', 2, 100, 1, 0, 0).step(1).trade('BTCUSDT', 90, 5, Side.SELL).step();
    expect(r.fills.length).toBe(fills);
    r.close();
  });
  it('halts instead of trading when the journal cannot be recovered, leaving the file untouched', async () => {
    const dir = tempJournalDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, FILL_JOURNAL_FILE), 'not a journal at all');
    const r = await Rig.create({ journalDir: dir });
    expect(r.status.state).toBe(ServiceState.HALTED);
    expect(r.logs.some((l) => l.level === 'error' && /journal recovery failed.*not a journal/.test(l.msg))).toBe(true);
    r.book('BTCUSDT', [[100, 5]], [[101, 5]]).quote('BTCUSDT', 1, 100, 1, 0, 0).step(1).trade('BTCUSDT', 90, 5, Side.SELL).step();
    expect(r.fills).toEqual([]);
    expect(statSync(join(dir, FILL_JOURNAL_FILE)).size).toBe('not a journal at all'.length);
    r.close();
  });
});

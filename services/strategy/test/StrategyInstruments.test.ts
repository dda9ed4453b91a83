import { afterEach, describe, expect, it } from 'vitest';
import { InstrumentStatus, PullReason } from '@mm/protocol';
import { meetsMinNotional, roundAskUp, roundBidDown, roundQtyDown } from '../src/SymbolInstrument.js';
import { E8, MS, ServiceState, removeTempDirs, rig, type Row } from './rig.js';

afterEach(() => removeTempDirs());

const quotesOf = (rows: Row[], symbol?: string): Row[] => rows.filter((r) => r.type === 'quote' && (symbol === undefined || r.symbol === symbol));
const pullsOf = (rows: Row[], symbol?: string): Row[] => rows.filter((r) => r.type === 'pull' && (symbol === undefined || r.symbol === symbol));

describe('instrument rounding', () => {
  it('rounds sizes down to the step, bids down and asks up to the tick', () => {
    expect(roundQtyDown(100_000, 30_000)).toBe(90_000);
    expect(roundQtyDown(90_000, 30_000)).toBe(90_000);
    expect(roundQtyDown(20_000, 30_000)).toBe(0);
    expect(roundBidDown(6_700_049_000_000, 50_000_000)).toBe(6_700_000_000_000);
    expect(roundBidDown(6_700_050_000_000, 50_000_000)).toBe(6_700_050_000_000);
    expect(roundAskUp(6_700_001_000_000, 50_000_000)).toBe(6_700_050_000_000);
    expect(roundAskUp(6_700_050_000_000, 50_000_000)).toBe(6_700_050_000_000);
  });

  it('decides min notional exactly, also where the float product is off', () => {
    // 3 × 0.1 = 0.3 exactly in 1e-8 units, though 0.1 × 3 is not 0.3 in floats.
    expect(meetsMinNotional(300_000_000, 10_000_000, 30_000_000)).toBe(true);
    expect(meetsMinNotional(300_000_000, 10_000_000, 30_000_001)).toBe(false);
    // Products beyond 2^53: 67 000.01 × 0.00007463 = 5.0000007463 ≥ 5, and one unit of qty less is below.
    expect(meetsMinNotional(6_700_001_000_000, 7_463, 500_000_000)).toBe(true);
    expect(meetsMinNotional(6_700_001_000_000, 7_462, 500_000_000)).toBe(false);
    expect(meetsMinNotional(6_700_000_000_000, 7_462_686, 500_000_000_000)).toBe(false);
    // 3 × 3 333 333 333 333 333 = 10^16 − 1 is below 1.0 × 10^8 × 10^8, though the float product rounds to 10^16.
    expect(3 * 3_333_333_333_333_333 >= 100_000_000 * 1e8).toBe(true);
    expect(meetsMinNotional(3, 3_333_333_333_333_333, 100_000_000)).toBe(false);
    expect(meetsMinNotional(3, 3_333_333_333_333_334, 100_000_000)).toBe(true);
    expect(meetsMinNotional(1, 1, 0)).toBe(true);
  });
});

describe('StrategyAgent and stream 20', () => {
  /** No overrides: the agent learns tick and step from stream 20 only. */
  const bare = () => rig({ overrides: {}, instruments: true });

  it('does not quote a symbol before its instrument, then quotes on its grid with the size rounded to its step', async () => {
    const r = await bare();
    r.read();
    r.ready();
    expect(quotesOf(r.step(5 * MS))).toEqual([]);
    expect(r.status.state).toBe(ServiceState.SYNCING);
    expect(r.status.reason).toMatch(/instruments \(0\/2\)/);
    r.sendInstrument('BTCUSDT', { tick: 0.5, step: 0.0003 });
    r.sendPricing('BTCUSDT', { mid: 67_000.37 });
    const rows = r.step(1 * MS);
    expect(quotesOf(rows, 'ETHUSDT')).toEqual([]);
    const [q] = quotesOf(rows, 'BTCUSDT');
    expect(q).toBeDefined();
    expect(q!.bid % (0.5 * E8)).toBe(0);
    expect(q!.ask % (0.5 * E8)).toBe(0);
    expect([q!.bidQty, q!.askQty]).toEqual([0.0009 * E8, 0.0009 * E8]); // order-size 0.001 rounded down to 0.0003

    // The same market on Binance's real grid (0.01): the coarse quote is that one rounded outward.
    const fine = await bare();
    fine.read();
    fine.ready();
    fine.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001 });
    fine.sendPricing('BTCUSDT', { mid: 67_000.37 });
    const [f] = quotesOf(fine.step(1 * MS), 'BTCUSDT');
    expect(q!.bid).toBe(Math.floor(f!.bid / (0.5 * E8)) * 0.5 * E8);
    expect(q!.ask).toBe(Math.ceil(f!.ask / (0.5 * E8)) * 0.5 * E8);
    expect(q!.bid).toBeLessThan(f!.bid);
    expect(q!.ask).toBeGreaterThan(f!.ask);
  });

  it('pulls a symbol Binance halts (NOT_TRADABLE), stays DEGRADED saying why, and quotes again when it trades', async () => {
    const r = await bare();
    r.read();
    r.ready();
    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001 });
    r.sendInstrument('ETHUSDT', { tick: 0.01, step: 0.0001 });
    expect(quotesOf(r.step(1 * MS))).toHaveLength(2);
    expect(r.status.state).toBe(ServiceState.LIVE);

    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001, status: InstrumentStatus.HALT });
    const pulled = r.step(1 * MS);
    expect(pullsOf(pulled, 'BTCUSDT')).toEqual([expect.objectContaining({ reason: PullReason.NOT_TRADABLE })]);
    expect(quotesOf(pulled, 'BTCUSDT')).toEqual([]);
    expect(r.status.state).toBe(ServiceState.DEGRADED);
    expect(r.status.reason).toMatch(/BTCUSDT not trading \(HALT\)/);
    // Pricing keeps coming while halted: still nothing for BTCUSDT, ETHUSDT unaffected.
    r.sendPricing('BTCUSDT', { mid: 67_050 });
    r.sendPricing('ETHUSDT', { mid: 3_010 });
    const during = r.step(1 * MS);
    expect(quotesOf(during, 'BTCUSDT')).toEqual([]);
    expect(quotesOf(during, 'ETHUSDT')).toHaveLength(1);

    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001, status: InstrumentStatus.TRADING });
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toHaveLength(1);
    expect(r.status.state).toBe(ServiceState.LIVE);
    expect(r.logs.some((l) => /BTCUSDT instrument: .*HALT.*not quoted: not trading \(HALT\)/.test(l))).toBe(true);
  });

  it('skips a side under the minimum notional and pulls when no side is left', async () => {
    const r = await bare();
    r.read();
    r.ready();
    // 0.001 BTC at ~67 000 is ~67 USDT per side.
    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001, minNotional: 100 });
    r.sendInstrument('ETHUSDT', { tick: 0.01, step: 0.0001, minNotional: 5 });
    const rows = r.step(1 * MS);
    expect(quotesOf(rows, 'BTCUSDT')).toEqual([]);
    expect(pullsOf(rows, 'BTCUSDT')).toEqual([expect.objectContaining({ reason: PullReason.NOT_TRADABLE })]);
    expect(quotesOf(rows, 'ETHUSDT')).toHaveLength(1);
    expect(r.agent.counters.belowMinNotional).toBe(2);
    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001, minNotional: 60 });
    const [q] = quotesOf(r.step(1 * MS), 'BTCUSDT');
    expect(q!.bidQty).toBe(0.001 * E8);
    expect(q!.askQty).toBe(0.001 * E8);
  });

  it('a configured override wins over stream 20 field by field; a full override quotes without stream 20', async () => {
    const r = await rig({ overrides: { BTCUSDT: { tickSize: '0.01', minNotional: '0' }, ETHUSDT: { tickSize: '0.01', lotSize: '0.0001' } }, instruments: true });
    r.read();
    r.ready();
    const first = r.step(1 * MS);
    expect(quotesOf(first, 'ETHUSDT')).toHaveLength(1); // full override
    expect(quotesOf(first, 'BTCUSDT')).toEqual([]); // tick alone is not enough
    r.sendInstrument('BTCUSDT', { tick: 0.5, step: 0.0005, minNotional: 1000 });
    const [q] = quotesOf(r.step(1 * MS), 'BTCUSDT');
    expect(q!.bidQty).toBe(0.001 * E8); // step 0.0005 from 20; min notional 0 from the override
    expect(q!.bid % (0.01 * E8)).toBe(0);
    expect(r.agent.engineOf('BTCUSDT')!.builder.tickE8).toBe(0.01 * E8);
  });

  it('refuses a symbol whose order size rounds below the minimum quantity, saying why', async () => {
    const r = await bare();
    r.read();
    r.ready();
    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.002, minQty: 0.002 });
    r.sendInstrument('ETHUSDT', { tick: 0.01, step: 0.0001 });
    expect(quotesOf(r.step(1 * MS), 'BTCUSDT')).toEqual([]);
    expect(r.logs.some((l) => /BTCUSDT instrument: .*not quoted: order size 100000 rounds to 0/.test(l))).toBe(true);
    expect(r.status.reason).toMatch(/BTCUSDT order size/);
  });

  it('ignores a malformed instrument message (counted) and keeps running', async () => {
    const r = await bare();
    r.read();
    r.ready();
    r.sendInstrument('BTCUSDT', { tick: 0.01, step: 0.00001 });
    r.buf.putUint8(88, 99); // status byte beyond the enum
    expect(r.agent.counters.bad).toBe(0);
    const pub = await r.t.addExclusivePublication('aeron:ipc', 20);
    expect(pub.offer(r.buf, 0, 96)).toBeGreaterThan(0);
    r.step(1 * MS);
    expect(r.agent.counters.bad).toBe(1);
    expect(r.agent.counters.instruments).toBe(1);
  });
});


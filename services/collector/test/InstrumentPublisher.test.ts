import { describe, expect, it } from 'vitest';
import type { ExchangeInfo } from '@mm/binance';
import { DecodeResult, InstrumentDecoder, InstrumentOverride, InstrumentStatus } from '@mm/protocol';
import { InMemoryTransport, ManualClock } from '@mm/runtime';
import { InstrumentPublisher } from '../src/InstrumentPublisher.js';

const MS = 1e6;

function info(btcStatus = 'TRADING', btcTick = 1_000_000): ExchangeInfo {
  return {
    serverTimeMs: 1_700_000_000_000,
    symbols: [
      { symbol: 'BTCUSDT', status: btcStatus, tickSizeE8: btcTick, stepSizeE8: 1_000, minQtyE8: 1_000, minNotionalE8: 500_000_000, problems: [] },
      { symbol: 'ETHUSDT', status: 'TRADING', tickSizeE8: 1_000_000, stepSizeE8: 10_000, minQtyE8: 10_000, minNotionalE8: 500_000_000, problems: [] },
    ],
  };
}

async function setup(subscribed = true) {
  const t = new InMemoryTransport();
  const clock = new ManualClock(5e9);
  const pub = await t.addExclusivePublication('aeron:ipc', 20);
  const sub = subscribed ? await t.addSubscription('aeron:ipc', 20) : undefined;
  const logs: string[] = [];
  const trading: string[] = [];
  const p = new InstrumentPublisher(['BTCUSDT', 'ETHUSDT'], { ETHUSDT: { minNotional: '10' } }, pub, 100 * MS, () => clock.nanoTime(),
    (_l, m) => logs.push(m), (symbol, ok, reason) => trading.push(`${symbol}:${ok}:${reason}`));
  const d = new InstrumentDecoder();
  const read = (): { symbol: string; status: number; tick: number; minNotional: number; overridden: number; seq: number }[] => {
    const out: { symbol: string; status: number; tick: number; minNotional: number; overridden: number; seq: number }[] = [];
    sub?.poll((b, o, l) => {
      expect(d.wrapChecked(b, o, l)).toBe(DecodeResult.OK);
      out.push({ symbol: d.symbol(), status: d.status(), tick: d.tickSize(), minNotional: d.minNotional(), overridden: d.overridden(), seq: d.sequence() });
    }, 100);
    return out;
  };
  return { t, clock, pub, sub, p, read, logs, trading };
}

describe('InstrumentPublisher', () => {
  it('publishes each symbol once when first known, with overrides applied, then again only on change or each period', async () => {
    const { p, read, clock, trading } = await setup();
    p.applyExchangeInfo(info(), 1_700_000_000_010);
    const first = read();
    expect(first.map((x) => [x.symbol, x.minNotional, x.overridden])).toEqual([
      ['BTCUSDT', 500_000_000, 0], ['ETHUSDT', 1_000_000_000, InstrumentOverride.MIN_NOTIONAL],
    ]);
    expect(first.map((x) => x.seq)).toEqual([0, 1]);
    expect(p.complete).toBe(true);
    p.applyExchangeInfo(info(), 1_700_000_001_000); // same rules, new times: nothing now
    expect(read()).toEqual([]);
    p.doWork(); // the first duty cycle starts the republish period
    expect(read()).toHaveLength(2);
    clock.advanceNs(50 * MS);
    p.doWork();
    expect(read()).toEqual([]);
    clock.advanceNs(50 * MS);
    p.doWork();
    expect(read().map((x) => x.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    p.applyExchangeInfo(info('HALT'), 1_700_000_002_000);
    expect(read()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', status: InstrumentStatus.HALT })]);
    expect(trading).toEqual(['BTCUSDT:false:Binance status HALT: not trading']);
    p.applyExchangeInfo(info('TRADING', 10_000_000), 1_700_000_003_000);
    expect(read()).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', status: InstrumentStatus.TRADING, tick: 10_000_000 })]);
    expect(trading.at(-1)).toBe('BTCUSDT:true:Binance status TRADING');
  });

  it('keeps the last instrument when a fetch cannot describe a symbol, and says so once', async () => {
    const { p, read, logs } = await setup();
    p.applyExchangeInfo(info(), 1);
    read();
    const broken: ExchangeInfo = { ...info(), symbols: [{ ...info().symbols[0]!, tickSizeE8: undefined, problems: ['BTCUSDT: PRICE_FILTER filter missing (tickSize)'] }, info().symbols[1]!] };
    p.applyExchangeInfo(broken, 2);
    p.applyExchangeInfo(broken, 3);
    expect(read()).toEqual([]);
    expect(p.instrumentOf('BTCUSDT')!.tickSizeE8).toBe(1_000_000);
    expect(logs.filter((l) => /PRICE_FILTER filter missing.*keeping the last known instrument/.test(l))).toHaveLength(1);
  });

  it('retries a refused message (nobody subscribed yet) no more than every 10 ms', async () => {
    const { p, clock, t } = await setup(false);
    p.applyExchangeInfo(info(), 1);
    expect(p.counters.refused).toBe(2);
    for (let i = 0; i < 5; i++) { clock.advanceNs(1 * MS); p.doWork(); }
    expect(p.counters.refused).toBe(2);
    clock.advanceNs(10 * MS);
    p.doWork();
    expect(p.counters.refused).toBe(4);
    const sub = await t.addSubscription('aeron:ipc', 20);
    clock.advanceNs(10 * MS);
    p.doWork();
    expect(p.counters.published).toBe(2);
    let n = 0;
    sub.poll(() => { n++; }, 10);
    expect(n).toBe(2);
  });
});

describe('InstrumentPublisher: a symbol Binance cannot describe', () => {
  it('is reported as not trading (no instrument) and published once it is described', async () => {
    const { p, read, trading } = await setup();
    const unknown: ExchangeInfo = { ...info(), symbols: [{ symbol: 'BTCUSDT', status: undefined, tickSizeE8: undefined, stepSizeE8: undefined, minQtyE8: undefined, minNotionalE8: undefined, problems: ['BTCUSDT: not in exchangeInfo (unknown symbol?)'] }, info().symbols[1]!] };
    p.applyExchangeInfo(unknown, 1);
    expect(read().map((x) => x.symbol)).toEqual(['ETHUSDT']);
    expect(p.complete).toBe(false);
    expect(trading).toEqual(['BTCUSDT:false:no instrument: BTCUSDT: not in exchangeInfo (unknown symbol?)']);
    p.applyExchangeInfo(info(), 2);
    expect(read().map((x) => x.symbol)).toEqual(['BTCUSDT']);
    expect(trading.at(-1)).toBe('BTCUSDT:true:Binance status TRADING');
  });
});

import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { InstrumentEncoder, InstrumentOverride, InstrumentStatus, symbolBytes } from '@mm/protocol';
import { loadStreams } from '@mm/runtime';
import { StatModel } from '../src/commands/StatModel.js';
import { findStream } from '../src/commands/tail.js';

/** Stream 20 (instruments) in the CLI: `mm tail instrument` and each symbol's status and rules in `mm stat`. */
describe('instrument stream in the CLI', () => {
  it('should find stream 20 by name and by number', () => {
    const streams = loadStreams({ env: {} });
    expect(findStream(streams, 'instrument').streamId).toBe(20);
    expect(findStream(streams, 'instruments').streamId).toBe(20);
    expect(findStream(streams, '20')).toBe(findStream(streams, 'instrument'));
    expect(() => findStream(streams, 'nope')).toThrow(/use 10-20 or one of .*instrument/);
  });

  it('should show each symbol\'s trading status and rules from stream 20 in mm stat', () => {
    const model = new StatModel(() => 1_700_000_000_000);
    const buf = AtomicBuffer.allocate(256);
    const send = (symbol: string, status: InstrumentStatus, overridden: number): void => {
      const e = new InstrumentEncoder().wrap(buf, 0).sequence(1).timeNs(5).exchangeTimeNs(0, 0).fetchTimeNs(0, 0).tickSize(1_000_000)
        .stepSize(1000).minQty(1000).minNotional(500_000_000).symbolBytes(symbolBytes(symbol)).status(status).overridden(overridden);
      model.onMessage(buf, 0, e.encodedLength());
    };
    send('BTCUSDT', InstrumentStatus.TRADING, 0);
    send('ETHUSDT', InstrumentStatus.TRADING, 0);
    send('ETHUSDT', InstrumentStatus.HALT, InstrumentOverride.STATUS);
    const screen = model.render().join('\n');
    expect(screen).toMatch(/^BTCUSDT .*\n +instrument: TRADING {2}tick 0\.01000000 {2}step 0\.00001000 {2}min qty 0\.00001000 {2}min notional 5\.00000000$/m);
    expect(screen).toMatch(/^ETHUSDT .*\n +instrument: HALT .*\(overrides\)$/m);
    expect(model.bad).toBe(0);
    model.onMessage(buf, 0, 20);
    expect(model.bad).toBe(1);
  });
});

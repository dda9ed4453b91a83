import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { QuoteCause, QuoteEncoder, Venue, symbolBytes } from '@mm/protocol';
import { StatModel } from '../src/commands/StatModel.js';

/** `mm stat`'s tick→quote: quotes a new fair value caused count; re-decisions (an older tick's time) do not. */
describe('mm stat tick→quote latency', () => {
  it('should count PRICING (and unmarked) quotes and leave REDECIDE quotes out', () => {
    const model = new StatModel(() => 1_700_000_000_000);
    const buf = AtomicBuffer.allocate(256);
    const send = (recvNs: number, sendNs: number, cause: QuoteCause): void => {
      const e = new QuoteEncoder().wrap(buf, 0).sequence(1).recvTimeNs(recvNs).quoteId(1).sendTimeNs(sendNs)
        .bidPrice(100).bidQty(1).askPrice(101).askQty(1).symbolBytes(symbolBytes('BTCUSDT')).venue(Venue.SIMULATOR).cause(cause);
      model.onMessage(buf, 0, e.encodedLength());
    };
    send(1_000_000, 1_080_000, QuoteCause.PRICING); // 80 µs
    send(1_000_000, 51_000_000, QuoteCause.REDECIDE); // a fill 50 ms later, on the same pricing
    send(2_000_000, 2_120_000, QuoteCause.UNSPECIFIED); // 120 µs, an older publisher
    const l = model.latencyPercentilesUs();
    expect(l.n).toBe(2);
    expect(l.p50).toBe(120);
    expect(l.p99).toBe(120);
    expect(model.render().join('\n')).toMatch(/tick→quote \(2 quotes on new pricing\): p50 /);
  });
});

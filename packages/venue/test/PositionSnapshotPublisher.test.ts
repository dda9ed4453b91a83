import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { OrderSide, Position, newFillEvent } from '@mm/models/fills';
import { PositionDecoder, Venue, symbolBytes } from '@mm/protocol';
import { BACK_PRESSURED, InMemoryTransport, ManualClock, type Publisher } from '@mm/runtime';
import { DailyPnl } from '../src/DailyPnl.js';
import { PositionSnapshotPublisher, type PositionSnapshotSource } from '../src/PositionSnapshotPublisher.js';

function source(): PositionSnapshotSource {
  return { bytes: symbolBytes('BTCUSDT'), position: new Position(Venue.ENGINE, 0), daily: new DailyPnl(), sequence: 0, lastRecvNs: 0, dirty: true };
}

describe('PositionSnapshotPublisher', () => {
  it('publishes full snapshots with the venue, last fill id and the UTC day totals; refused ones stay dirty', () => {
    const t = new InMemoryTransport();
    const clock = new ManualClock(5e9, Date.UTC(2026, 10, 21, 12));
    const real = t.addExclusivePublicationSync('aeron:ipc', 17);
    let refuse = false;
    const pub: Publisher = { ...real, offer: (b, o, l) => (refuse ? BACK_PRESSURED : real.offer(b, o, l)) } as Publisher;
    const sub = t.addSubscriptionSync('aeron:ipc', 17);
    const out = new PositionSnapshotPublisher(pub, Venue.ENGINE, clock);
    const s = source();
    const f = newFillEvent();
    Object.assign(f, { fillId: 7, side: OrderSide.BUY, priceE8: 100 * 1e8, qtyE8: 2e8, feeE8: 30 });
    s.position.apply(f);
    s.daily.add(clock.epochMs(), 0, 30);
    s.daily.add(clock.epochMs() - 86_400_000, 5, 1000); // yesterday: not in today's totals

    refuse = true;
    expect(out.publish(s, clock.nanoTime())).toBe(false);
    expect(s.dirty).toBe(true);
    expect(s.sequence).toBe(0);
    refuse = false;
    expect(out.publishAll([s], clock.nanoTime(), false)).toBe(1);
    expect(s.dirty).toBe(false);
    expect(out.publishAll([s], clock.nanoTime(), false)).toBe(0);
    expect(out.publishAll([s], clock.nanoTime(), true)).toBe(1);

    const rows: { seq: number; venue: number; last: number; qty: number; fees: number; dailyFees: number; symbol: string }[] = [];
    const d = new PositionDecoder();
    sub.poll((b: AtomicBuffer, o: number, l: number) => {
      d.wrap(b, o);
      rows.push({ seq: d.sequence(), venue: d.venue(), last: d.lastFillId(), qty: d.quantity(), fees: d.fees(), dailyFees: d.dailyFees(), symbol: d.symbol() });
      void l;
    }, 10);
    expect(rows).toEqual([
      { seq: 0, venue: Venue.ENGINE, last: 7, qty: 2e8, fees: 30, dailyFees: 30, symbol: 'BTCUSDT' },
      { seq: 1, venue: Venue.ENGINE, last: 7, qty: 2e8, fees: 30, dailyFees: 30, symbol: 'BTCUSDT' },
    ]);
    expect(out.deferred).toBe(1);
  });
});

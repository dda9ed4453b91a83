import { describe, expect, it } from 'vitest';
import { FILL_RECORD_LENGTH, FillRecord } from '@mm/journal';
import { AtomicBuffer } from '@mm/agrona';
import { FillLiquidity, OrderSide, Position, newFillEvent, type FillEvent } from '@mm/models/fills';
import { DailyPnl } from '../src/DailyPnl.js';
import { VenuePositions, type VenuePositionEntry } from '../src/VenuePositions.js';

const E8 = 1e8;
const DAY = Date.UTC(2026, 10, 21, 12);

function fill(id: number, side: OrderSide, price: number, qty: number, fee: number): FillEvent {
  const f = newFillEvent();
  Object.assign(f, { fillId: id, venueId: 1, symbolId: 0, orderId: id, quoteId: id, side, priceE8: price * E8, qtyE8: qty * E8, feeE8: fee, liquidity: FillLiquidity.MAKER, fillTimeNs: id, recvTimeNs: id });
  return f;
}

describe('VenuePositions', () => {
  it('applies fills to the position, the symbol day and the venue day, keeping the independent sums', () => {
    const e: VenuePositionEntry = { name: 'BTCUSDT', position: new Position(1, 0), daily: new DailyPnl(), sumQtyE8: 0, sumFeesE8: 0 };
    const venue = new DailyPnl();
    expect(VenuePositions.apply(e, fill(1, OrderSide.BUY, 100, 2, 10), DAY, venue)).toBeUndefined();
    expect(VenuePositions.apply(e, fill(2, OrderSide.SELL, 101, 1, 5), DAY + 86_400_000, venue)).toBeUndefined();
    expect([e.position.qtyE8, e.sumQtyE8, e.sumFeesE8]).toEqual([1 * E8, 1 * E8, 15]);
    expect(e.daily.all().map((d) => [d.day, d.realizedPnl, d.feesE8])).toEqual([['2026-11-21', 0, 10], ['2026-11-22', 1, 5]]);
    expect(venue.all()).toEqual(e.daily.all());
  });

  it('reports a position that is no longer the sum of its fills, and a fill the position rejects', () => {
    const e: VenuePositionEntry = { name: 'BTCUSDT', position: new Position(1, 0), daily: new DailyPnl(), sumQtyE8: 5, sumFeesE8: 0 };
    expect(VenuePositions.apply(e, fill(1, OrderSide.BUY, 100, 1, 0), DAY)).toMatch(/^position invariant violated: BTCUSDT qty 100000000 fees 0 != sum of fills qty 100000005/);
    const other = fill(2, OrderSide.BUY, 100, 1, 0);
    other.symbolId = 3;
    expect(VenuePositions.apply(e, other, DAY)).toMatch(/^(fill rejected by the position|position invariant violated): /);
  });

  it('reads a journaled fill back field by field', () => {
    const buf = AtomicBuffer.allocate(FILL_RECORD_LENGTH);
    const r = new FillRecord();
    const f = fill(7, OrderSide.SELL, 123.45, 0.5, -3);
    r.wrap(buf, 0, true).setFillId(f.fillId).setOrderId(f.orderId).setQuoteId(f.quoteId).setPrice(f.priceE8).setQty(f.qtyE8)
      .setFee(f.feeE8).setFillTimeNs(f.fillTimeNs).setRecvTimeNs(f.recvTimeNs).setFillEpochMs(DAY).setVenue(f.venueId)
      .setSide(f.side).setLiquidity(f.liquidity);
    expect(VenuePositions.fromRecord(r, 0, newFillEvent())).toEqual(f);
  });
});

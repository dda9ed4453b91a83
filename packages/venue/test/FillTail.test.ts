import { describe, expect, it } from 'vitest';
import { newFillEvent } from '@mm/models/fills';
import { FillDecoder, Venue, symbolBytes } from '@mm/protocol';
import { InMemoryTransport } from '@mm/runtime';
import { FillPublisher } from '../src/FillPublisher.js';
import { FillTail } from '../src/FillTail.js';

describe('FillTail', () => {
  it('keeps the last `capacity` fills (copies, not the reused event) and republishes them oldest first', () => {
    const t = new InMemoryTransport();
    const out = new FillPublisher(t.addExclusivePublicationSync('aeron:ipc', 16), Venue.ENGINE, 8);
    const sub = t.addSubscriptionSync('aeron:ipc', 16);
    const tail = new FillTail(3);
    const f = newFillEvent();
    const sym = symbolBytes('BTCUSDT');
    for (let id = 1; id <= 5; id++) {
      f.fillId = id;
      f.qtyE8 = id * 100;
      tail.keep(f, sym);
    }
    f.fillId = 99; // the reused event changes after keep(): the tail must not
    expect(tail.size).toBe(3);
    expect(tail.republish(out)).toEqual({ queued: 3, firstFillId: 3 });
    const d = new FillDecoder();
    const got: [number, number, string][] = [];
    sub.poll((b, o) => {
      d.wrap(b, o);
      got.push([d.fillId(), d.qty(), d.symbol()]);
    }, 10);
    expect(got).toEqual([[3, 300, 'BTCUSDT'], [4, 400, 'BTCUSDT'], [5, 500, 'BTCUSDT']]);
    expect(new FillTail(0).republish(out)).toEqual({ queued: 0, firstFillId: 0 });
  });
});

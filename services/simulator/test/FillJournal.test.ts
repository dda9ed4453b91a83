import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { FILL_RECORD_KIND, FILL_RECORD_LENGTH, FillRecord, Journal } from '@mm/journal';
import { FillLiquidity, OrderSide, newFillEvent } from '@mm/models/fills';
import { symbolBytes } from '@mm/protocol';
import { FILL_JOURNAL_FILE, FillJournal } from '../src/FillJournal.js';
import { removeJournalDirs, tempJournalDir } from './helpers.js';

afterEach(() => removeJournalDirs());

describe('FillJournal', () => {
  it('journals every field of a fill and replays them in order, continuing from the last id', () => {
    const dir = tempJournalDir();
    const j = FillJournal.open(dir, { mode: 'every-record' }, () => { throw new Error('empty journal replayed a record'); });
    const f = newFillEvent();
    Object.assign(f, {
      fillId: 1, venueId: 1, orderId: 11, quoteId: 21, side: OrderSide.SELL, priceE8: 3_000_000_000_000, qtyE8: 5000,
      feeE8: -12, liquidity: FillLiquidity.MAKER, fillTimeNs: 777, recvTimeNs: 700,
    });
    j.append(f, symbolBytes('ETHUSDT'), 1_763_726_400_000);
    f.fillId = 2;
    f.side = OrderSide.BUY;
    j.append(f, symbolBytes('BTCUSDT'), 1_763_726_400_001);
    f.fillId = 2;
    expect(() => j.append(f, symbolBytes('BTCUSDT'), 0)).toThrow(/does not follow the journaled 2/);
    j.close();
    const rows: unknown[] = [];
    const again = FillJournal.open(dir, { mode: 'every-record' }, (r) => rows.push([
      r.fillId(), r.orderId(), r.quoteId(), r.symbol(), r.side(), r.price(), r.qty(), r.fee(), r.liquidity(), r.venue(),
      r.fillTimeNs(), r.recvTimeNs(), r.fillEpochMs(),
    ]));
    expect(rows).toEqual([
      [1, 11, 21, 'ETHUSDT', 2, 3_000_000_000_000, 5000, -12, 1, 1, 777, 700, 1_763_726_400_000],
      [2, 11, 21, 'BTCUSDT', 1, 3_000_000_000_000, 5000, -12, 1, 1, 777, 700, 1_763_726_400_001],
    ]);
    expect(again.lastFillId).toBe(2);
    again.close();
  });

  it('refuses a journal whose fill ids do not increase', () => {
    const dir = tempJournalDir();
    const raw = Journal.open(join(dir, FILL_JOURNAL_FILE), { kind: FILL_RECORD_KIND, maxRecordLength: FILL_RECORD_LENGTH, fsync: { mode: 'every-record' } });
    const buf = AtomicBuffer.allocate(FILL_RECORD_LENGTH);
    for (const id of [1, 2, 2]) {
      new FillRecord().wrap(buf, 0, true).setFillId(id).setQty(1).setSide(1).setVenue(1).setSymbolBytes(symbolBytes('BTCUSDT'));
      raw.append(buf, 0, FILL_RECORD_LENGTH);
    }
    raw.close();
    expect(() => FillJournal.open(dir, { mode: 'every-record' }, () => undefined)).toThrow(/record 2: fill id 2 does not follow 2/);
  });
});

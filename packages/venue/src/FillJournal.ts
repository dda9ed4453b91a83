import { join } from 'node:path';
import { AtomicBuffer } from '@mm/agrona';
import { FILL_RECORD_KIND, FILL_RECORD_LENGTH, FillRecord, Journal, type FsyncPolicy, type RecoveryReport } from '@mm/journal';
import type { FillEvent } from '@mm/models/fills';

/**
 * The venue's fill journal: `<dir>/fills.journal`, one FillRecord per fill, appended (and fsynced per policy)
 * before the fill is published. Opening it replays every intact record in order; the replay checks that fill ids
 * strictly increase, so the venue can continue the sequence from `lastFillId`.
 */
export const FILL_JOURNAL_FILE = 'fills.journal';

export class FillJournal {
  private readonly journal: Journal;
  private readonly scratch = AtomicBuffer.allocate(FILL_RECORD_LENGTH);
  private readonly record = new FillRecord();
  private last: number;

  private constructor(journal: Journal, lastFillId: number) {
    this.journal = journal;
    this.last = lastFillId;
  }

  /**
   * Opens and recovers the journal; `onRecord` sees each recovered fill (a reused flyweight, valid during the call).
   * Throws a RangeError when records are intact but not a valid fill sequence (ids not increasing).
   */
  static open(dir: string, fsync: FsyncPolicy, onRecord: (fill: FillRecord) => void, nowMs?: () => number): FillJournal {
    const reader = new FillRecord();
    let last = 0;
    const journal = Journal.open(
      join(dir, FILL_JOURNAL_FILE),
      { kind: FILL_RECORD_KIND, maxRecordLength: FILL_RECORD_LENGTH, fsync, ...(nowMs ? { nowMs } : {}) },
      (buffer, offset, length, index) => {
        if (length !== FILL_RECORD_LENGTH) throw new RangeError(`fill journal record ${index}: length ${length}, expected ${FILL_RECORD_LENGTH}`);
        reader.wrap(buffer, offset);
        const id = reader.fillId();
        if (!(id > last)) throw new RangeError(`fill journal record ${index}: fill id ${id} does not follow ${last}`);
        last = id;
        onRecord(reader);
      },
    );
    return new FillJournal(journal, last);
  }

  get recovery(): RecoveryReport {
    return this.journal.recovery;
  }

  get path(): string {
    return this.journal.path;
  }

  /** The last fill id journaled (0 = none). */
  get lastFillId(): number {
    return this.last;
  }

  /** Journals a fill; throws (JournalError) if it could not be written, in which case it must not be published. */
  append(fill: Readonly<FillEvent>, symbol: Uint8Array, epochMs: number): void {
    if (!(fill.fillId > this.last)) throw new RangeError(`fill id ${fill.fillId} does not follow the journaled ${this.last}`);
    this.record
      .wrap(this.scratch, 0, true)
      .setFillId(fill.fillId)
      .setOrderId(fill.orderId)
      .setQuoteId(fill.quoteId)
      .setPrice(fill.priceE8)
      .setQty(fill.qtyE8)
      .setFee(fill.feeE8)
      .setFillTimeNs(fill.fillTimeNs)
      .setRecvTimeNs(fill.recvTimeNs)
      .setFillEpochMs(epochMs)
      .setSymbolBytes(symbol)
      .setVenue(fill.venueId)
      .setSide(fill.side)
      .setLiquidity(fill.liquidity);
    this.journal.append(this.scratch, 0, FILL_RECORD_LENGTH);
    this.last = fill.fillId;
  }

  /** Batch policy: fsync when due (duty cycle). */
  maybeSync(): number {
    return this.journal.maybeSync();
  }

  close(): void {
    this.journal.close();
  }
}

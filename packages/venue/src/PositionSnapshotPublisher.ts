import { AtomicBuffer } from '@mm/agrona';
import type { Position } from '@mm/models/fills';
import { PositionEncoder, type Venue } from '@mm/protocol';
import type { Clock, Publisher } from '@mm/runtime';
import type { DailyPnl } from './DailyPnl.js';

/**
 * Stream 17: full position snapshots of one venue. Snapshots are conflatable: a snapshot the publication refuses
 * leaves its symbol dirty and the next attempt sends the then-current state, so nothing queues. Each symbol has its
 * own sequence (incremented per snapshot accepted). One preallocated buffer: nothing is allocated per snapshot.
 */
export interface PositionSnapshotSource {
  /** Symbol, NUL-padded ASCII (as symbolBytes()). */
  readonly bytes: Uint8Array;
  readonly position: Position;
  /** This symbol's realized PnL and fees per UTC day (dailyRealizedPnl/dailyFees of the snapshot). */
  readonly daily: DailyPnl;
  /** Snapshots of this symbol accepted so far (the next snapshot's sequence). */
  sequence: number;
  /** Receive time of the event behind the last fill (monotonic ns). */
  lastRecvNs: number;
  /** Changed since the last accepted snapshot. */
  dirty: boolean;
}

export class PositionSnapshotPublisher {
  private readonly encoder = new PositionEncoder();
  private readonly buffer = AtomicBuffer.allocate(256);
  /** Snapshots accepted / refused (back pressure, no subscriber). */
  published = 0;
  deferred = 0;

  constructor(
    private readonly publisher: Publisher,
    private readonly venue: Venue,
    private readonly clock: Clock,
  ) {}

  /** Publishes the snapshot of one symbol; true when accepted (then sequence++ and dirty = false). */
  publish(s: PositionSnapshotSource, nowNs: number): boolean {
    const p = s.position;
    const today = s.daily.forDay(this.clock.epochMs());
    const enc = this.encoder.wrap(this.buffer, 0);
    enc
      .sequence(s.sequence)
      .recvTimeNs(s.lastRecvNs)
      .timeNs(nowNs)
      .lastFillId(p.lastFillId)
      .quantity(p.qtyE8)
      .fees(p.feesE8)
      .averagePrice(p.avgPrice)
      .realizedPnl(p.realizedPnl)
      // No mark yet: unrealized is unknown, published as 0 rather than −avg·qty.
      .unrealizedPnl(p.markPrice > 0 ? p.unrealizedPnl : 0)
      .markPrice(p.markPrice)
      .symbolBytes(s.bytes)
      .venue(this.venue)
      .dailyRealizedPnl(today.realizedPnl)
      .dailyFees(today.feesE8);
    if (this.publisher.offer(this.buffer, 0, enc.encodedLength()) < 0) {
      this.deferred++;
      s.dirty = true;
      return false;
    }
    s.dirty = false;
    s.sequence++;
    this.published++;
    return true;
  }

  /** Publishes every dirty source (every source when `all`); returns how many were accepted. */
  publishAll(sources: readonly PositionSnapshotSource[], nowNs: number, all: boolean): number {
    let sent = 0;
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      if ((s.dirty || all) && this.publish(s, nowNs)) sent++;
    }
    return sent;
  }
}

import type { FillRecord } from '@mm/journal';
import { OrderSide, PositionInvariantError, type FillEvent, type Position } from '@mm/models/fills';
import type { DailyPnl } from './DailyPnl.js';

/**
 * The position rules every venue keeps, whatever makes its fills (the simulator's FillEngine, the engine's book):
 * a fill is applied to its symbol's Position, its realized-PnL change and fee go to the symbol's UTC day, and the
 * position must equal the sums of the symbol's fills — counted here independently of Position (which checks its
 * own invariants too). A violation is returned as text: the venue halts with it rather than trade on positions that
 * are not the sum of their fills. `fromRecord` reads a journaled fill back into a FillEvent (start-up replay).
 * Nothing is allocated per fill (the error text only on a violation).
 */
export interface VenuePositionEntry {
  readonly name: string;
  readonly position: Position;
  /** This symbol's realized PnL and fees per UTC day. */
  readonly daily: DailyPnl;
  /** Independent sums of the symbol's fills: signed quantity and fees, 1e-8 units. */
  sumQtyE8: number;
  sumFeesE8: number;
}

export class VenuePositions {
  /**
   * Applies `fill` to `entry` at the fill's UTC epoch ms (its day for daily PnL; also added to `venueDaily` when
   * given). Returns undefined, or why the positions are no longer the sum of the fills.
   */
  static apply(entry: VenuePositionEntry, fill: Readonly<FillEvent>, epochMs: number, venueDaily?: DailyPnl): string | undefined {
    entry.sumQtyE8 += fill.side === OrderSide.BUY ? fill.qtyE8 : -fill.qtyE8;
    entry.sumFeesE8 += fill.feeE8;
    const p = entry.position;
    const realizedBefore = p.realizedPnl;
    try {
      p.apply(fill);
    } catch (error) {
      const why = error instanceof PositionInvariantError ? 'position invariant violated' : 'fill rejected by the position';
      return `${why}: ${(error as Error).message}`;
    }
    const realized = p.realizedPnl - realizedBefore;
    entry.daily.add(epochMs, realized, fill.feeE8);
    venueDaily?.add(epochMs, realized, fill.feeE8);
    if (p.qtyE8 !== entry.sumQtyE8 || p.feesE8 !== entry.sumFeesE8) {
      return `position invariant violated: ${entry.name} qty ${p.qtyE8} fees ${p.feesE8} != sum of fills qty ${entry.sumQtyE8} fees ${entry.sumFeesE8}`;
    }
    return undefined;
  }

  /** A journaled fill as a FillEvent of symbol `symbolId` (the caller resolved the record's symbol). */
  static fromRecord(r: FillRecord, symbolId: number, into: FillEvent): FillEvent {
    into.fillId = r.fillId();
    into.venueId = r.venue();
    into.symbolId = symbolId;
    into.orderId = r.orderId();
    into.quoteId = r.quoteId();
    into.side = r.side() as OrderSide;
    into.priceE8 = r.price();
    into.qtyE8 = r.qty();
    into.feeE8 = r.fee();
    into.liquidity = r.liquidity() as FillEvent['liquidity'];
    into.fillTimeNs = r.fillTimeNs();
    into.recvTimeNs = r.recvTimeNs();
    return into;
  }
}

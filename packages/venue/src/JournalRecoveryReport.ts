import { ServiceState } from '@mm/protocol';
import type { ServiceStatus } from '@mm/runtime';
import type { FillJournal } from './FillJournal.js';
import type { FillPublisher } from './FillPublisher.js';
import type { FillTail } from './FillTail.js';

/** How a venue logs (pino-shaped: level, message, fields). */
export type VenueLog = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/**
 * What every venue does once its journal is replayed at start: log a dropped tail (error when corrupt, warn when
 * merely torn) and the recovery (with the caller's `extra` fields), then queue the journal's last fills on stream 16
 * again (`FillTail`). Returns how many fills were queued again.
 */
export function reportJournalRecovery(
  journal: FillJournal, tail: FillTail, fillOut: FillPublisher, log: VenueLog, extra: Record<string, unknown> = {},
): number {
  const rec = journal.recovery;
  if (rec.truncatedBytes > 0) {
    log(rec.tail === 'corrupt' ? 'error' : 'warn', `fill journal: ${rec.tail} tail dropped (${rec.detail})`, {
      path: journal.path, tail: rec.tail, truncatedBytes: rec.truncatedBytes, records: rec.records,
    });
  }
  log('info', `fill journal recovered: ${rec.records} fills, last fill id ${journal.lastFillId}`, {
    path: journal.path, created: rec.created, records: rec.records, lastFillId: journal.lastFillId, ...extra,
  });
  const again = tail.republish(fillOut);
  if (tail.size > 0) {
    log('info', `republished the last ${tail.size} journaled fills (ids ${again.firstFillId}..${journal.lastFillId}; consumers skip ids they have)`, {
      republished: tail.size, queued: fillOut.pending,
    });
  }
  return again.queued;
}

/**
 * After a restart (a journal that already existed): orders lived only in memory, so none rest any more. Says so per
 * symbol on 11 (SYNCING, "restart: resting orders cancelled") so the strategy re-quotes, and in the log.
 */
export function announceRestartCancelledOrders(
  status: Pick<ServiceStatus, 'setSymbolState'>, symbols: readonly { readonly name: string }[], count: number, log: VenueLog,
): void {
  for (let i = 0; i < count; i++) status.setSymbolState(symbols[i]!.name, ServiceState.SYNCING, 0, 'restart: resting orders cancelled');
  log('info', 'restart: orders resting before the restart are cancelled', { symbols: count });
}

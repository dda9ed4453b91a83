export { FillJournal, FILL_JOURNAL_FILE } from './FillJournal.js';
export { FillPublisher } from './FillPublisher.js';
export { DailyPnl, type DayTotals } from './DailyPnl.js';
export { PositionSnapshotPublisher, type PositionSnapshotSource } from './PositionSnapshotPublisher.js';
export { FillTail } from './FillTail.js';
export { VenuePositions, type VenuePositionEntry } from './VenuePositions.js';
export { announceRestartCancelledOrders, reportJournalRecovery, type VenueLog } from './JournalRecoveryReport.js';

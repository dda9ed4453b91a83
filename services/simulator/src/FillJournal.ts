// Moved to @mm/venue (shared by every venue); kept so existing imports keep working.
export { FillJournal, FILL_JOURNAL_FILE } from '@mm/venue';

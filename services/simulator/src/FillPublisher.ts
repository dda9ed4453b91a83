// Moved to @mm/venue (shared by every venue); kept so existing imports keep working.
export { FillPublisher } from '@mm/venue';

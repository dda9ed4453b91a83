export { collectorSchema } from './CollectorConfig.js';
export { CollectorPublisher, type CollectorCounters } from './CollectorPublisher.js';

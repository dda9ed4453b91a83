export { collectorSchema } from './CollectorConfig.js';
export { CollectorPublisher, type CollectorCounters } from './CollectorPublisher.js';
export { mergeInstrument, isFullOverride, type Instrument, type MergeResult, type SymbolOverride } from './InstrumentMerge.js';
export {
  noRecordingInstrumentMessage, recordingInstruments, resolveRecordingInstruments, RecordingInstrumentError,
  type RecordedInstrumentConfig, type RecordingInstrument, type RecordingInstrumentOptions,
} from './RecordingInstruments.js';
export { collectorService } from './service.js';

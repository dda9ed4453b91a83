export { AtomicBuffer } from './AtomicBuffer.js';
export { MappedFile } from './MappedFile.js';
export type { MapOptions } from './MappedFile.js';
export * from './BroadcastTransmitter.js';
export * from './CountersManager.js';
export * from './DistinctErrorLog.js';

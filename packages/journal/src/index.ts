export * from './Crc32.js';
export * from './JournalError.js';
export * from './JournalFormat.js';
export * from './JournalReader.js';
export * from './Journal.js';
export * from './FillRecord.js';

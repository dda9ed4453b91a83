export {};
export * from './pricing/index.js';

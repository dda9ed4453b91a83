export * from './Transport.js';
export * from './Clock.js';

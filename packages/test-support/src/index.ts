export * from './waitFor.js';
export * from './paths.js';
export * from './ChildProcessHandle.js';
export * from './testSystem.js';
export * from './processTeardown.js';

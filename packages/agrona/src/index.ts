export { AtomicBuffer } from './AtomicBuffer.js';

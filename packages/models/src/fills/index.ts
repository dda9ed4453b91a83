export * from './FillTypes.js';
export * from './QueueModel.js';
export * from './LatencyModel.js';
export * from './FeeModel.js';
export * from './FillEngine.js';
export * from './Positions.js';

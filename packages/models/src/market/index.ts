export * from './Prng.js';
export * from './ModelMarket.js';
export * from './QuotingEngineStrategy.js';

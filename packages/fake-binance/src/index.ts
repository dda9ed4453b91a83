export * from './Random.js';
export * from './SimMarket.js';
export * from './RecordedFeed.js';
export * from './FakeBinanceServer.js';

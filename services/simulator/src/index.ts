export * from './SimulatorConfig.js';
export * from './SimulatorAgent.js';
export * from './FillJournal.js';
export * from './DailyPnl.js';
export * from './FillPublisher.js';

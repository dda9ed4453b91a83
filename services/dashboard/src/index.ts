export * from './DashboardConfig.js';
export * from './DashboardAgent.js';
export * from './HttpServer.js';
export * from './Dashboard.js';
export * from './SymbolState.js';
export * from './SeriesRing.js';
export * from './HealthTable.js';
export * from './DisplayFormat.js';

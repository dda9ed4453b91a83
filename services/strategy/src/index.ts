export { StrategyAgent, type StrategyInputs, type StrategyCounters, type LogFn } from './StrategyAgent.js';
export { strategySchema, toStrategySettings, StrategyConfigError, type StrategyConfig, type StrategySettings, type SymbolSettings } from './StrategyConfig.js';
export { KillSwitchStore, readKillSwitch, resetKillSwitch, writeAtomically, killSwitchJson, type StoredKillSwitch } from './KillSwitchStore.js';
export { QuoteProxy, type QuoteProxyCounters } from './QuoteProxy.js';
export { VenueMonitor } from './VenueMonitor.js';
export { VenuePosition } from './VenuePosition.js';
export { strategyService } from './service.js';

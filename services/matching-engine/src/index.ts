export { MatchingEngine, coreLimitsOf, type BoundPorts } from './MatchingEngine.js';
export { engineSchema, loadEngineConfig, type EngineConfig } from './EngineConfig.js';
export { EngineCounters } from './EngineCounters.js';
export { OutputRouter } from './OutputRouter.js';
export { ClientChannel } from './ClientChannel.js';
export type { Matcher } from './Matcher.js';
export { DirectMatcher } from './DirectMatcher.js';
export { ThreadedMatcher } from './ThreadedMatcher.js';
export { createLogger, type Logger } from './Logger.js';

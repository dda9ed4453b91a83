export * from './Transport.js';
export * from './Clock.js';
export * from './Agent.js';
export * from './AgentRunner.js';
export * from './IdleStrategy.js';
export * from './InMemoryTransport.js';
export * from './Source.js';

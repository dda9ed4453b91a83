import type { DashboardConfig } from '../src/DashboardConfig.js';

/** A dashboard config for tests: port 0, two symbols, the simulator venue. */
export function testConfig(overrides: Partial<DashboardConfig> = {}): DashboardConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    symbols: ['BTCUSDT', 'ETHUSDT'],
    venue: 'simulator',
    historyLength: 100,
    fillHistoryLength: 20,
    pushRateHz: 10,
    pollFragmentLimit: 256,
    heartbeatStaleMs: 3000,
    maxClientBufferBytes: 1 << 20,
    ...overrides,
  };
}

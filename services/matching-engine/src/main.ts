/**
 * The matching engine service: loads its configuration (exit 78 when invalid), starts the transports, logs
 * `{"msg":"listening","tcpPort":...,"udpPort":...}` and runs until SIGTERM/SIGINT, then logs its counters.
 */
import { installExitHandlers } from '@mm/logging';
import { loadEngineConfig } from './EngineConfig.js';
import { createEngineLogger } from './Logger.js';
import { MatchingEngine } from './MatchingEngine.js';

const cfg = loadEngineConfig();
const { log, product } = createEngineLogger(cfg.logging);
const engine = new MatchingEngine(cfg, log);

installExitHandlers(product, {
  onShutdown: async () => {
    await engine.stop();
    log.info('stopped', engine.counters.snapshot());
  },
});

engine.start().then(
  (ports) => {
    log.info('listening', { tcpPort: ports.tcpPort, udpPort: ports.udpPort, threaded: cfg.threaded, mcast: cfg.mcast.enabled ? `${cfg.mcast.group}:${cfg.mcast.port}` : null });
  },
  (e: unknown) => {
    log.error('cannot start', { error: e instanceof Error ? e.message : String(e) });
    product.flushAndClose();
    process.exit(1);
  },
);

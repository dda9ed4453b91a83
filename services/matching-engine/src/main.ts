/**
 * The matching engine service: loads its configuration (exit 78 when invalid), starts the transports, logs
 * `{"msg":"listening","tcpPort":...,"udpPort":...}` and runs until SIGTERM/SIGINT, then logs its counters.
 */
import { loadEngineConfig } from './EngineConfig.js';
import { createLogger } from './Logger.js';
import { MatchingEngine } from './MatchingEngine.js';

const log = createLogger('matching-engine');
const cfg = loadEngineConfig();
const engine = new MatchingEngine(cfg, log);

engine.start().then(
  (ports) => {
    log.info('listening', { tcpPort: ports.tcpPort, udpPort: ports.udpPort, threaded: cfg.threaded, mcast: cfg.mcast.enabled ? `${cfg.mcast.group}:${cfg.mcast.port}` : null });
  },
  (e: unknown) => {
    log.error('cannot start', { error: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  },
);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  engine.stop().then(
    () => {
      log.info('stopped', { signal, ...engine.counters.snapshot() });
      process.exit(0);
    },
    (e: unknown) => {
      log.error('stop failed', { error: e instanceof Error ? e.message : String(e) });
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

/**
 * The matching engine service: loads its configuration (exit 78 when invalid), starts the transports, logs
 * `{"msg":"listening","tcpPort":...,"udpPort":...}` and runs until SIGTERM/SIGINT, then logs its counters.
 * With `[venue] enabled` it runs under the service host as the market maker's venue (QuoteVenueService.ts).
 */
import { installExitHandlers } from '@mm/logging';
import { loadEngineConfig } from './EngineConfig.js';
import { createEngineLogger } from './Logger.js';
import { MatchingEngine } from './MatchingEngine.js';
import { runQuoteVenueService } from './QuoteVenueService.js';

const cfg = loadEngineConfig();
if (cfg.venue.enabled) {
  // The product's venue: Aeron, health counters, state/heartbeat and the quote venue (QuoteVenueService.ts).
  await runQuoteVenueService(cfg);
} else {
  runStandalone();
}

function runStandalone(): void {
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
}

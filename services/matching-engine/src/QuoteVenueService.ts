/**
 * The engine run as a product service (`[venue] enabled = true`): under the runtime's service host (config with
 * `[runtime]` and `[logging]`, Aeron connection, health counters, state 11 / heartbeat 12 as `matching-engine`,
 * agent runner, signals), with the QuoteVenue as its agent. The TCP/UDP/multicast side is the same MatchingEngine
 * as standalone, and the `listening` line (ports) is logged the same way once the sockets are bound.
 */
import { ServiceCounters, aeronConnector, runService } from '@mm/runtime';
import { EngineCounters } from './EngineCounters.js';
import { engineSchema, type EngineConfig } from './EngineConfig.js';
import { adaptLogger } from './Logger.js';
import { MatchingEngine } from './MatchingEngine.js';
import { QuoteVenue } from './QuoteVenue.js';
import { venueSymbolsOf, type VenueSymbol } from './QuoteVenueSymbols.js';

export const ENGINE_SERVICE_NAME = 'matching-engine';

/** @param loaded the configuration main.ts loaded (the host loads the same files again, with `[runtime]`). */
export async function runQuoteVenueService(loaded: EngineConfig): Promise<void> {
  const { logging: _logging, runtime: _runtime, ...shape } = engineSchema.shape;
  await runService(
    {
      name: ENGINE_SERVICE_NAME,
      configName: 'matching-engine',
      schema: shape,
      async start(ctx) {
        const cfg: EngineConfig = { ...ctx.config, runtime: ctx.runtime, logging: loaded.logging };
        const log = adaptLogger(ctx.log);
        let symbols: VenueSymbol[];
        try {
          symbols = venueSymbolsOf(cfg.venue.symbols);
        } catch (error) {
          // Same contract as schema errors: invalid configuration exits 78.
          process.stderr.write(`[matching-engine] config error: ${(error as Error).message}\n`);
          ctx.log.fatal({ err: error }, 'invalid [venue] configuration');
          ctx.log.flushAndClose();
          process.exit(78);
        }
        const s = ctx.streams;
        const [quotes, fills, positions, trades, topOfBook] = await Promise.all([
          ctx.transport.addSubscription(s.quote.channel, s.quote.streamId),
          ctx.transport.addExclusivePublication(s.fill.channel, s.fill.streamId),
          ctx.transport.addExclusivePublication(s.position.channel, s.position.streamId),
          ctx.transport.addExclusivePublication(s.engineTrade.channel, s.engineTrade.streamId),
          ctx.transport.addExclusivePublication(s.engineTop.channel, s.engineTop.streamId),
        ]);
        const v = cfg.venue;
        const venue = new QuoteVenue(
          {
            symbols,
            positionIntervalNs: v.positionIntervalMs * 1e6,
            journalDir: v.journal.dir,
            fsync: v.journal.fsync === 'batch' ? { mode: 'batch', maxRecords: v.journal.batchMaxRecords, maxDelayMs: v.journal.batchMaxDelayMs } : { mode: 'every-record' },
            republishOnStart: v.journal.republishOnStart,
            fees: { makerBps: v.fees.makerBps, takerBps: v.fees.takerBps },
          },
          { quotes, fills, positions, trades, topOfBook },
          ctx.clock,
          ctx.status,
          (level, msg, fields = {}) => ctx.log[level](fields, msg),
        );
        const engine = new MatchingEngine(cfg, log);
        const quoter = engine.addLocalQuoter(v.userId, venue);
        engine.router.marketData = venue;
        let ports;
        try {
          ports = await engine.start();
        } catch (error) {
          log.error('cannot start', { error: error instanceof Error ? error.message : String(error) });
          ctx.log.flushAndClose();
          process.exit(1);
        }
        venue.start(quoter);
        // The engine's own counters (controls, rejects by reason, disconnects) as Aeron counters, for `mm stat`.
        const counters = await ServiceCounters.create(ctx.addCounter, ctx.name, ctx.runtime.instanceId, EngineCounters.NAMES, ctx.clock);
        const counterValues = new Float64Array(EngineCounters.NAMES.length);
        log.info('listening', {
          tcpPort: ports.tcpPort, udpPort: ports.udpPort, threaded: cfg.threaded, mcast: cfg.mcast.enabled ? `${cfg.mcast.group}:${cfg.mcast.port}` : null,
          venue: true, userId: v.userId, symbols: symbols.map((x) => x.symbol).join(','), lastFillId: venue.lastFillId,
        });
        return {
          roleName: venue.roleName,
          doWork: () => {
            counters.update(engine.counters.values(counterValues));
            return venue.doWork();
          },
          async stop() {
            venue.stop();
            counters.close();
            await engine.stop();
            log.info('stopped', engine.counters.snapshot());
          },
        };
      },
    },
    { connect: aeronConnector },
  );
}

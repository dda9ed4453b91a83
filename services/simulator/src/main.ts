#!/usr/bin/env node
import { aeronConnector, loadSymbols, runService } from '@mm/runtime';
import { SimulatorAgent } from './SimulatorAgent.js';
import { simulatorSchema, toSimulatorSettings } from './SimulatorConfig.js';

await runService(
  {
    name: 'mm_simulator',
    configName: 'simulator',
    schema: simulatorSchema,
    async start(ctx) {
      const { symbols, overrides } = loadSymbols();
      let settings;
      try {
        settings = toSimulatorSettings(ctx.config, symbols, overrides);
      } catch (error) {
        // Same contract as schema errors: invalid configuration exits 78.
        process.stderr.write(`[simulator] config error: ${(error as Error).message}\n`);
        ctx.log.fatal({ err: error }, 'invalid simulator configuration');
        ctx.log.flushAndClose();
        process.exit(78);
      }
      const s = ctx.streams;
      const [quotes, books, trades, fills, positions] = await Promise.all([
        ctx.transport.addSubscription(s.quote.channel, s.quote.streamId),
        ctx.transport.addSubscription(s.book.channel, s.book.streamId),
        ctx.transport.addSubscription(s.trade.channel, s.trade.streamId),
        ctx.transport.addExclusivePublication(s.fill.channel, s.fill.streamId),
        ctx.transport.addExclusivePublication(s.position.channel, s.position.streamId),
      ]);
      const j = ctx.config.journal;
      const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => ctx.log[level](fields, msg);
      const agent = new SimulatorAgent(
        settings,
        { quotes, books, trades, fills, positions },
        {
          dir: j.dir,
          fsync: j.fsync === 'batch' ? { mode: 'batch', maxRecords: j.batchMaxRecords, maxDelayMs: j.batchMaxDelayMs } : { mode: 'every-record' },
          republishOnStart: j.republishOnStart,
        },
        ctx.clock,
        ctx.status,
        log,
      );
      agent.start();
      ctx.log.info({
        symbols: settings.symbols, queue: settings.queue, entryLatencyNs: settings.entryLatencyNs,
        cancelLatencyNs: settings.cancelLatencyNs, makerBps: settings.makerBps, takerBps: settings.takerBps, journal: j.dir,
      }, 'simulator started');
      return agent;
    },
  },
  { connect: aeronConnector },
);

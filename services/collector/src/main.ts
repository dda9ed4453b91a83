#!/usr/bin/env node
import { BinanceMarketDataClient } from '@mm/binance';
import { ServiceState } from '@mm/protocol';
import { aeronConnector, loadSymbols, runService } from '@mm/runtime';
import { collectorSchema } from './CollectorConfig.js';
import { CollectorPublisher } from './CollectorPublisher.js';

await runService(
  {
    name: 'mm_collector',
    configName: 'collector',
    schema: collectorSchema,
    async start(ctx) {
      const { symbols } = loadSymbols();
      const { book, trade } = ctx.streams;
      const [bookPub, tradePub] = await Promise.all([
        ctx.transport.addExclusivePublication(book.channel, book.streamId),
        ctx.transport.addExclusivePublication(trade.channel, trade.streamId),
      ]);
      const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => ctx.log[level](fields, msg);
      const publisher = new CollectorPublisher(symbols, ctx.config.book.levels, bookPub, tradePub, ctx.status, log);
      const b = ctx.config.binance;
      const client = new BinanceMarketDataClient({
        symbols,
        clock: ctx.clock,
        wsBaseUrl: b.wsUrl,
        restBaseUrl: b.restUrl,
        depthSpeed: b.depthSpeed,
        snapshotLimit: b.snapshotLimit,
        staleDataTimeoutMs: b.staleDataTimeoutMs,
        reconnectInitialMs: b.reconnectInitialMs,
        reconnectMaxMs: b.reconnectMaxMs,
        maxConnectionAgeMs: b.maxConnectionAgeMs,
        snapshotTimeoutMs: b.snapshotTimeoutMs,
        log: (level, message) => log(level, message),
      });
      ctx.status.setState(ServiceState.SYNCING, `connecting to ${b.wsUrl}`);
      await client.start(publisher);
      ctx.log.info({ symbols, ws: b.wsUrl, rest: b.restUrl, levels: ctx.config.book.levels }, 'collector started');
      return {
        roleName: 'collector',
        doWork: () => publisher.doWork(),
        stop: () => client.stop(),
      };
    },
  },
  { connect: aeronConnector },
);

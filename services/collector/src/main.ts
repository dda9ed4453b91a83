#!/usr/bin/env node
import { basename } from 'node:path';
import { BinanceMarketDataClient, Recorder, ReplaySource, type BinanceMarketDataSink } from '@mm/binance';
import type { MarketDataSource } from '@mm/runtime';
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
      const recorder = ctx.config.record.enabled ? new Recorder(ctx.config.record.dir, ctx.clock, symbols) : undefined;
      const src = ctx.config.source;
      let source: MarketDataSource<BinanceMarketDataSink>;
      if (src.kind === 'replay') {
        if (src.files.length === 0) throw new Error('source.kind = "replay" needs source.files');
        // A recording's inline REST snapshots belong to the symbol its file name starts with (btcusdt_20240808.gz).
        const files = src.files.map((path) => ({
          path, symbol: symbols.find((sym) => basename(path).toLowerCase().startsWith(sym.toLowerCase())),
        }));
        source = new ReplaySource({
          files: files.map((f) => (f.symbol ? { path: f.path, symbol: f.symbol } : { path: f.path })),
          symbols, clock: ctx.clock, pace: src.speed === 0 ? 'fast' : 'recorded', speed: src.speed || 1, autoPump: true,
        });
      } else {
        source = new BinanceMarketDataClient({
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
          ...(recorder ? { onRawFrame: (text: string, recvNs: number, sym: string) => recorder.write(text, recvNs, sym) } : {}),
          log: (level, message) => log(level, message),
        });
      }
      ctx.status.setState(ServiceState.SYNCING, src.kind === 'replay' ? `replaying ${src.files.length} file(s)` : `connecting to ${b.wsUrl}`);
      await source.start(publisher);
      ctx.log.info({ symbols, source: src.kind, ws: b.wsUrl, rest: b.restUrl, levels: ctx.config.book.levels, record: recorder ? ctx.config.record.dir : false }, 'collector started');
      return {
        roleName: 'collector',
        doWork: () => publisher.doWork(),
        stop: async () => {
          await source.stop();
          await recorder?.close();
        },
      };
    },
  },
  { connect: aeronConnector },
);

import { basename } from 'node:path';
import { BinanceMarketDataClient, ExchangeInfoPoller, Recorder, ReplaySource, type BinanceMarketDataSink } from '@mm/binance';
import type { MarketDataSource } from '@mm/runtime';
import { ServiceState } from '@mm/protocol';
import { loadSymbols, defineService } from '@mm/runtime';
import { collectorSchema } from './CollectorConfig.js';
import { CollectorPublisher } from './CollectorPublisher.js';
import { InstrumentPublisher } from './InstrumentPublisher.js';
import { resolveRecordingInstruments } from './RecordingInstruments.js';

/** The collector as a service definition: run alone by main.ts, or hosted with others by services/tick-path. */
export const collectorService = defineService({
  name: 'mm_collector',
  configName: 'collector',
  schema: collectorSchema,
  async start(ctx) {
    const { symbols, overrides, recorded } = loadSymbols();
    const { book, trade, instrument } = ctx.streams;
    const [bookPub, tradePub, instrumentPub] = await Promise.all([
      ctx.transport.addExclusivePublication(book.channel, book.streamId),
      ctx.transport.addExclusivePublication(trade.channel, trade.streamId),
      ctx.transport.addExclusivePublication(instrument.channel, instrument.streamId),
    ]);
    const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => ctx.log[level](fields, msg);
    const publisher = new CollectorPublisher(symbols, ctx.config.book.levels, bookPub, tradePub, ctx.status, log, ctx.config.book.bookTicker);
    const instruments = new InstrumentPublisher(symbols, overrides, instrumentPub, ctx.config.instrument.republishIntervalMs * 1e6,
      () => ctx.clock.nanoTime(), log, (symbol, trading, reason) => publisher.onTradingStatus(symbol, trading, reason));
    try {
      instruments.applyFullOverrides();
    } catch (error) {
      // An override that cannot be a 1e-8 size (e.g. finer than 1e-8, or a zero tick): a configuration error.
      process.stderr.write(`[collector] config error: ${(error as Error).message}\n`);
      ctx.log.fatal({}, `config error: ${(error as Error).message}`);
      ctx.log.flushAndClose();
      process.exit(78);
    }
    const b = ctx.config.binance;
    const recorder = ctx.config.record.enabled
      ? new Recorder(ctx.config.record.dir, ctx.clock, symbols, (message) => log('error', message, { event: 'recorder' }))
      : undefined;
    const src = ctx.config.source;
    let source: MarketDataSource<BinanceMarketDataSink>;
    // A recording's inline REST snapshots belong to the symbol its file name starts with (btcusdt_20240808.gz).
    const files = src.files.map((path) => ({
      path, symbol: symbols.find((sym) => basename(path).toLowerCase().startsWith(sym.toLowerCase())),
    }));
    if (src.kind === 'replay') {
      if (src.files.length === 0) throw new Error('source.kind = "replay" needs source.files');
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
        banBackoffMs: b.banBackoffMs,
        ...(ctx.config.book.bookTicker ? { extraStreams: symbols.map((sym) => `${sym.toLowerCase()}@bookTicker`) } : {}),
        ...(recorder ? { onRawFrame: (text: string, recvNs: number, sym: string) => recorder.write(text, recvNs, sym) } : {}),
        log: (level, message) => log(level, message),
      });
    }
    let started = false;
    const startSource = async (): Promise<void> => {
      if (started) return;
      started = true;
      ctx.status.setState(ServiceState.SYNCING, src.kind === 'replay' ? `replaying ${src.files.length} file(s)` : `connecting to ${b.wsUrl}`);
      await source.start(publisher);
      ctx.log.info({ symbols, source: src.kind, ws: b.wsUrl, rest: b.restUrl, levels: ctx.config.book.levels, bookTicker: ctx.config.book.bookTicker, record: recorder ? ctx.config.record.dir : false }, 'collector started');
    };
    let poller: ExchangeInfoPoller | undefined;
    if (src.kind === 'replay') {
      // A replay must not talk to Binance: overrides > the recording's exchangeInfo snapshot > [recorded.X].
      // A symbol without one still replays its books (pricing runs), reported not trading; a bad file is fatal.
      let resolved;
      try {
        resolved = resolveRecordingInstruments({
          symbols, overrides, recorded, files, ...(src.exchangeInfo !== '' ? { exchangeInfoFile: src.exchangeInfo } : {}),
        });
      } catch (error) {
        process.stderr.write(`[collector] config error: ${(error as Error).message}\n`);
        ctx.log.fatal({}, `config error: ${(error as Error).message}`);
        ctx.log.flushAndClose();
        process.exit(78);
      }
      for (const [symbol, r] of resolved.resolved) {
        ctx.log.info({ symbol, source: r.source }, `${symbol}: replay instrument from ${r.source}`);
        instruments.applyInstrument(r.instrument, r.problems);
      }
      for (const message of resolved.missing) log('error', message, { event: 'instrument' });
      instruments.reportMissing('a replay fetches no exchangeInfo');
      await startSource();
    } else {
      // Instruments before books: consumers learn tick and step first. Full overrides need no fetch to start.
      poller = new ExchangeInfoPoller({
        restUrl: b.restUrl, symbols, refreshMs: b.exchangeInfoRefreshS * 1000, timeoutMs: b.snapshotTimeoutMs, banBackoffMs: b.banBackoffMs,
        retryInitialMs: b.reconnectInitialMs, retryMaxMs: b.reconnectMaxMs,
        onInfo: (info, fetchTimeMs, body) => {
          instruments.applyExchangeInfo(info, fetchTimeMs);
          recorder?.setExchangeInfo(body);
          startSource().catch((e: unknown) => log('error', `market data source failed to start: ${(e as Error).message}`));
        },
        onProblem: (message, retryInMs) => {
          log('warn', `${message}; retrying in ${Math.round(retryInMs)} ms${started ? ' (keeping the last instruments)' : ' (books wait for it)'}`, { event: 'exchange-info' });
          if (!started) ctx.status.setState(ServiceState.SYNCING, `exchangeInfo unavailable, retrying: ${message}`);
        },
      });
      if (instruments.complete) await startSource();
      else ctx.status.setState(ServiceState.SYNCING, `fetching exchangeInfo from ${b.restUrl}`);
      poller.start();
    }
    return {
      roleName: 'collector',
      doWork: () => publisher.doWork() + instruments.doWork(),
      stop: async () => {
        poller?.stop();
        await source.stop();
        await recorder?.close();
      },
    };
  },
});

#!/usr/bin/env node
import { collectorService } from '@mm/collector';
import { pricingService } from '@mm/pricing';
import { aeronConnector, defineService, loadSymbols, runServices, WakingTransport, type ServiceDefinition } from '@mm/runtime';
import { strategyService } from '@mm/strategy';
import { Rehearsal } from './Rehearsal.js';
import { RehearsalTimer } from './RehearsalTimer.js';

/**
 * The tick's path in one process: collector → pricing → strategy, upstream first, in one duty cycle. A WebSocket frame
 * becomes a book on 10, a fair value on 14 and a quote on 15 within the collector's socket callback, with no process
 * to wake in between (that wake-up is most of the tick-to-quote latency of separate processes, see BENCHMARKS.md). Each
 * keeps its own TOML, log file, state, heartbeat and health; everything still flows over Aeron, so the simulator,
 * the engine, the dashboard and `mm stat` see the same streams. The cost: one service's crash or restart takes the
 * three down together, and fills and positions from other processes are read within the collector's
 * `[runtime.idle] max-park-ms` (the host parks on a timer because the collector's input is a socket).
 *
 * In a quiet market the host rehearses the path on scratch copies between real ticks (`[runtime.rehearsal]` of the
 * collector's TOML, see Rehearsal.ts), over private streams of its Aeron client; the collector's book publication
 * tells it that the market is live.
 */
let sawBook = false;
const collector = defineService({
  ...collectorService,
  start: (ctx) => {
    const bookStreamId = ctx.streams.book.streamId;
    const transport = new WakingTransport(ctx.transport, () => { sawBook = true; }, (streamId) => streamId === bookStreamId);
    return collectorService.start({ ...ctx, transport });
  },
});
const hosted: readonly ServiceDefinition[] = [collector, pricingService, strategyService];
await runServices(hosted, {
  connect: aeronConnector,
  hostName: 'mm_tick_path',
  host: ({ runtime, log, transport }) => {
    const intervalMs = runtime.rehearsal.intervalMs;
    if (intervalMs === 0) return undefined;
    const symbol = loadSymbols().symbols[0];
    if (symbol === undefined) return undefined;
    const timer = new RehearsalTimer(symbol, intervalMs, () => {
      const saw = sawBook;
      sawBook = false;
      return saw;
    }, (level, message, fields) => log[level](fields ?? {}, message), undefined, (s) => Rehearsal.create(s, { transport }));
    return () => timer.stop();
  },
});

#!/usr/bin/env node
import { collectorService } from '@mm/collector';
import { pricingService } from '@mm/pricing';
import { aeronConnector, runServices, type ServiceDefinition } from '@mm/runtime';
import { strategyService } from '@mm/strategy';

/**
 * The tick's path in one process: collector → pricing → strategy, upstream first, in one duty cycle. A WebSocket frame
 * becomes a book on 10, a fair value on 14 and a quote on 15 within the collector's socket callback, with no process
 * to wake in between (that wake-up is most of the tick-to-quote latency of separate processes, see BENCHMARKS.md). Each
 * keeps its own TOML, log file, state, heartbeat and health; everything still flows over Aeron, so the simulator,
 * the engine, the dashboard and `mm stat` see the same streams. The cost: one service's crash or restart takes the
 * three down together, and fills and positions from other processes are read within the collector's
 * `[runtime.idle] max-park-ms` (the host parks on a timer because the collector's input is a socket).
 */
const hosted: readonly ServiceDefinition[] = [collectorService, pricingService, strategyService];
await runServices(hosted, { connect: aeronConnector, hostName: 'mm_tick_path' });

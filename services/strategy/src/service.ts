import { resolve } from 'node:path';
import { ServiceState } from '@mm/protocol';
import { loadSymbols, defineService } from '@mm/runtime';
import { KillSwitchStore } from './KillSwitchStore.js';
import { StrategyAgent } from './StrategyAgent.js';
import { StrategyConfigError, strategySchema, toStrategySettings } from './StrategyConfig.js';

const EXIT_CONFIG = 78;

/** The strategy as a service definition: run alone by main.ts, or hosted with others by services/tick-path. */
export const strategyService = defineService({
  name: 'mm_strategy',
  configName: 'strategy',
  // Aeron is its only input (the kill-switch file is polled in the duty cycle): sleep on the doorbell when idle;
  // the park bound (10 ms) is how late a throttled quote or a staleness pull can be while idle.
  idle: { wait: 'doorbell', maxParkMs: 10 },
  schema: strategySchema,
  async start(ctx) {
    const { symbols, overrides } = loadSymbols();
    let settings;
    try {
      settings = toStrategySettings(ctx.config, symbols, ctx.clock.nanoTime(), overrides);
    } catch (error) {
      if (!(error instanceof StrategyConfigError)) throw error;
      process.stderr.write(`[strategy] config error: ${error.message}\n`);
      ctx.log.fatal({}, `config error: ${error.message}`);
      ctx.log.flushAndClose();
      process.exit(EXIT_CONFIG);
    }
    const s = ctx.streams;
    const calibrating = settings.symbols.some((x) => x.calibration !== undefined);
    const [pricing, fills, positions, states, heartbeats, trades, quotes, instruments] = await Promise.all([
      ctx.transport.addSubscription(s.pricing.channel, s.pricing.streamId),
      ctx.transport.addSubscription(s.fill.channel, s.fill.streamId),
      ctx.transport.addSubscription(s.position.channel, s.position.streamId),
      ctx.transport.addSubscription(s.state.channel, s.state.streamId),
      ctx.transport.addSubscription(s.heartbeat.channel, s.heartbeat.streamId),
      calibrating ? ctx.transport.addSubscription(s.trade.channel, s.trade.streamId) : Promise.resolve(undefined),
      ctx.transport.addExclusivePublication(s.quote.channel, s.quote.streamId),
      ctx.transport.addSubscription(s.instrument.channel, s.instrument.streamId),
    ]);
    const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => ctx.log[level](fields, msg);
    const store = new KillSwitchStore(resolve(settings.killSwitchFile), () => ctx.clock.epochMs());
    ctx.status.setState(ServiceState.SYNCING, 'waiting for pricing and position snapshots');
    const agent = new StrategyAgent(settings, { pricing, fills, positions, states, heartbeats, trades, instruments }, quotes, ctx.clock, ctx.status, store, log);
    ctx.log.info(
      { symbols, venue: settings.venue, model: ctx.config.model.kind, killSwitchFile: store.file, killSwitchEngaged: agent.killSwitchEngaged, calibrating },
      'strategy started',
    );
    return agent;
  },
});

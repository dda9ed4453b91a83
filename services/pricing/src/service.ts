import { ServiceState } from '@mm/protocol';
import { loadSymbols, defineService } from '@mm/runtime';
import { PricingAgent } from './PricingAgent.js';
import { pricingSchema } from './PricingServiceConfig.js';
import { toPricingConfig } from './toPricingConfig.js';

/** The pricing as a service definition: run alone by main.ts, or hosted with others by services/tick-path. */
export const pricingService = defineService({
  name: 'mm_pricing',
  configName: 'pricing',
  // Aeron is its only input: sleep on the doorbell when idle (woken by the collector's publications); the park
  // bound then only paces its own periodic duties, so it can be longer than a timer park's.
  idle: { wait: 'doorbell', maxParkMs: 10 },
  schema: pricingSchema,
  async start(ctx) {
    const { symbols, overrides } = loadSymbols();
    const s = ctx.streams;
    const [books, trades, states, out, instruments] = await Promise.all([
      ctx.transport.addSubscription(s.book.channel, s.book.streamId),
      ctx.transport.addSubscription(s.trade.channel, s.trade.streamId),
      ctx.transport.addSubscription(s.state.channel, s.state.streamId),
      ctx.transport.addExclusivePublication(s.pricing.channel, s.pricing.streamId),
      ctx.transport.addSubscription(s.instrument.channel, s.instrument.streamId),
    ]);
    const log = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void => ctx.log[level](fields, msg);
    // Tick: the symbols.toml override, else the instrument's (stream 20), default-tick-size until it is known.
    const perSymbol = symbols.map((symbol) => ({
      symbol, config: toPricingConfig(ctx.config, overrides[symbol]?.tickSize), fixedTick: overrides[symbol]?.tickSize !== undefined,
    }));
    const agent = new PricingAgent(perSymbol, books, trades, states, out, ctx.clock, ctx.status, log, instruments);
    ctx.status.setState(ServiceState.SYNCING, 'waiting for books');
    ctx.log.info({ symbols, method: ctx.config.fairValue.method }, 'pricing started');
    return agent;
  },
});

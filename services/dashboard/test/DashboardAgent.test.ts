import { describe, expect, it } from 'vitest';
import { ServiceState, Side, Venue } from '@mm/protocol';
import { InMemoryTransport, ManualClock, loadStreams, type Streams } from '@mm/runtime';
import { DashboardAgent, type DashboardDelta, type DashboardSink } from '../src/DashboardAgent.js';
import type { DashboardConfig } from '../src/DashboardConfig.js';
import { StreamPublishers } from './StreamPublishers.js';
import { testConfig } from './testConfig.js';

const streams: Streams = loadStreams({ env: {} });

class RecordingSink implements DashboardSink {
  clientCount = 1;
  readonly deltas: DashboardDelta[] = [];
  broadcast(text: string): void {
    this.deltas.push(JSON.parse(text) as DashboardDelta);
  }
}

async function setup(config: Partial<DashboardConfig> = {}, logCapacity = 1 << 16) {
  const transport = new InMemoryTransport({ logCapacity });
  const clock = new ManualClock(1_000_000_000, 1_700_000_000_000);
  const sink = new RecordingSink();
  const agent = await DashboardAgent.create({ config: testConfig(config), streams, transport, clock, sink });
  const pub = await StreamPublishers.create(transport, streams);
  return { transport, clock, sink, agent, pub };
}

describe('DashboardAgent', () => {
  it('shows the last message of every stream, exactly, and a newer message replaces it', async () => {
    const { agent, pub } = await setup();
    pub.pricing({ symbol: 'BTCUSDT', mid: 65000.125, fairValue: 65000.2, microPrice: 65000.15, sigma: 1.25 });
    pub.book({ symbol: 'BTCUSDT', bids: [['65000.12', '1.5'], ['65000.11', '2']], asks: [['65000.13', '0.25']] });
    pub.trade('BTCUSDT', '65000.13', '0.001', Side.BUY);
    pub.quote({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, bid: '64999.5', bidQty: '0.01', ask: '65000.75', askQty: '0.02' });
    pub.fill({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, side: Side.BUY, price: '64999.5', qty: '0.01', fee: '0.1', fillId: 1 });
    pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: '0.015', fees: '0.1', averagePrice: 64999.5,
      realizedPnl: 12.5, unrealizedPnl: -2.25 });
    agent.doWork();

    const view = agent.snapshot().data['BTCUSDT']!.view;
    expect(view).toMatchObject({
      mid: '65000.125', fair: '65000.20', micro: '65000.15', sigma: '1.25', mktBid: '65000.12', mktAsk: '65000.13',
      lastTrade: '0.001 @ 65000.13', bid: '64999.50', bidQty: '0.01', ask: '65000.75', askQty: '0.02',
      quoteStatus: 'live', position: '0.015', avgPrice: '64999.50', realizedPnl: '12.50', unrealizedPnl: '-2.25',
      fees: '0.10', pnl: '10.15', fills: '1', lastFill: 'BUY 0.01 @ 64999.50',
    });
    expect(agent.snapshot().data['ETHUSDT']!.view.mid).toBe('—');

    pub.pricing({ symbol: 'BTCUSDT', mid: 65001.005, fairValue: 65001 });
    pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: '-0.005', fees: '0.2', averagePrice: 65001,
      realizedPnl: 13, unrealizedPnl: 0 });
    agent.doWork();
    expect(agent.snapshot().data['BTCUSDT']!.view).toMatchObject({ mid: '65001.005', fair: '65001.00', position: '-0.005', pnl: '12.80' });
    expect(agent.stats().messages).toMatchObject({ pricing: 2, book: 1, trade: 1, quote: 1, fill: 1, position: 2 });
  });

  it('ignores quotes, fills and positions of the other venue, and symbols not configured', async () => {
    const { agent, pub } = await setup({ venue: 'engine' });
    pub.quote({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, bid: '1', bidQty: '1', ask: '2', askQty: '1' });
    pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: '1', fees: '0', averagePrice: 1, realizedPnl: 0, unrealizedPnl: 0 });
    pub.quote({ symbol: 'BTCUSDT', venue: Venue.ENGINE, bid: '3', bidQty: '1', ask: '4', askQty: '1' });
    pub.pricing({ symbol: 'XRPUSDT', mid: 1, fairValue: 1 });
    agent.doWork();
    const view = agent.snapshot().data['BTCUSDT']!.view;
    expect(view.bid).toBe('3.00');
    expect(view.position).toBe('—');
    expect(agent.stats()).toMatchObject({ otherVenue: 2, unknownSymbol: 1 });
  });

  it('shows a one-sided quote with the absent side as a dash, and pulled quotes as pulled', async () => {
    const { agent, pub } = await setup();
    pub.quote({ symbol: 'ETHUSDT', venue: Venue.SIMULATOR, bid: '3000.1', bidQty: '0.5', ask: '0', askQty: '0' });
    agent.doWork();
    expect(agent.snapshot().data['ETHUSDT']!.view).toMatchObject({ bid: '3000.10', ask: '—', quoteStatus: 'live' });
    pub.pullQuotes('ETHUSDT', Venue.SIMULATOR);
    agent.doWork();
    expect(agent.snapshot().data['ETHUSDT']!.view).toMatchObject({ bid: '—', ask: '—', quoteStatus: 'pulled' });
  });

  it('counts a malformed message and keeps reading', async () => {
    const { agent, pub } = await setup();
    expect(pub.offerRaw('pricing', new Uint8Array([5, 0, 1, 0, 184, 0, 0, 0, 1, 2, 3]))).toBeGreaterThanOrEqual(0);
    pub.pricing({ symbol: 'BTCUSDT', mid: 2, fairValue: 3 });
    expect(() => agent.doWork()).not.toThrow();
    expect(agent.stats().invalid).toBe(1);
    expect(agent.snapshot().data['BTCUSDT']!.view.mid).toBe('2.00');
  });

  it('never back-pressures a publisher while it is not polling (untethered), then shows the newest value', async () => {
    const { agent, pub } = await setup({}, 1024 * 4);
    for (let i = 0; i < 500; i++) pub.pricing({ symbol: 'BTCUSDT', mid: 100 + i, fairValue: 100 + i }); // throws on < 0
    pub.pricing({ symbol: 'BTCUSDT', mid: 7777, fairValue: 7778 });
    agent.doWork();
    expect(agent.snapshot().data['BTCUSDT']!.view.mid).toBe('7777.00');
  });

  it('pushes at most pushRateHz deltas a second, with one chart point per changed symbol', async () => {
    const { agent, pub, sink, clock } = await setup({ pushRateHz: 10 });
    agent.doWork(); // first push (nothing changed yet)
    expect(sink.deltas).toHaveLength(1);
    expect(sink.deltas[0]!.data).toEqual({});
    pub.pricing({ symbol: 'BTCUSDT', mid: 10, fairValue: 11 });
    for (let i = 0; i < 5; i++) agent.doWork();
    expect(sink.deltas).toHaveLength(1);
    clock.advanceNs(100_000_000);
    agent.doWork();
    expect(sink.deltas).toHaveLength(2);
    const d = sink.deltas[1]!;
    expect(Object.keys(d.data)).toEqual(['BTCUSDT']);
    expect(d.data['BTCUSDT']!.points).toEqual([[1_700_000_001_100, 10, 11, null, null, null, null]]);
    expect(d.data['BTCUSDT']!.pointsTotal).toBe(1);
    clock.advanceNs(100_000_000);
    agent.doWork();
    expect(sink.deltas[2]!.data).toEqual({}); // no change, no point
    expect(agent.snapshot().data['BTCUSDT']!.points).toHaveLength(1);
  });

  it('gives a new client the fills up to the last push, and the next delta the rest, without repeats', async () => {
    const { agent, pub, sink, clock } = await setup();
    pub.fill({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, side: Side.SELL, price: '10', qty: '1', fillId: 1 });
    agent.doWork();
    pub.fill({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, side: Side.BUY, price: '9', qty: '2', fillId: 2 });
    agent.doWork(); // read, not pushed yet
    const snap = agent.snapshot().data['BTCUSDT']!;
    expect(snap.fills.map((f) => f[1])).toEqual([10]);
    expect(snap.view.fills).toBe('2');
    clock.advanceNs(100_000_000);
    agent.doWork();
    const delta = sink.deltas.at(-1)!.data['BTCUSDT']!;
    expect(delta.fills.map((f) => [f[1], f[2], f[3]])).toEqual([[9, Side.BUY, 2]]);
    expect(delta.fillsTotal).toBe(2);
  });

  it('keeps service health from heartbeats and state changes, stale after the configured age', async () => {
    const { agent, pub, clock } = await setup({ heartbeatStaleMs: 3000 });
    pub.heartbeat({ service: 'mm_pricing', state: ServiceState.LIVE, messagesIn: 42, messagesOut: 41, errors: 1 });
    pub.state('mm_collector', ServiceState.SYNCING, 'fetching depth snapshot');
    pub.state('mm_collector', ServiceState.LIVE, 'book synced', 'BTCUSDT');
    agent.doWork();
    let health = agent.snapshot().health;
    expect(health.map((h) => [h.service, h.state, h.stale])).toEqual([
      ['mm_collector', 'SYNCING', true], ['mm_pricing', 'LIVE', false],
    ]);
    expect(health[0]).toMatchObject({ reason: 'fetching depth snapshot', symbols: 'BTCUSDT LIVE', heartbeatAgeMs: null });
    expect(health[1]).toMatchObject({ messagesIn: 42, messagesOut: 41, errors: 1, heartbeatAgeMs: 0 });
    clock.advanceNs(3_500_000_000);
    health = agent.snapshot().health;
    expect(health[1]).toMatchObject({ stale: true, heartbeatAgeMs: 3500 });
  });

  it('subscribes untethered to streams 10 to 17', async () => {
    const transport = new InMemoryTransport();
    const seen: [string, number, boolean | undefined][] = [];
    const spy = Object.assign(Object.create(transport) as InMemoryTransport, {
      addSubscription: (channel: string, streamId: number, options?: { untethered?: boolean }) => {
        seen.push([channel, streamId, options?.untethered]);
        return transport.addSubscription(channel, streamId, options);
      },
    });
    await DashboardAgent.create({ config: testConfig(), streams, transport: spy, clock: new ManualClock() });
    expect(seen.map((s) => s[1]).sort()).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    for (const [channel, , untethered] of seen) {
      expect(untethered).toBe(true);
      expect(channel).toMatch(/[?|]tether=false/);
    }
  });
});

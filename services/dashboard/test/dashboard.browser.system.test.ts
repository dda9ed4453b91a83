/// <reference lib="dom" />
/**
 * The dashboard in a real browser: Debian's Chromium (headless, driven by playwright-core) against the dashboard
 * running in-process on the in-memory transport. Asserts that each displayed number equals the last message
 * published on its stream, that a newer message changes it, that the canvas charts received and drew points, and
 * saves a screenshot to test/artifacts/dashboard.png.
 *
 * Needs /usr/bin/chromium (`apt-get update && apt-get install -y chromium`, the .ci/system-deps step).
 * Run: `pnpm build && MM_TEST_TIERS=system node scripts/test.mjs services/dashboard`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ServiceState, Side, Venue } from '@mm/protocol';
import { AgentRunner, InMemoryTransport, SystemClock, loadStreams } from '@mm/runtime';
import { waitFor } from '@mm/test-support';
import { startDashboard, type RunningDashboard } from '../src/Dashboard.js';
import { StreamPublishers } from './StreamPublishers.js';
import { testConfig } from './testConfig.js';

const CHROMIUM = process.env.MM_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));
const DEADLINE_MS = 15_000;

let dashboard: RunningDashboard;
let runner: AgentRunner;
let pub: StreamPublishers;
let context: BrowserContext;
let page: Page;
let profileDir: string;

/** Waits until the element with this data-testid shows exactly `text`; fails naming what it showed instead. */
async function expectShown(testId: string, text: string): Promise<void> {
  try {
    await page.waitForFunction(
      ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === want,
      [testId, text] as const,
      { timeout: DEADLINE_MS },
    );
  } catch {
    const shown = await page.locator(`[data-testid="${testId}"]`).textContent().catch(() => null);
    throw new Error(`[data-testid="${testId}"] shows ${JSON.stringify(shown)}, expected ${JSON.stringify(text)}`);
  }
}

/** Waits until the agent has turned everything published so far into a chart point. */
async function waitForPoint(symbol: string, before: number): Promise<void> {
  await waitFor(() => dashboard.agent.symbolState(symbol)!.series.total > before, { timeoutMs: DEADLINE_MS, what: `a chart point for ${symbol}` });
}

describe('dashboard in headless Chromium', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: install it with "apt-get update && apt-get install -y chromium"`);
    }
    const transport = new InMemoryTransport();
    dashboard = await startDashboard({
      config: testConfig({ pushRateHz: 20, historyLength: 600 }),
      streams: loadStreams({ env: {} }),
      transport,
      clock: new SystemClock(),
    });
    runner = new AgentRunner(dashboard.agent, { onError: (e) => { throw e; } }).start();
    pub = await StreamPublishers.create(transport, loadStreams({ env: {} }));
    profileDir = mkdtempSync(join(tmpdir(), 'mm-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1400, height: 1000 },
    });
    page = context.pages()[0] ?? await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await runner?.close();
    await dashboard?.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('shows the last published values, follows new messages, draws charts and takes a screenshot', async () => {
    // A short history so the charts have something to draw: a drifting market with our quotes around it.
    let btcInventory = 0;
    for (let i = 0; i < 40; i++) {
      const before = dashboard.agent.symbolState('BTCUSDT')!.series.total;
      const mid = 65000 + 4 * Math.sin(i / 6) + i * 0.1;
      const m = Math.round(mid * 100) / 100;
      pub.pricing({ symbol: 'BTCUSDT', mid: m, fairValue: m + 0.3 * Math.cos(i / 4), sigma: 1.2 });
      pub.quote({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, bid: (m - 1.5).toFixed(2), bidQty: '0.01', ask: (m + 1.5).toFixed(2), askQty: '0.01' });
      pub.pricing({ symbol: 'ETHUSDT', mid: 3000 + i * 0.05, fairValue: 3000 + i * 0.05 + 0.02 });
      if (i % 7 === 3) {
        const buy = i % 14 === 3;
        btcInventory += buy ? 1 : -1;
        pub.fill({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, side: buy ? Side.BUY : Side.SELL,
          price: (buy ? m - 1.5 : m + 1.5).toFixed(2), qty: '0.01', fee: '0.001', fillId: i });
        pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: (btcInventory * 0.01).toFixed(2), fees: '0.01',
          averagePrice: m, realizedPnl: i * 0.05, unrealizedPnl: 0.1 * Math.sin(i) });
      }
      await waitForPoint('BTCUSDT', before);
    }

    // The values the page must show: the last message of each stream.
    const before = dashboard.agent.symbolState('BTCUSDT')!.series.total;
    for (const service of ['mm_collector', 'mm_pricing', 'mm_strategy', 'mm_simulator']) {
      pub.heartbeat({ service, state: ServiceState.LIVE, reason: 'running', messagesIn: 1200, messagesOut: 1100 });
    }
    pub.state('mm_collector', ServiceState.LIVE, 'book synced', 'BTCUSDT');
    pub.book({ symbol: 'BTCUSDT', bids: [['65004.12', '1.5']], asks: [['65004.13', '0.7']] });
    pub.pricing({ symbol: 'BTCUSDT', mid: 65004.125, fairValue: 65004.2, sigma: 1.25 });
    pub.quote({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, bid: '65002.5', bidQty: '0.01', ask: '65005.75', askQty: '0.02' });
    pub.quote({ symbol: 'BTCUSDT', venue: Venue.ENGINE, bid: '1', bidQty: '1', ask: '2', askQty: '1' }); // other venue: ignored
    pub.fill({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, side: Side.BUY, price: '65002.5', qty: '0.01', fee: '0.1', fillId: 100 });
    pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: '0.015', fees: '0.1', averagePrice: 65002.5,
      realizedPnl: 12.5, unrealizedPnl: -2.25 });
    pub.position({ symbol: 'ETHUSDT', venue: Venue.SIMULATOR, quantity: '-1.2', fees: '0.05', averagePrice: 3001,
      realizedPnl: 3.5, unrealizedPnl: 0.25 });
    await waitForPoint('BTCUSDT', before);

    await page.goto(dashboard.url, { waitUntil: 'load', timeout: DEADLINE_MS });
    await expectShown('connection', 'live');
    await expectShown('mid-BTCUSDT', '65004.125');
    await expectShown('fair-BTCUSDT', '65004.20');
    await expectShown('bid-BTCUSDT', '65002.50');
    await expectShown('ask-BTCUSDT', '65005.75');
    await expectShown('askQty-BTCUSDT', '0.02');
    await expectShown('mktBid-BTCUSDT', '65004.12');
    await expectShown('position-BTCUSDT', '0.015');
    await expectShown('pnl-BTCUSDT', '10.15'); // 12.5 − 2.25 − 0.1 fees
    await expectShown('lastFill-BTCUSDT', 'BUY 0.01 @ 65002.50');
    await expectShown('position-ETHUSDT', '-1.2');
    await expectShown('pnl-ETHUSDT', '3.70');
    await expectShown('health-state-mm_pricing-0', 'LIVE');

    // The page and the snapshot API agree.
    const api = (await (await fetch(new URL('api/snapshot', dashboard.url))).json()) as { data: Record<string, { view: Record<string, string> }> };
    expect(api.data['BTCUSDT']!.view['mid']).toBe('65004.125');

    // New messages change the numbers shown.
    pub.pricing({ symbol: 'BTCUSDT', mid: 65010.5, fairValue: 65010.75 });
    pub.quote({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, bid: '65009', bidQty: '0.01', ask: '65012.01', askQty: '0.01' });
    pub.position({ symbol: 'BTCUSDT', venue: Venue.SIMULATOR, quantity: '0.025', fees: '0.2', averagePrice: 65005,
      realizedPnl: 12.5, unrealizedPnl: 5.5 });
    await expectShown('mid-BTCUSDT', '65010.50');
    await expectShown('fair-BTCUSDT', '65010.75');
    await expectShown('bid-BTCUSDT', '65009.00');
    await expectShown('ask-BTCUSDT', '65012.01');
    await expectShown('position-BTCUSDT', '0.025');
    await expectShown('pnl-BTCUSDT', '17.80');

    // The charts received the history and drew it.
    const held = dashboard.agent.symbolState('BTCUSDT')!.series.size;
    for (const chart of ['price', 'position', 'pnl']) {
      await page.waitForFunction(
        ([id, min]) => {
          const c = document.querySelector(`[data-testid="${id}"]`) as HTMLCanvasElement | null;
          return c !== null && Number(c.dataset['drawnPoints']) >= min && Number(c.dataset['draws']) > 0;
        },
        [`chart-${chart}-BTCUSDT`, held] as const,
        { timeout: DEADLINE_MS },
      );
    }
    const fillsShown = await page.locator('[data-testid="chart-price-BTCUSDT"]').getAttribute('data-fills');
    expect(Number(fillsShown)).toBe(dashboard.agent.symbolState('BTCUSDT')!.fills.size);
    // A drawn chart is not blank: count non-background pixels of the price chart.
    const inked = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="chart-price-BTCUSDT"]') as HTMLCanvasElement;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(2000);

    // Fresh heartbeats, so the screenshot shows the health table as it looks in a running system.
    for (const service of ['mm_collector', 'mm_pricing', 'mm_strategy', 'mm_simulator']) {
      pub.heartbeat({ service, state: ServiceState.LIVE, reason: 'running', messagesIn: 1300, messagesOut: 1200, uptimeNs: 6e9 });
    }
    await expectShown('health-state-mm_simulator-0', 'LIVE');

    mkdirSync(ARTIFACTS, { recursive: true });
    const shot = join(ARTIFACTS, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
  });
});

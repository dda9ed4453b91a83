import { describe, expect, it } from 'vitest';
import { ServiceState } from '@mm/protocol';
import { figures, LOG_NAME, SERVICES, useFaultRig } from './rig.js';


/** A short IP ban (config `[binance] ban-backoff-ms`) so the test sees it end. */
const BAN_MS = 5000;
/**
 * Binance faults from the fake exchange during a run of the whole pipeline: disconnects, gaps, malformed and unknown
 * frames, 429 and 418 on the snapshot, stale snapshots and a snapshot that never arrives. Throughout, every book on
 * 10 must equal the exchange's true book at its update id; while a symbol is not live at the collector the
 * strategy pulls its quotes and sends none until the symbol is live again; the other symbol keeps quoting.
 */
describe('fault: Binance faults during a run', () => {
  const rig = useFaultRig();

  it('never publishes a wrong book, pulls quotes while a symbol is not live and quotes again once it is', async () => {
    const { fake: f, sys, output, events, sup, watcher: w } = await rig.startFlowingPipeline(41, SERVICES, { MM_COLLECTOR__BINANCE__BAN_BACKOFF_MS: String(BAN_MS) });
    await w.until('both symbols quoted', () => w.quotesOf('BTCUSDT') >= 10 && w.quotesOf('ETHUSDT') >= 10, 60_000, output);

    // Short faults: each must end with both symbols' books flowing again, still equal to the exchange's.
    const recovery: Record<string, number> = {};
    const fault = async (name: string, inject: () => void): Promise<void> => {
      const before = { btc: w.booksOf('BTCUSDT'), eth: w.booksOf('ETHUSDT') };
      const at = Date.now();
      inject();
      await w.until(`books flowing after ${name}`, () => w.booksOf('BTCUSDT') > before.btc + 20 && w.booksOf('ETHUSDT') > before.eth + 20, 20_000, output);
      recovery[name] = Date.now() - at;
    };
    await fault('abrupt disconnect', () => f.disconnectAll(true));
    await fault('clean disconnect', () => f.disconnectAll(false));
    await fault('gap of 3 events', () => f.injectGap('BTCUSDT', 3));
    await fault('malformed and unknown frames', () => { for (let i = 0; i < 20; i++) { f.sendMalformed(); f.sendUnknownEvent(); } f.sendRaw('\u0000\u00ff garbage'); });
    await fault('stale snapshot after a gap', () => { f.serveStaleSnapshots(2); f.injectGap('ETHUSDT', 1); });
    await fault('429 on the snapshot after a gap', () => { f.failWith429(2, 1); f.injectGap('BTCUSDT', 1); });
    await fault('server shutdown notice', () => f.sendServerShutdown());
    expect(f.stats.rejected429).toBeGreaterThanOrEqual(2);
    for (const rejected of f.requestLog.filter((r) => r.status === 429)) {
      // Retry-After (1 s) is honoured: no snapshot request sooner than that after a rejection.
      const next = f.requestLog.find((r) => r.path.includes('/api/v3/depth') && r.atMs > rejected.atMs);
      if (next) expect(next.atMs - rejected.atMs, `request after a ${rejected.status}`).toBeGreaterThanOrEqual(900);
    }

    // A snapshot that never arrives: BTCUSDT stays not live well past the strategy's staleness bounds.
    const stateMark = w.states.length;
    const ethQuotesBefore = w.quotesOf('ETHUSDT');
    f.setSnapshotDelayMs(20_000);
    f.injectGap('BTCUSDT', 1);
    const notLive = (): { atMs: number } | undefined => w.states.slice(stateMark).find((s) =>
      s.service === LOG_NAME.collector && s.symbol === 'BTCUSDT' && s.state !== ServiceState.LIVE);
    await w.until('BTCUSDT not live at the collector', () => notLive() !== undefined, 10_000, output);
    const downAt = notLive()!.atMs;
    const pulled = (): { atMs: number } | undefined => w.quoteLog.find((q) => q.kind === 'pull' && q.atMs >= downAt && (q.all || q.symbol === 'BTCUSDT'));
    await w.until('BTCUSDT quotes pulled', () => pulled() !== undefined, 10_000, output);
    const pullMs = pulled()!.atMs - downAt;
    // Stays down for 3 s more while ETHUSDT keeps quoting.
    const holdUntil = Date.now() + 3000;
    await w.until('ETHUSDT quoting through the BTCUSDT outage', () => Date.now() >= holdUntil && w.quotesOf('ETHUSDT') > ethQuotesBefore + 5, 15_000, output);
    expect(w.states.slice(stateMark).some((s) => s.service === LOG_NAME.collector && s.symbol === 'BTCUSDT' && s.state === ServiceState.LIVE && s.atMs > downAt)).toBe(false);
    f.setSnapshotDelayMs(0);
    const liveAgain = (): { atMs: number } | undefined => w.states.slice(stateMark).find((s) =>
      s.service === LOG_NAME.collector && s.symbol === 'BTCUSDT' && s.state === ServiceState.LIVE && s.atMs > downAt);
    await w.until('BTCUSDT live again', () => liveAgain() !== undefined, 20_000, output);
    const upAt = liveAgain()!.atMs;
    await w.until('BTCUSDT quoted again', () => w.quoteLog.some((q) => q.kind === 'quote' && q.symbol === 'BTCUSDT' && q.atMs >= upAt), 20_000, output);
    const resumeMs = w.quoteLog.find((q) => q.kind === 'quote' && q.symbol === 'BTCUSDT' && q.atMs >= upAt)!.atMs - upAt;
    const quotedWhileDown = w.quoteLog.filter((q) => q.kind === 'quote' && q.symbol === 'BTCUSDT' && q.atMs > pulled()!.atMs && q.atMs < upAt).length;

    expect(quotedWhileDown, 'BTCUSDT quotes between the pull and the symbol being live again').toBe(0);

    // 418 (IP ban) on a resync: the collector blocks every snapshot request for max(Retry-After, ban-backoff-ms)
    // (120 s shipped, BAN_MS here), so ETHUSDT is not live meanwhile: its quotes are pulled and no request goes out;
    // after the ban it resyncs and is quoted again.
    const banMark = w.states.length;
    const depthRequestsBefore = f.stats.depthRequests;
    f.failWith418(1, 1);
    f.injectGap('ETHUSDT', 1);
    await w.until('the 418', () => f.stats.rejected418 === 1, 10_000, output);
    const bannedAt = Date.now();
    const ethDown = (): { atMs: number } | undefined => w.states.slice(banMark).find((s) =>
      s.service === LOG_NAME.collector && s.symbol === 'ETHUSDT' && s.state !== ServiceState.LIVE);
    await w.until('ETHUSDT not live', () => ethDown() !== undefined, 10_000, output);
    const ethPulled = (): { atMs: number } | undefined => w.quoteLog.find((q) => q.kind === 'pull' && q.atMs >= ethDown()!.atMs && (q.all || q.symbol === 'ETHUSDT'));
    await w.until('ETHUSDT quotes pulled', () => ethPulled() !== undefined, 10_000, output);
    const btcBooks = w.booksOf('BTCUSDT');
    await w.until('3 s of ban with BTCUSDT books flowing', () => Date.now() - bannedAt > 3000 && w.booksOf('BTCUSDT') > btcBooks + 20, 15_000, output);
    expect(f.stats.depthRequests - depthRequestsBefore, 'snapshot requests: the banned one only').toBe(1);
    const ethLiveAgain = (): { atMs: number } | undefined => w.states.slice(banMark).find((st) =>
      st.service === LOG_NAME.collector && st.symbol === 'ETHUSDT' && st.state === ServiceState.LIVE && st.atMs > ethDown()!.atMs);
    expect(w.quoteLog.filter((q) => q.kind === 'quote' && q.symbol === 'ETHUSDT' && q.atMs > ethPulled()!.atMs && q.atMs < (ethLiveAgain()?.atMs ?? Infinity)).length, 'ETHUSDT quotes while banned').toBe(0);
    await w.until('ETHUSDT live again once the ban is over', () => ethLiveAgain() !== undefined, BAN_MS + 15_000, output);
    expect(ethLiveAgain()!.atMs - bannedAt, 'ETHUSDT resynced no earlier than the ban allows').toBeGreaterThanOrEqual(BAN_MS - 1000);
    expect(f.stats.depthRequests - depthRequestsBefore, 'snapshot requests resumed after the ban').toBeGreaterThan(1);
    await w.until('ETHUSDT quoted again after the ban', () =>
      w.quoteLog.some((q) => q.kind === 'quote' && q.symbol === 'ETHUSDT' && q.atMs >= ethLiveAgain()!.atMs), 20_000, output);
    expect(w.violations.slice(0, 5)).toEqual([]);
    for (const n of SERVICES.map((s) => LOG_NAME[s])) expect(w.states.some((s) => s.service === n && s.state === ServiceState.HALTED), `${n} halted`).toBe(false);
    expect(events.filter((e) => e.event === 'exited'), 'no service exited').toEqual([]);
    figures('binance-faults', {
      recoveryMs: recovery, booksChecked: w.booksChecked, rejected429: f.stats.rejected429, rejected418: f.stats.rejected418,
      snapshotNeverArrives: { pullAfterNotLiveMs: pullMs, outageMs: upAt - downAt, quoteAfterLiveMs: resumeMs, quotesWhileDown: quotedWhileDown },
      ban418: { pullAfterNotLiveMs: ethPulled()!.atMs - ethDown()!.atMs, requestsDuringBan: f.stats.depthRequests - depthRequestsBefore - 1 },
      violations: w.violations.length,
    });
  });
});

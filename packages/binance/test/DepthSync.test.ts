import { describe, expect, it } from 'vitest';
import { DepthResult, DepthSync, SnapshotResult, SyncState, type DepthSyncListener } from '../src/DepthSync.js';
import { DepthSnapshot, DepthUpdate } from '../src/MarketEvents.js';

function ev(U: number, u: number, bids: [number, number][] = [], asks: [number, number][] = []): DepthUpdate {
  const e = new DepthUpdate();
  e.symbol = 'BTCUSDT';
  e.firstUpdateId = U;
  e.finalUpdateId = u;
  for (const [p, q] of bids) e.bids.push(p, q);
  for (const [p, q] of asks) e.asks.push(p, q);
  return e;
}

function snap(id: number, bids: [number, number][] = [[100, 1]], asks: [number, number][] = [[200, 1]]): DepthSnapshot {
  const s = new DepthSnapshot();
  s.lastUpdateId = id;
  for (const [p, q] of bids) s.bids.push(p, q);
  for (const [p, q] of asks) s.asks.push(p, q);
  return s;
}

function harness(maxBuffered?: number) {
  const log: string[] = [];
  const listener: DepthSyncListener = {
    onSnapshotNeeded: () => log.push('need'),
    onApplied: (s, e) => log.push(`applied ${e.firstUpdateId}-${e.finalUpdateId}@${s.book.updateId}`),
    onLive: (s) => log.push(`live ${s.book.updateId}`),
    onGap: (_s, exp, got) => log.push(`gap ${exp}/${got}`),
  };
  const sync = new DepthSync('BTCUSDT', listener, maxBuffered);
  return { sync, log };
}

describe('DepthSync (documented spot algorithm)', () => {
  it('clean sync: buffers, asks once, drops u <= lastUpdateId, applies the event straddling lastUpdateId+1', () => {
    const { sync, log } = harness();
    expect(sync.onDepth(ev(1, 5))).toBe(DepthResult.BUFFERED);
    expect(sync.onDepth(ev(6, 8))).toBe(DepthResult.BUFFERED);
    expect(sync.onDepth(ev(9, 12, [[101, 2]]))).toBe(DepthResult.BUFFERED);
    expect(log).toEqual(['need']);
    expect(sync.onSnapshot(snap(10))).toBe(SnapshotResult.APPLIED);
    expect(sync.state).toBe(SyncState.LIVE);
    expect(log).toEqual(['need', 'live 10', 'applied 9-12@12']);
    expect(sync.book.bestBidPrice()).toBe(101);
    expect(sync.onDepth(ev(13, 13, [[101, 0]]))).toBe(DepthResult.APPLIED);
    expect(sync.book.bestBidPrice()).toBe(100);
    expect(sync.bufferedCount).toBe(0);
  });

  it('the first kept event may start exactly at lastUpdateId+1', () => {
    const { sync, log } = harness();
    sync.onDepth(ev(5, 7));
    sync.onDepth(ev(8, 9));
    expect(sync.onSnapshot(snap(7))).toBe(SnapshotResult.APPLIED);
    expect(log).toEqual(['need', 'live 7', 'applied 8-9@9']);
  });

  it('snapshot older than the first buffered U → asks again (step 4), keeps buffering', () => {
    const { sync, log } = harness();
    sync.onDepth(ev(100, 105));
    expect(sync.onSnapshot(snap(98))).toBe(SnapshotResult.TOO_OLD);
    expect(sync.state).toBe(SyncState.SYNCING);
    expect(log).toEqual(['need', 'need']);
    sync.onDepth(ev(106, 110));
    // The doc's rule is "strictly less than U": lastUpdateId = U-1 is still refetched.
    expect(sync.onSnapshot(snap(99))).toBe(SnapshotResult.TOO_OLD);
    expect(sync.onSnapshot(snap(100))).toBe(SnapshotResult.APPLIED);
    expect(log.slice(3)).toEqual(['live 100', 'applied 100-105@105', 'applied 106-110@110']);
    expect(sync.snapshotsTooOld).toBe(2);
  });

  it('snapshot newer than everything buffered: all dropped, LIVE at lastUpdateId, later stale events ignored', () => {
    const { sync, log } = harness();
    sync.onDepth(ev(1, 3));
    sync.onDepth(ev(4, 6));
    expect(sync.onSnapshot(snap(20))).toBe(SnapshotResult.APPLIED);
    expect(log).toEqual(['need', 'live 20']);
    expect(sync.onDepth(ev(7, 20))).toBe(DepthResult.STALE); // u <= id
    expect(sync.onDepth(ev(15, 21))).toBe(DepthResult.APPLIED); // contains id+1
    expect(sync.book.updateId).toBe(21);
  });

  it('u <= id is dropped (duplicates from an overlapping connection)', () => {
    const { sync } = harness();
    sync.onDepth(ev(1, 5));
    sync.onSnapshot(snap(5));
    expect(sync.onDepth(ev(6, 8))).toBe(DepthResult.APPLIED);
    expect(sync.onDepth(ev(6, 8))).toBe(DepthResult.STALE);
    expect(sync.onDepth(ev(1, 7))).toBe(DepthResult.STALE);
    expect(sync.onDepth(ev(9, 9))).toBe(DepthResult.APPLIED);
    expect([sync.stale, sync.applied]).toEqual([2, 2]);
  });

  it('U > id+1 in LIVE is a gap: book discarded, event buffered, new snapshot asked; U == id+1 is not', () => {
    const { sync, log } = harness();
    sync.onDepth(ev(1, 5));
    sync.onSnapshot(snap(5));
    expect(sync.onDepth(ev(6, 8))).toBe(DepthResult.APPLIED);
    expect(sync.onDepth(ev(10, 12))).toBe(DepthResult.GAP);
    expect(sync.state).toBe(SyncState.SYNCING);
    expect(sync.book.bids.count + sync.book.asks.count).toBe(0);
    expect(sync.firstBufferedId()).toBe(10);
    expect(log.slice(-2)).toEqual(['gap 9/10', 'need']);
    expect(sync.onDepth(ev(13, 14))).toBe(DepthResult.BUFFERED);
    expect(sync.onSnapshot(snap(9))).toBe(SnapshotResult.TOO_OLD);
    expect(sync.onSnapshot(snap(11))).toBe(SnapshotResult.APPLIED);
    expect(sync.book.updateId).toBe(14);
  });

  it('a gap inside the buffered events keeps the rest buffered and asks again', () => {
    const { sync, log } = harness();
    sync.onDepth(ev(1, 5));
    sync.onDepth(ev(6, 8));
    sync.onDepth(ev(12, 15));
    sync.onDepth(ev(16, 17));
    expect(sync.onSnapshot(snap(6))).toBe(SnapshotResult.GAP);
    expect(log).toEqual(['need', 'live 6', 'applied 6-8@8', 'gap 9/12', 'need']);
    expect(sync.state).toBe(SyncState.SYNCING);
    expect([sync.bufferedCount, sync.firstBufferedId()]).toEqual([2, 12]);
    expect(sync.onSnapshot(snap(14))).toBe(SnapshotResult.APPLIED);
    expect(log.slice(-3)).toEqual(['live 14', 'applied 12-15@15', 'applied 16-17@17']);
  });

  it('ignores snapshots when LIVE or when nothing is buffered', () => {
    const { sync } = harness();
    expect(sync.onSnapshot(snap(1))).toBe(SnapshotResult.IGNORED);
    sync.onDepth(ev(1, 2));
    sync.onSnapshot(snap(1));
    expect(sync.onSnapshot(snap(5))).toBe(SnapshotResult.IGNORED);
    expect(sync.book.updateId).toBe(2);
  });

  it('bounded buffer drops the oldest events; the sync then needs a snapshot ≥ the new first U', () => {
    const { sync } = harness(3);
    for (let i = 0; i < 10; i++) sync.onDepth(ev(i * 2 + 1, i * 2 + 2));
    expect([sync.bufferedCount, sync.firstBufferedId(), sync.bufferDrops]).toEqual([3, 15, 7]);
    expect(sync.onSnapshot(snap(14))).toBe(SnapshotResult.TOO_OLD);
    expect(sync.onSnapshot(snap(15))).toBe(SnapshotResult.APPLIED);
    expect(sync.book.updateId).toBe(20);
  });

  it('buffered copies are independent of the caller reusing its event holder', () => {
    const { sync } = harness();
    const e = ev(1, 2, [[150, 1]]);
    sync.onDepth(e);
    e.firstUpdateId = 3; e.finalUpdateId = 4; e.bids.count = 0; e.bids.push(160, 1);
    sync.onDepth(e);
    sync.onSnapshot(snap(1));
    expect([sync.book.bids.qtyOf(150), sync.book.bids.qtyOf(160), sync.book.updateId]).toEqual([1, 1, 4]);
  });

  it('top first: the listener sees the exact best levels before a deep change, which is applied even if it throws', () => {
    const seen: string[] = [];
    let fail = false;
    const sync = new DepthSync('BTCUSDT', {
      onSnapshotNeeded: () => {},
      onApplied: (s) => {
        seen.push(`${s.book.bids.priceAt(0)}/${s.book.bids.qtyOf(50)}@${s.book.updateId}`);
        if (fail) throw new Error('listener failed');
      },
      onLive: () => {},
      onGap: () => {},
    });
    sync.topDepth = 1;
    sync.onDepth(ev(1, 1));
    sync.onSnapshot(snap(1, [[100, 1], [99, 1], [98, 1], [50, 1]], [[200, 1]]));
    // 101 enters at the top; 50 (deep) goes: the listener reads the new top while 50 is still there.
    expect(sync.onDepth(ev(2, 2, [[101, 3], [50, 0]]))).toBe(DepthResult.APPLIED);
    expect(seen).toEqual(['101/1@2']);
    expect(sync.book.bids.qtyOf(50)).toBe(0);
    fail = true;
    expect(() => sync.onDepth(ev(3, 3, [[102, 1], [98, 0]]))).toThrow('listener failed');
    expect([sync.book.updateId, sync.book.bids.qtyOf(98), sync.book.bids.count]).toEqual([3, 0, 4]);
  });
});

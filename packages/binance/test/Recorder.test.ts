import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ManualClock } from '@mm/runtime';
import { Recorder } from '../src/Recorder.js';
import { ReplaySource } from '../src/ReplaySource.js';
import type { BinanceMarketDataSink } from '../src/MarketDataAdapter.js';

const depth = (U: number, u: number, bid: string): string =>
  `{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":${U},"u":${u},"b":[["${bid}","1.00000000"]],"a":[]}}`;

describe('Recorder + ReplaySource', () => {
  let dir = '';
  afterEach(() => { if (dir !== '') rmSync(dir, { recursive: true, force: true }); });

  it('writes hourly gzip files per symbol in the hftbacktest line format and replays them at recorded pace', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rec-'));
    // 2024-08-08 23:59:59.900 UTC at monotonic 5 s.
    const clock = new ManualClock(5e9, 1723161599900 - 5000);
    const rec = new Recorder(dir, clock, ['BTCUSDT']);
    rec.write(depth(1, 2, '100.0'), 5e9 + 1);
    rec.write('{"lastUpdateId":3,"bids":[["99.0","1.0"]],"asks":[]}', 5e9 + 50_000_000, 'BTCUSDT');
    rec.write(depth(3, 4, '101.0'), 5e9 + 150_000_123); // next UTC hour
    rec.write('{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}}', 5e9 + 160_000_000);
    await rec.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['btcusdt_20240808_23.gz', 'btcusdt_20240809_00.gz', 'misc_20240809_00.gz']);
    const first = gunzipSync(readFileSync(join(dir, files[0]!))).toString().split('\n');
    expect(first[0]).toBe(`1723161599900000001 ${depth(1, 2, '100.0')}`);
    expect(first[1]).toBe('1723161599950000000 {"lastUpdateId":3,"bids":[["99.0","1.0"]],"asks":[]}');
    const second = gunzipSync(readFileSync(join(dir, files[1]!))).toString();
    expect(second).toBe(`1723161600050000123 ${depth(3, 4, '101.0')}\n`);

    const replayClock = new ManualClock(1e9);
    const seen: number[] = [];
    const sink: BinanceMarketDataSink = { onBook(book) { seen.push(book.updateId); }, onTrade() {} };
    const replay = new ReplaySource({
      files: files.map((f) => ({ path: join(dir, f), symbol: 'btcusdt' })), symbols: ['BTCUSDT'], pace: 'recorded', clock: replayClock,
    });
    await replay.start(sink);
    expect(replay.pump(1e9)).toBe(1); // the first line is due at once
    expect(replay.pump(1e9 + 49_999_998)).toBe(0); // offsets are from the first line (+1 ns)
    expect(replay.pump(1e9 + 49_999_999)).toBe(1); // snapshot: book live at 3
    expect(seen).toEqual([]);
    expect(replay.pump(1e9 + 150_000_121)).toBe(0);
    expect(replay.pump(1e9 + 150_000_122)).toBe(1);
    expect(seen).toEqual([4]);
    expect(replay.pump(Infinity)).toBe(1);
    expect(replay.finished).toBe(true);
    expect(replay.adapterOrNull!.counters.serverShutdowns).toBe(1);

    // Self-driven (autoPump) as fast as possible: same result without the owner calling pump.
    const auto: number[] = [];
    const fast = new ReplaySource({
      files: files.map((f) => ({ path: join(dir, f), symbol: 'btcusdt' })), symbols: ['BTCUSDT'], pace: 'fast',
      clock: new ManualClock(), autoPump: true,
    });
    await fast.start({ onBook(book) { auto.push(book.updateId); }, onTrade() {} });
    const deadline = Date.now() + 5000;
    while (!fast.finished && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await fast.stop();
    expect(fast.finished).toBe(true);
    expect(auto).toEqual([4]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ExclusivePublication } from '@mm/aeron-client';
import { AtomicBuffer } from '@mm/agrona';
import { ServiceState } from '@mm/protocol';
import { waitFor } from '@mm/test-support';
import { figures, LOG_NAME, SERVICES, tail, useFaultRig } from './rig.js';

const LONG = process.env.MM_FAULTS_LONG === '1';
/** Malformed messages per stream (8 streams). */
const PER_STREAM = LONG ? 50_000 : 2_500;
const STREAMS = [10, 11, 12, 13, 14, 15, 16, 17];
const CH = 'aeron:ipc?term-length=64k';

/** xorshift32: the same rogue traffic on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/**
 * Malformed variants of a real message: random bytes, truncations, an unknown template id, schema version 0 or
 * from the future, a block shorter than the template's, too many book levels. None can pass a checked decode.
 */
function malformed(stream: number, real: Uint8Array, r: () => number, out: AtomicBuffer): number {
  const kind = Math.floor(r() * 6);
  if (kind === 0 || real.length < 12) {
    const n = 1 + Math.floor(r() * 255);
    for (let i = 0; i < n; i++) out.bytes[i] = Math.floor(r() * 256);
    return n;
  }
  out.bytes.set(real, 0);
  switch (kind) {
    case 1: return 1 + Math.floor(r() * (real.length - 1));
    case 2: out.putUint16(0, 100 + Math.floor(r() * 60_000)); return real.length;
    case 3: out.putUint16(2, r() < 0.5 ? 0 : 2 + Math.floor(r() * 1000)); return real.length;
    case 4: out.putUint16(4, Math.floor(r() * 8)); return real.length;
    default: {
      // A book claiming more than 64 levels per side (counts at bytes 64/65); other templates: only the header.
      if (stream === 10) { out.bytes[64] = 65 + Math.floor(r() * 190); out.bytes[65] = 65 + Math.floor(r() * 190); return real.length; }
      return 8;
    }
  }
}

/**
 * A rogue publisher on every stream of the pipeline (10-17) while it runs: every consumer counts and logs what it
 * rejects (its heartbeat's error counter), nothing crashes or halts, and the pipeline's own outputs stay right
 * (books equal the exchange's, fills consecutive, positions equal the sum of fills) and keep flowing.
 */
describe('fault: bad input on every stream', () => {
  const rig = useFaultRig();

  it('rejects and counts random and truncated messages on 10-17 without a crash or corrupted state', async () => {
    const { fake, sys, output, events, sup, watcher: w } = await rig.startFlowingPipeline(51);
    await w.until('quotes, fills, and a real message on every stream', () =>
      w.twoSidedQuotes >= 20 && w.fillIds.length >= 3 && STREAMS.every((s) => w.captured.has(s)), 60_000, output);
    const consumers = ['mm_pricing', 'mm_strategy', 'mm_simulator'];
    await w.until('heartbeats of the consumers', () => consumers.every((c) => w.heartbeats.has(c)), 10_000, output);
    const errorsBefore = new Map(consumers.map((c) => [c, w.heartbeats.get(c)!.errors]));
    const linesBefore = new Map(consumers.map((c) => [c, output.get(c)?.length ?? 0]));
    const before = { quotes: w.twoSidedQuotes, fills: w.fillIds.length, positions: w.positionsChecked, books: w.booksChecked };

    const pubs: ExclusivePublication[] = [];
    for (const s of STREAMS) {
      const p = await w.aeron!.addExclusivePublication(CH, s);
      w.ignoreSessions.add(p.sessionId);
      pubs.push(p);
    }
    const r = rng(1234);
    const sent = STREAMS.map(() => 0);
    const lastRefusal = STREAMS.map(() => 0);
    /** A refused message's length per stream (its bytes stay in that stream's buffer), retried first. */
    const pending = STREAMS.map(() => -1);
    const bufs = STREAMS.map(() => AtomicBuffer.allocate(4096));
    const startedAt = Date.now();
    try {
      await waitFor(() => {
        w.poll();
        for (let i = 0; i < STREAMS.length; i++) {
          // A few per stream per turn, interleaved with the real traffic; a refused offer is retried next turn.
          for (let k = 0; k < 50 && sent[i]! < PER_STREAM; k++) {
            const len = pending[i]! >= 0 ? pending[i]! : malformed(STREAMS[i]!, w.captured.get(STREAMS[i]!)!, r, bufs[i]!);
            const result = pubs[i]!.offer(bufs[i]!, 0, len);
            if (result < 0) { pending[i] = len; lastRefusal[i] = result; break; }
            pending[i] = -1;
            sent[i]!++;
          }
        }
        return sent.every((n) => n >= PER_STREAM);
      }, { what: 'the rogue traffic sent', timeoutMs: LONG ? 300_000 : 40_000, intervalMs: 1 });
    } catch (error) {
      throw new Error(`${(error as Error).message}: sent ${sent.join(', ')}, last refusals ${lastRefusal.join(', ')}`);
    }
    const floodMs = Date.now() - startedAt;

    // The consumers counted rejects, and the pipeline still quotes, fills and publishes right books.
    // Every rogue message on a stream a consumer reads is counted as an error by it (heartbeats carry the count).
    const reads: Record<string, number> = { mm_pricing: 3 /* 10, 11, 13 */, mm_strategy: 5 /* 11, 12, 14, 16, 17 */, mm_simulator: 3 /* 10, 13, 15 */ };
    await w.until('consumers counting every reject', () => consumers.every((c) => (w.heartbeats.get(c)?.errors ?? 0) - errorsBefore.get(c)! >= reads[c]! * PER_STREAM), 15_000, output);
    await w.until('the pipeline flowing after the flood', () => w.twoSidedQuotes > before.quotes + 20 && w.booksChecked > before.books + 50 && w.positionsChecked > before.positions, 30_000, output);
    const rejected = Object.fromEntries(consumers.map((c) => [c, w.heartbeats.get(c)!.errors - errorsBefore.get(c)!]));
    const logged = Object.fromEntries(consumers.map((c) => [c, (output.get(c) ?? []).slice(linesBefore.get(c)).filter((l) => /malformed|invalid|bad|reject|undecodable/i.test(l)).length]));
    for (const c of consumers) expect(logged[c], `${c} logs what it rejects`).toBeGreaterThan(0);
    // Rate-limited logging: far fewer lines than rejected messages.
    for (const c of consumers) expect(logged[c]!).toBeLessThan(200);

    await w.until('fills of every position snapshot seen', () => (w.fillIds.at(-1) ?? 0) >= w.maxPositionFillId, 5_000, output);
    expect(w.violations.slice(0, 5), tail(output)).toEqual([]);
    expect(events.filter((e) => e.event === 'exited'), 'no service exited').toEqual([]);
    expect(w.states.filter((s) => s.state === ServiceState.HALTED).map((s) => `${s.service}: ${s.reason}`)).toEqual([]);
    for (const f of SERVICES) expect(sup.pidOf(LOG_NAME[f])).toBeDefined();
    figures('bad-input-streams', {
      perStream: PER_STREAM, streams: STREAMS, total: sent.reduce((a, b) => a + b, 0), floodMs, rejectedByService: rejected,
      logLines: logged, fillsAfter: w.fillIds.length, positionsChecked: w.positionsChecked, violations: w.violations.length,
    });
  });
});

import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { Aeron, Context } from '@mm/aeron-client';
import type { AtomicBuffer } from '@mm/agrona';
import { DecodeResult, MessageHeader, QuoteDecoder, TemplateId } from '@mm/protocol';
import type { Transport } from '@mm/runtime';
import { createTestSystem, startDriver, useProcessTeardown, waitFor } from '@mm/test-support';
import { Rehearsal, scratchStreamIds } from '../src/Rehearsal.js';

const ownDirs = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith(`mm-rehearsal-${process.pid}-`));

/**
 * The host's rehearsal over a real media driver: the scratch pipeline publishes and reads on private streams of the
 * host's Aeron client (so the Aeron offer and poll are rehearsed too) and nothing reaches the product's streams.
 */
describe('Rehearsal over Aeron (private streams of the host client)', () => {
  const teardown = useProcessTeardown();

  /** A driver and a client as the host has them; `subscriptionShift` moves every subscription to another stream id. */
  async function hostClient(subscriptionShift = 0): Promise<{ sys: ReturnType<typeof createTestSystem>; aeron: Aeron; transport: Transport }> {
    const sys = createTestSystem();
    await startDriver(sys);
    const aeron = teardown.add(await Aeron.connect(new Context({ aeronDir: sys.aeronDir, driverTimeoutMs: 2000 })));
    aeron.startConductorTimer(1);
    const transport: Transport = {
      addExclusivePublication: (channel, streamId) => aeron.addExclusivePublication(channel, streamId),
      addSubscription: (channel, streamId, options) => aeron.addSubscription(channel, streamId + subscriptionShift, options),
      doWork: () => aeron.doWork(),
      close: () => {},
    };
    return { sys, aeron, transport };
  }

  it('quotes on its private streams, never on the product streams, and closes them', async () => {
    const { sys, aeron, transport } = await hostClient();
    const ch = 'aeron:ipc?term-length=64k|tether=false';
    const product = await Promise.all(Array.from({ length: 11 }, (_, i) => aeron.addSubscription(ch, 10 + i)));
    const ids = scratchStreamIds();
    const scratchQuotes = await aeron.addSubscription(ch, ids.quote);
    const before = ownDirs().length;

    const r = await Rehearsal.create('BTCUSDT', { transport, env: sys.env, streamIds: ids });
    try {
      expect(ownDirs().length).toBe(before + 1);
      const primed = r.counters();
      expect(primed.quotes).toBeGreaterThan(0);
      // Stepped in bursts between event-loop turns, as the host does between ticks. A burst can outrun the driver
      // moving a 64 KiB term's limit, so some scratch books meet back pressure (how many depends on the machine's
      // load): every step is accounted for, and the path keeps pricing and quoting until the counts are reached.
      let stepped = 0;
      const since = (): { books: number; dropped: number; fairValues: number; quotes: number } => {
        const c = r.counters();
        return { books: c.books - primed.books, dropped: c.booksDropped - primed.booksDropped, fairValues: c.fairValues - primed.fairValues, quotes: c.quotes - primed.quotes };
      };
      await waitFor(() => {
        for (let i = 0; i < 10; i++, stepped++) r.step();
        const d = since();
        return d.books >= 200 && d.fairValues >= 200 && d.quotes >= 60;
      }, { what: '200 scratch books and fair values, 60 quotes', timeoutMs: 10_000, intervalMs: 1 });
      const d = since();
      expect(d.books + d.dropped).toBe(stepped);
      const c = r.counters();
      expect(c.steps - primed.steps).toBe(stepped);
      expect(c.fills).toBe(0);

      // The quotes went out on the private quote stream (an observer there reads them) ...
      const dec = new QuoteDecoder();
      let seen = 0;
      const onQuote = (b: AtomicBuffer, o: number, l: number): void => {
        if (MessageHeader.templateId(b, o) === TemplateId.QUOTE && dec.wrapChecked(b, o, l) === DecodeResult.OK && dec.symbol() === 'BTCUSDT') seen++;
      };
      await waitFor(() => { scratchQuotes.poll(onQuote, 1000); return seen >= 60; }, { what: 'scratch quotes on the private stream', timeoutMs: 5000 });
      // ... and no publication appeared on any product stream.
      expect(product.map((s) => s.imageCount())).toEqual(new Array(11).fill(0));
    } finally {
      r.close();
    }
    // Closed: the private publications are gone from the driver and the scratch dir is removed.
    await waitFor(() => scratchQuotes.imageCount() === 0, { what: 'the scratch quote publication closed', timeoutMs: 5000 });
    expect(ownDirs().length).toBe(before);
  });

  it('fails naming the streams when they do not connect in time', async () => {
    // Subscriptions that never see an image: the transport hands out subscriptions on other stream ids.
    const { sys, transport } = await hostClient(1_000_000);
    const before = ownDirs().length;
    await expect(Rehearsal.create('BTCUSDT', { transport, env: sys.env, connectTimeoutMs: 300 }))
      .rejects.toThrow(/scratch streams .* not connected within 300 ms/);
    expect(ownDirs().length).toBe(before);
  });
});

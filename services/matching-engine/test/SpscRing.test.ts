import { describe, expect, it } from 'vitest';
import { SpscRing } from '../src/SpscRing.js';
import { TokenBucket } from '../src/TokenBucket.js';

describe('SpscRing', () => {
  it('delivers records in order across many wrap-arounds and reports full and empty', () => {
    const producer = SpscRing.create(8);
    const consumer = new SpscRing(producer.sab, 8);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 1000; round++) {
      const burst = 1 + (round % 9);
      for (let i = 0; i < burst; i++) {
        let r = producer.claim();
        if (r < 0) {
          // Freed records reach the producer in batches: after the consumer commits, the ring is full only if
          // it really holds 8 unread records.
          consumer.commit();
          r = producer.claim();
          if (r < 0) {
            expect(next - expected).toBe(8);
            break;
          }
        }
        producer.i32[r] = next;
        producer.f64[(r >> 1) + 7] = next * 0.5;
        producer.advance();
        if (i % 3 === 2) producer.publish();
        next++;
      }
      producer.publish();
      const take = round % 5;
      for (let i = 0; i < take; i++) {
        const r = consumer.peek();
        if (r < 0) {
          expect(next).toBe(expected);
          break;
        }
        expect([consumer.i32[r], consumer.f64[(r >> 1) + 7]]).toEqual([expected, expected * 0.5]);
        consumer.release();
        expected++;
      }
    }
    expect(next).toBeGreaterThan(1000);
  });

  it('refuses a capacity that is not a power of two or a buffer of the wrong size', () => {
    expect(() => SpscRing.create(6)).toThrow(/power of two/);
    expect(() => new SpscRing(new SharedArrayBuffer(100), 8)).toThrow(/size/);
  });

  it('an async consumer park resolves at once when a record is already there', async () => {
    const ring = SpscRing.create(4);
    ring.claim();
    ring.advance();
    ring.publish();
    const consumer = new SpscRing(ring.sab, 4);
    await consumer.parkConsumerAsync(1000);
    expect(consumer.peek()).toBe(0);
  });
});

describe('TokenBucket', () => {
  it('allows the burst, then the rate, and counts refusals in a row', () => {
    const b = new TokenBucket(1000, 10, 0);
    let ok = 0;
    for (let i = 0; i < 15; i++) if (b.take(0)) ok++;
    expect(ok).toBe(10);
    expect(b.refusedInARow).toBe(5);
    expect(b.take(0.5)).toBe(false);
    expect(b.take(1.0)).toBe(true);
    expect(b.refusedInARow).toBe(0);
    expect(b.take(100)).toBe(true); // refilled, capped at the burst
    let again = 0;
    for (let i = 0; i < 20; i++) if (b.take(100)) again++;
    expect(again).toBe(9);
    expect(b.refillMs).toBe(10);
  });
});

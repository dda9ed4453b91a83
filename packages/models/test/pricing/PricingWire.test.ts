// Cross-package check without a package dependency: the engine's result must be writable by the pricing codec
// (protocol's sources are imported by path; models does not depend on @mm/protocol).
import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '../../../agrona/src/AtomicBuffer.js';
import { PricingCodec, PricingDecoder, PricingEncoder } from '../../../protocol/src/PricingCodec.js';
import { DecodeResult } from '../../../protocol/src/DecodeResult.js';
import { FAIR_VALUE_METHOD_NAMES, PRICING_FLAG_NAMES } from '../../../protocol/src/Enums.js';
import { PricingEngine } from '../../src/pricing/PricingEngine.js';
import { FairValueSource, PricingQuality } from '../../src/pricing/PricingResult.js';

describe('PricingResult on the wire', () => {
  it('has exactly the pricing message fields (sequence and symbol aside) and the same enum values', () => {
    const wire = PricingCodec.fields.filter((f) => !['sequence', 'symbol', 'padding'].includes(f.name)).map((f) => f.name);
    expect(Object.keys(new PricingEngine().result).sort()).toEqual(wire.sort());
    for (const [bit, name] of Object.entries(PRICING_FLAG_NAMES)) expect(PricingQuality[name as keyof typeof PricingQuality]).toBe(Number(bit));
    for (const [value, name] of Object.entries(FAIR_VALUE_METHOD_NAMES)) expect(FairValueSource[name as keyof typeof FairValueSource]).toBe(Number(value));
  });

  it('round-trips an engine result through PricingEncoder.values and the decoder', () => {
    const engine = new PricingEngine({ fairValueMethod: 'weighted-mid', minVolSamples: 1, ofiWeight: 0.5 });
    engine.setBookSynced(true);
    const bp = [6_500_000_000_000], bq = [150_000_000], ap = [6_500_001_000_000], aq = [50_000_000];
    engine.onBook(1_000_000_000, bp, bq, 1, ap, aq, 1);
    bq[0] = 250_000_000;
    engine.onBook(1_200_000_000, bp, bq, 1, ap, aq, 1);
    const r = engine.publish(1_200_000_500);
    const buffer = AtomicBuffer.allocate(256);
    const encoder = new PricingEncoder().wrap(buffer, 0).sequence(9).symbol('BTCUSDT').values(r);
    const d = new PricingDecoder();
    expect(d.wrapChecked(buffer, 0, encoder.encodedLength())).toBe(DecodeResult.OK);
    for (const key of Object.keys(r) as (keyof typeof r)[]) {
      const value = r[key];
      if (typeof value !== 'number') continue;
      const decoded = (d as unknown as Record<string, () => number>)[key]!();
      if (Number.isNaN(value)) expect(Number.isNaN(decoded), key).toBe(true); else expect(decoded, key).toBe(value);
    }
    expect(d.symbol()).toBe('BTCUSDT');
    expect(d.recvTimeNs()).toBe(1_200_000_000);
    expect(d.ofi()).toBeGreaterThan(0);
  });
});

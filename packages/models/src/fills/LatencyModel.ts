/**
 * Order-entry and cancel latencies, ns. An order is live at the venue `entry` after the quote is processed; a
 * cancel (or the cancel half of a replace) takes effect `cancel` after it is requested, and the old order can
 * fill until then. Latencies must be finite and >= 0.
 */
export interface LatencyModel {
  entryLatencyNs(nowNs: number): number;
  cancelLatencyNs(nowNs: number): number;
}

function check(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite number of ns >= 0, got ${String(v)}`);
  return v;
}

export class ConstantLatency implements LatencyModel {
  readonly entryNs: number;
  readonly cancelNs: number;

  constructor(entryNs: number, cancelNs: number) {
    this.entryNs = check('entry latency', entryNs);
    this.cancelNs = check('cancel latency', cancelNs);
  }

  entryLatencyNs(): number {
    return this.entryNs;
  }

  cancelLatencyNs(): number {
    return this.cancelNs;
  }
}

/** Draws each latency uniformly from recorded samples (e.g. measured round trips), with an injected uniform source. */
export class SampledLatency implements LatencyModel {
  private readonly entry: Float64Array;
  private readonly cancel: Float64Array;
  private readonly uniform: () => number;

  constructor(entrySamplesNs: ArrayLike<number>, cancelSamplesNs: ArrayLike<number>, uniform: () => number) {
    if (entrySamplesNs.length === 0 || cancelSamplesNs.length === 0) throw new RangeError('latency samples must not be empty');
    this.entry = Float64Array.from(entrySamplesNs, (v) => check('entry latency sample', v));
    this.cancel = Float64Array.from(cancelSamplesNs, (v) => check('cancel latency sample', v));
    this.uniform = uniform;
  }

  entryLatencyNs(): number {
    return this.entry[Math.floor(this.uniform() * this.entry.length)] as number;
  }

  cancelLatencyNs(): number {
    return this.cancel[Math.floor(this.uniform() * this.cancel.length)] as number;
  }
}

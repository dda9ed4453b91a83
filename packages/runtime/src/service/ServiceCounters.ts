import type { Clock } from '../Clock.js';
import type { CounterHandle } from './ServiceStatus.js';
import { healthCounterKey } from './HealthCounters.js';

/** Type id of a service's own operational counters (e.g. the engine's rejects by reason); read by `mm stat`. */
export const SERVICE_COUNTER_TYPE_ID = 2003;

export const serviceCounterLabel = (service: string, name: string): string => `mm counter: ${service} ${name}`;

/**
 * A service's named counters in the driver's counters file, so operators see them from another process (`mm stat`,
 * `aeron-stat`) without asking the service. Values are copied from the service's own numbers at most every
 * `intervalNs`, and only when they changed: one ordered store each.
 */
export class ServiceCounters {
  private readonly last: Float64Array;
  private nextNs = 0;

  private constructor(
    private readonly handles: readonly CounterHandle[],
    private readonly clock: Clock,
    private readonly intervalNs: number,
  ) {
    this.last = new Float64Array(handles.length).fill(Number.NaN);
  }

  static async create(
    addCounter: (typeId: number, key: Uint8Array, label: string) => Promise<CounterHandle>,
    service: string,
    instanceId: number,
    names: readonly string[],
    clock: Clock,
    intervalMs = 100,
  ): Promise<ServiceCounters> {
    const key = healthCounterKey(service, instanceId, process.pid);
    const handles = await Promise.all(names.map((n) => addCounter(SERVICE_COUNTER_TYPE_ID, key, serviceCounterLabel(service, n))));
    return new ServiceCounters(handles, clock, intervalMs * 1e6);
  }

  /** Copies `values[i]` into counter i when due; returns the number of counters written. */
  update(values: ArrayLike<number>): number {
    const now = this.clock.nanoTime();
    if (now < this.nextNs) return 0;
    this.nextNs = now + this.intervalNs;
    let written = 0;
    for (let i = 0; i < this.handles.length; i++) {
      const v = values[i]!;
      if (v !== this.last[i]) {
        this.last[i] = v;
        this.handles[i]!.setOrdered(v);
        written++;
      }
    }
    return written;
  }

  close(): void {
    for (const h of this.handles) h.close();
  }
}

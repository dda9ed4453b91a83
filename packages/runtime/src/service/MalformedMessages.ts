import type { AtomicBuffer } from '@mm/agrona';
import { MessageHeader } from '@mm/protocol';
import type { Clock } from '../Clock.js';
import type { ServiceStatus } from './ServiceStatus.js';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

/**
 * What every consumer does with a message it cannot read: count it (the service's error count on heartbeats too),
 * log a sample — at most one line per interval, so a rogue publisher cannot flood the log — and carry on.
 */
export class MalformedMessages {
  count = 0;
  private lastLogNs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly status: ServiceStatus,
    private readonly clock: Clock,
    private readonly log: LogFn,
    private readonly logIntervalNs = 1e9,
  ) {}

  report(what: string, buffer: AtomicBuffer, offset: number, length: number): void {
    this.count++;
    this.status.errors++;
    const now = this.clock.nanoTime();
    if (now - this.lastLogNs > this.logIntervalNs) {
      this.lastLogNs = now;
      this.log('warn', `malformed ${what} message skipped`, {
        length, templateId: length >= 2 ? MessageHeader.templateId(buffer, offset) : -1, malformed: this.count,
      });
    }
  }
}

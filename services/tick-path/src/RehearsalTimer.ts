import type { LogFn } from '@mm/runtime';
import { Rehearsal } from './Rehearsal.js';

/** A market with no book for this long is dead, not quiet: nothing to keep warm for (and an idle host stays idle). */
export const QUIET_LIMIT_MS = 1000;

/**
 * When to rehearse: every `intervalMs`, unless a real book went out since the last look (the path is warm) or none
 * has for QUIET_LIMIT_MS (a dead market, or none yet). `sawBook()` reports and clears whether a book went out. The
 * scratch pipeline is built (asynchronously: its streams connect) at the first quiet look and rehearsals start once
 * it is ready; one that cannot be built or that throws turns the rehearsal off with a warning — the real services
 * are never affected.
 */
export class RehearsalTimer {
  private rehearsal: Rehearsal | undefined;
  private building = false;
  private off = false;
  private lastBookMs = Number.NEGATIVE_INFINITY;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly symbol: string,
    intervalMs: number,
    private readonly sawBook: () => boolean,
    private readonly log: LogFn,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly create: (symbol: string) => Promise<Rehearsal> = (s) => Rehearsal.create(s),
  ) {
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
    log('info', `rehearsal on: every ${intervalMs} ms while the market is quiet, on a scratch ${symbol}`, { intervalMs, symbol });
  }

  /** One look; returns whether it rehearsed. */
  tick(): boolean {
    if (this.off) return false;
    const now = this.nowMs();
    if (this.sawBook()) {
      this.lastBookMs = now;
      return false;
    }
    if (now - this.lastBookMs > QUIET_LIMIT_MS) return false;
    if (this.rehearsal === undefined) {
      if (!this.building) this.build();
      return false;
    }
    try {
      this.rehearsal.step();
      return true;
    } catch (error) {
      this.turnOff(error);
      return false;
    }
  }

  private build(): void {
    this.building = true;
    let created: Promise<Rehearsal>;
    try {
      created = this.create(this.symbol);
    } catch (error) {
      this.turnOff(error);
      return;
    }
    created.then((rehearsal) => {
      this.building = false;
      if (this.off) rehearsal.close();
      else this.rehearsal = rehearsal;
    }, (error: unknown) => {
      this.building = false;
      this.turnOff(error);
    });
  }

  private turnOff(error: unknown): void {
    if (this.off) return;
    this.off = true;
    this.log('warn', `rehearsal off: ${error instanceof Error ? error.message : String(error)}`, { symbol: this.symbol });
    this.closeRehearsal();
  }

  stop(): void {
    clearInterval(this.timer);
    this.off = true;
    const c = this.rehearsal?.counters();
    if (c !== undefined) this.log('info', 'rehearsal stopped', { ...c });
    this.closeRehearsal();
  }

  private closeRehearsal(): void {
    try {
      this.rehearsal?.close();
    } catch {
      // Its temp dir may already be gone; nothing else to release.
    }
    this.rehearsal = undefined;
  }
}

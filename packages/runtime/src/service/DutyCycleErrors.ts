import type { Agent } from '../Agent.js';

/** What a duty-cycle error is reported to: the service's error count and a log line. */
export interface ErrorSink {
  errors: number;
}

export type ErrorLog = (error: unknown, errors: number) => void;

/**
 * A service's duty-cycle errors: counted on its status (the heartbeat carries the count), logged at most once a
 * second so that a bug that throws per message cannot flood the log.
 */
export class DutyCycleErrors {
  private lastLogMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sink: ErrorSink,
    private readonly log: ErrorLog,
    private readonly nowMs: () => number = Date.now,
  ) {}

  readonly report = (error: unknown): void => {
    this.sink.errors++;
    const now = this.nowMs();
    if (now - this.lastLogMs >= 1000) {
      this.lastLogMs = now;
      this.log(error, this.sink.errors);
    }
  };
}

/**
 * One hosted service's agent inside a shared duty cycle: what it throws is reported as its own error (not the
 * first service's), and the services after it in the cycle still run.
 */
export class ErrorIsolatingAgent implements Agent {
  readonly roleName: string;

  constructor(
    private readonly inner: Agent,
    private readonly errors: DutyCycleErrors,
  ) {
    this.roleName = inner.roleName;
  }

  doWork(): number {
    try {
      return this.inner.doWork();
    } catch (error) {
      this.errors.report(error);
      return 0;
    }
  }

  onClose(): void {
    this.inner.onClose?.();
  }
}

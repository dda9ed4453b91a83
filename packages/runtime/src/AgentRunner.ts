import type { Agent } from './Agent.js';
import { Stage, stageTrace } from './StageTrace.js';
import { BackoffIdleStrategy, IdleAction, type IdleStrategyOptions, DEFAULT_IDLE } from './IdleStrategy.js';

/** A bounded sleep that something else can cut short (the `Doorbell`); see `AgentRunnerOptions.doorbell`. */
export interface ParkWaiter {
  /**
   * Runs `hasWork` after announcing the sleep, then sleeps up to `timeoutNs` only if it returned 0. Returns the work
   * (> 0, no sleep), 0 when the timeout passed, or a negative number when woken early.
   */
  park(timeoutNs: number, hasWork: () => number): number;
}

export interface AgentRunnerOptions {
  readonly idle?: IdleStrategyOptions;
  /**
   * Park by sleeping on this (blocking the thread up to the park time, woken by publishers) instead of a timer.
   * Only for agents whose sole input it signals: sockets and timers of the process wait until the sleep ends.
   */
  readonly doorbell?: ParkWaiter;
  /** Longest stretch of back-to-back duty cycles before the runner lets pending I/O callbacks run. */
  readonly maxBusyMs?: number;
  /** Called with an error thrown by `doWork`; the runner keeps going unless this throws or calls `close`. */
  readonly onError?: (error: unknown) => void;
  /** Called once per burst of cycles (after the run of SPINs ends): cheap hook for heartbeats/counters. */
  readonly onCycle?: () => void;
}

/**
 * Drives an Agent on the event loop: back-to-back duty cycles while there is work (up to `maxBusyMs`, then a
 * `setImmediate` so sockets and signals are served), then the idle strategy's spin → yield → park.
 *
 * With a `doorbell` the park is a sleep on it (announce, one more duty cycle so nothing rung meanwhile is missed,
 * then a futex wait of at most the park time). A ring runs the next duty cycle at once (no event-loop turn on the
 * latency path; once per burst beyond `maxBusyMs`); a timeout is followed by a `setImmediate` once the budget is
 * spent, so the event loop still turns at least every `max-park-ms` + 2 × `maxBusyMs`.
 *
 * Invariants: at most one scheduled continuation exists at a time; after `close()` resolves `doWork` is never called
 * again and `onClose` has run once.
 */
export class AgentRunner {
  private readonly idle: BackoffIdleStrategy;
  private readonly maxBusyMs: number;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private closedResolve: (() => void) | undefined;
  private readonly closed: Promise<void>;
  private cycles = 0;
  private errors = 0;
  private inBurst = false;
  private wakePending = false;
  private readonly step = (): void => this.runBurst();
  private readonly wakeStep = (): void => this.runWoken();
  private readonly recheck = (): number => this.cycle();

  constructor(
    readonly agent: Agent,
    private readonly options: AgentRunnerOptions = {},
  ) {
    this.idle = new BackoffIdleStrategy(options.idle ?? DEFAULT_IDLE);
    this.maxBusyMs = options.maxBusyMs ?? 2;
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
  }

  get dutyCycles(): number { return this.cycles; }
  get errorCount(): number { return this.errors; }
  get isRunning(): boolean { return this.running; }

  start(): this {
    if (this.running) return this;
    this.running = true;
    this.immediate = setImmediate(this.step);
    return this;
  }

  /**
   * Runs the next duty cycles as soon as the current callback returns (a microtask) instead of after the pending park
   * timer or event-loop turn. For agents hosted together with a socket-driven one (services/tick-path): the
   * collector's WebSocket callback publishes a book and the co-hosted pricing and strategy read it in the same
   * turn. A no-op inside a burst (the burst runs another cycle anyway) and while one is already due; allocates nothing.
   */
  wake(): void {
    if (!this.running || this.inBurst || this.wakePending) return;
    this.wakePending = true;
    queueMicrotask(this.wakeStep);
  }

  /**
   * Runs `agent` (by default the runner's own) once now, on the caller's stack, then `wake()` for whatever follows.
   * For a publication made from a socket callback: the co-hosted readers downstream of the publisher run before the
   * rest of that callback (the socket library's unwinding: measured tens of µs when cold) instead of after it.
   * A no-op inside a burst (the burst's own cycle reads the message). An error goes to `onError` as in a cycle.
   */
  runNow(agent: Agent = this.agent): void {
    if (!this.running || this.inBurst) return;
    this.inBurst = true;
    try {
      this.invoke(agent);
    } finally {
      this.inBurst = false;
    }
    this.wake();
  }

  /** Stops after the current cycle; resolves once the agent's `onClose` has run. */
  close(): Promise<void> {
    if (this.running) {
      this.running = false;
      if (this.timer) clearTimeout(this.timer);
      if (this.immediate) clearImmediate(this.immediate);
      this.timer = undefined;
      this.immediate = undefined;
      try {
        this.agent.onClose?.();
      } finally {
        this.closedResolve?.();
      }
    } else {
      this.closedResolve?.();
    }
    return this.closed;
  }

  /** Resolves when the runner is closed. */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  private runWoken(): void {
    this.wakePending = false;
    if (!this.running || this.inBurst) return;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    // New input, so the back-off starts over: spin (cheap) for the chain of messages it usually starts.
    this.idle.reset();
    this.runBurst();
  }

  private runBurst(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (!this.running) return;
    this.inBurst = true;
    try {
      this.burst();
    } finally {
      this.inBurst = false;
    }
  }

  private burst(): void {
    let deadline = performance.now() + this.maxBusyMs;
    let extended = false;
    for (;;) {
      let action: IdleAction;
      do {
        action = this.idle.idle(this.cycle());
      } while (action === IdleAction.SPIN && this.running && performance.now() < deadline);
      if (!this.running) return;
      this.options.onCycle?.();
      if (!this.running) return;
      if (action !== IdleAction.PARK) {
        this.immediate = setImmediate(this.step);
        return;
      }
      if (!this.options.doorbell) {
        this.timer = setTimeout(this.step, this.idle.parkMs);
        this.idle.parked();
        return;
      }
      stageTrace.mark(Stage.PARKING, 0);
      const result = this.options.doorbell.park(this.idle.parkMs * 1e6, this.recheck);
      if (result < 0) stageTrace.mark(Stage.WOKEN, 0);
      if (!this.running) return;
      // Rung: a ring is often the first of a chain (the collector's book, then pricing's fair value a few µs later),
      // so spin again before sleeping; the park time is reset only if the next cycle finds work of ours.
      if (result > 0) this.idle.reset();
      else if (result < 0) this.idle.rearm();
      else this.idle.parked();
      // Rung: serve the message now rather than after an event-loop turn (measured ≈ 100 µs on a loaded VM after a
      // long sleep), with one fresh budget per burst, so the event loop still turns after at most two budgets.
      if (performance.now() >= deadline) {
        if (result >= 0 || extended) {
          this.immediate = setImmediate(this.step);
          return;
        }
        extended = true;
        deadline = performance.now() + this.maxBusyMs;
      }
    }
  }

  /** One duty cycle. */
  private cycle(): number {
    const work = this.invoke(this.agent);
    this.cycles++;
    return work;
  }

  /** `agent.doWork()`; an error goes to `onError` and counts as work (so the runner does not park on a failing agent). */
  private invoke(agent: Agent): number {
    try {
      return agent.doWork();
    } catch (error) {
      this.errors++;
      if (this.options.onError) this.options.onError(error);
      else throw error;
      return 1;
    }
  }
}

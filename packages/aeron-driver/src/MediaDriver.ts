/**
 * Embeddable IPC media driver: prepares the Aeron dir, creates the CnC, and runs the conductor's duty cycle on the
 * Node event loop.
 *
 * Duty cycle: up to `dutyCycleBatch` cycles back to back while there is work, then `setImmediate` so signals, timers
 * and I/O keep running; after `idleYieldCycles` idle rounds it parks with `setTimeout`, backing off 1, 2, 4 ms up to
 * `idleMaxParkMs`. Idle cost is therefore one cheap cycle per park (~250/s with the 4 ms default).
 * Invariants: `launch` either returns a running driver whose CnC is ready (version published) or throws
 * (ActiveDriverError when a live driver owns the dir; DriverConfigError for bad settings) leaving nothing running.
 */
import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CncFile, prepareAeronDir } from './CncFile.js';
import { resolveDriverContext, type DriverContext } from './DriverContext.js';
import { DriverConductor, type DriverLogger } from './DriverConductor.js';
import { CONDUCTOR_CYCLE_THRESHOLD_NS, SystemCounterId } from './SystemCounters.js';

export interface LaunchOptions extends Partial<DriverContext> {
  readonly logger?: DriverLogger;
}

const silent: DriverLogger = () => undefined;

export class MediaDriver {
  readonly ctx: DriverContext;
  readonly conductor: DriverConductor;
  /** Resolves when the driver has stopped (close() or a permitted TERMINATE_DRIVER). */
  readonly terminated: Promise<'closed' | 'terminated'>;
  private readonly cnc: CncFile;
  private readonly log: DriverLogger;
  private running = true;
  private idleRounds = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private resolveTerminated!: (reason: 'closed' | 'terminated') => void;
  private maxCycleNs = 0;
  private parkTimer: NodeJS.Timeout | undefined;
  private parkMs = -1;
  private readonly runParked = (): void => this.runBatch();

  private constructor(ctx: DriverContext, cnc: CncFile, conductor: DriverConductor, log: DriverLogger) {
    this.ctx = ctx;
    this.cnc = cnc;
    this.conductor = conductor;
    this.log = log;
    this.terminated = new Promise((resolve) => (this.resolveTerminated = resolve));
  }

  static launch(options: LaunchOptions = {}): MediaDriver {
    const { logger, ...settings } = options;
    const log = logger ?? silent;
    const ctx = resolveDriverContext(settings);
    const previous = prepareAeronDir(ctx);
    if (previous.exists) log('info', 'removed stale Aeron dir', { dir: ctx.aeronDir, previousPid: previous.pid });
    const cnc = CncFile.create(ctx);
    let conductor: DriverConductor;
    try {
      conductor = new DriverConductor(ctx, cnc, log);
    } catch (e) {
      cnc.close();
      throw e;
    }
    cnc.signalReady();
    const driver = new MediaDriver(ctx, cnc, conductor, log);
    log('info', 'media driver started', { dir: ctx.aeronDir, driverPid: process.pid, ipcTermLength: ctx.ipcTermBufferLength });
    driver.schedule(true);
    return driver;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Stops the duty cycle, marks the CnC as shut down, unmaps everything (and deletes the dir when configured). */
  close(): Promise<'closed' | 'terminated'> {
    this.stop('closed');
    return this.terminated;
  }

  private stop(reason: 'closed' | 'terminated'): void {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== undefined) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = undefined;
    }
    if (this.parkTimer !== undefined) clearTimeout(this.parkTimer);
    try {
      this.conductor.close(this.ctx.dirDeleteOnShutdown);
      this.cnc.close();
      if (this.ctx.dirDeleteOnShutdown) rmSync(this.ctx.aeronDir, { recursive: true, force: true });
    } catch (e) {
      this.log('error', 'error while closing the driver', { error: (e as Error).message });
    }
    this.log('info', 'media driver stopped', { reason });
    this.resolveTerminated(reason);
  }

  private readonly runBatch = (): void => {
    this.timer = undefined;
    if (!this.running) return;
    const conductor = this.conductor;
    let work = 0;
    const batch = this.idleRounds === 0 ? this.ctx.dutyCycleBatch : 1;
    for (let i = 0; i < batch; i++) {
      const start = performance.now();
      const w = conductor.doWork();
      const cycleNs = Math.round((performance.now() - start) * 1e6);
      if (cycleNs > this.maxCycleNs) {
        this.maxCycleNs = cycleNs;
        conductor.systemCounters.set(SystemCounterId.CONDUCTOR_MAX_CYCLE_TIME, cycleNs);
      }
      if (cycleNs > CONDUCTOR_CYCLE_THRESHOLD_NS) conductor.systemCounters.increment(SystemCounterId.CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED);
      work += w;
      if (w === 0) break;
    }
    if (conductor.isTerminationRequested) {
      this.stop('terminated');
      return;
    }
    this.schedule(work > 0);
  };

  private schedule(busy: boolean): void {
    if (busy) {
      this.idleRounds = 0;
      this.timer = setImmediate(this.runBatch);
    } else if (++this.idleRounds < this.ctx.idleYieldCycles) {
      this.timer = setImmediate(this.runBatch);
    } else {
      // Back off 1, 2, 4 ... ms up to the maximum park.
      const step = this.idleRounds - this.ctx.idleYieldCycles;
      const parkMs = Math.min(this.ctx.idleMaxParkMs, step < 8 ? 1 << step : this.ctx.idleMaxParkMs);
      // One Timeout object reused while parked at the same length: no allocation per park.
      if (this.parkTimer !== undefined && this.parkMs === parkMs) {
        this.parkTimer.refresh();
      } else {
        if (this.parkTimer !== undefined) clearTimeout(this.parkTimer);
        this.parkMs = parkMs;
        this.parkTimer = setTimeout(this.runParked, parkMs);
      }
      this.timer = this.parkTimer;
    }
  }
}

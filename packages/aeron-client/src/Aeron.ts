/**
 * Entry point of the client, modelled on Aeron's `Aeron`: connect to a media driver through its CnC file, then
 * add publications and subscriptions. All conductor work happens in `doWork()` (call it from your agent's duty
 * cycle) or, for tools, on an opt-in timer (`startConductorTimer`).
 *
 * Satisfies the runtime `Transport` interface structurally.
 */
import { Counter } from './Counter.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CountersReader } from '@mm/agrona';
import { CncFile } from './CncFile.js';
import { ClientConductor } from './ClientConductor.js';
import { Context } from './Context.js';
import { DriverTimeoutError } from './exceptions/DriverTimeoutError.js';
import type { ExclusivePublication } from './ExclusivePublication.js';
import type { Publication } from './Publication.js';
import type { AvailableImageHandler, Subscription, UnavailableImageHandler } from './Subscription.js';

export interface SubscriptionOptions {
  /** Adds `tether=false` to an `aeron:ipc` channel: the publisher never waits for this subscriber. */
  readonly untethered?: boolean;
  readonly onAvailableImage?: AvailableImageHandler;
  readonly onUnavailableImage?: UnavailableImageHandler;
}

const CONNECT_POLL_MS = 10;

export class Aeron {
  readonly context: Context;
  private readonly conductor: ClientConductor;
  private timer: NodeJS.Timeout | undefined;

  private constructor(context: Context, conductor: ClientConductor) {
    this.context = context;
    this.conductor = conductor;
  }

  /**
   * Maps the driver's CnC file and checks the driver is alive, waiting up to `connectTimeoutMs` for it to appear
   * and heartbeat. Rejects with DriverTimeoutError (no file, never ready, stale heartbeat) or an AeronError for an
   * incompatible CnC version.
   */
  static async connect(context: Context = new Context()): Promise<Aeron> {
    const deadline = context.epochClock() + context.connectTimeoutMs;
    let lastProblem = '';
    for (;;) {
      let cnc: CncFile | undefined;
      try {
        cnc = CncFile.open(context.aeronDir);
        const heartbeat = cnc.driverHeartbeatMs();
        const age = context.epochClock() - heartbeat;
        if (heartbeat > 0 && age <= context.driverTimeoutMs) {
          return new Aeron(context, new ClientConductor(context, cnc));
        }
        lastProblem = heartbeat <= 0 ? 'the driver has not heartbeated yet' : `driver heartbeat is ${age}ms old`;
        cnc.close();
      } catch (e) {
        cnc?.close();
        if ((e as Error).message.startsWith('CnC version not compatible')) throw e;
        lastProblem = (e as Error).message;
      }
      if (context.epochClock() > deadline) {
        throw new DriverTimeoutError(`no live media driver at ${context.aeronDir} within ${context.connectTimeoutMs}ms: ${lastProblem}`);
      }
      await sleep(CONNECT_POLL_MS);
    }
  }

  get clientId(): number { return this.conductor.clientId; }
  get isClosed(): boolean { return this.conductor.isClosed; }
  get cncFile(): CncFile { return this.conductor.cnc; }
  countersReader(): CountersReader { return this.conductor.cnc.countersReader; }
  nextCorrelationId(): number { return this.conductor.driverProxy.nextCorrelationId(); }

  // The add* methods are async so that misuse (closed client, bad stream id or channel text) rejects the promise
  // like a driver refusal does, instead of throwing synchronously.
  /** A concurrent publication (shared by every adder of the same IPC stream). */
  async addPublication(channel: string, streamId: number): Promise<Publication> {
    return this.conductor.addPublication(channel, streamId, false) as Promise<Publication>;
  }

  /** A single-writer publication with its own log and session. */
  async addExclusivePublication(channel: string, streamId: number): Promise<ExclusivePublication> {
    return this.conductor.addPublication(channel, streamId, true) as Promise<ExclusivePublication>;
  }

  async addSubscription(channel: string, streamId: number, options: SubscriptionOptions = {}): Promise<Subscription> {
    const effective = options.untethered === true ? withParam(channel, 'tether', 'false') : channel;
    return this.conductor.addSubscription(effective, streamId, options.onAvailableImage, options.onUnavailableImage);
  }

  /** Allocates a counter in the driver's counters (visible to `aeron-stat` and other processes). */
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<Counter> {
    return this.conductor.addCounter(typeId, key, label);
  }

  /** One conductor duty cycle (driver events, keepalive, liveness); returns the work count. */
  doWork(): number { return this.conductor.doWork(); }

  /** Opt-in: run `doWork()` every `intervalMs` on an unref'd timer (for CLIs and simple tools). */
  startConductorTimer(intervalMs = 10): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      try {
        this.conductor.doWork();
      } catch (e) {
        this.context.onError(e as Error);
      }
      if (this.conductor.isClosed) this.stopConductorTimer();
    }, intervalMs);
    this.timer.unref();
  }

  stopConductorTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Asks the driver to terminate (only honoured when the driver allows it). */
  terminateDriver(token?: Uint8Array): void { this.conductor.driverProxy.terminateDriver(token); }

  /** Removes every publication and subscription, sends CLIENT_CLOSE and unmaps everything. */
  close(): void {
    this.stopConductorTimer();
    this.conductor.close();
  }
}

/** Adds `key=value` to an `aeron:ipc`/`aeron:udp` URI unless the key is already there. */
export function withParam(channel: string, key: string, value: string): string {
  const q = channel.indexOf('?');
  if (q >= 0 && channel.slice(q + 1).split('|').some((kv) => kv.split('=')[0] === key)) return channel;
  return `${channel}${q >= 0 ? '|' : '?'}${key}=${value}`;
}

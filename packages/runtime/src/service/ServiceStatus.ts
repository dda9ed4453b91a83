import { AtomicBuffer } from '@mm/agrona';
import { HeartbeatEncoder, ServiceState, StateEncoder } from '@mm/protocol';
import type { Clock } from '../Clock.js';
import type { Publisher } from '../Transport.js';

/** A value other processes can read without asking (an Aeron counter, or a plain number in tests). */
export interface CounterHandle {
  setOrdered(value: number): void;
  close(): void;
}

interface PendingState {
  state: ServiceState;
  previous: ServiceState | 0;
  reason: string;
  symbol: string;
  timeNs: number;
}

/**
 * A service's liveness and state, published for others: state changes on stream 11 (never dropped: a change that
 * meets back pressure is retried on the next duty cycle, in order), a heartbeat on stream 12 every interval, and
 * two counters updated from the duty cycle (heartbeat = epoch ms of the last cycle, state = the state enum) that
 * `mm health` reads from the CnC file without registering as a client.
 */
export class ServiceStatus {
  private current: ServiceState = ServiceState.STARTING;
  private currentReason = 'starting';
  private readonly pending: PendingState[] = [];
  private readonly stateEncoder = new StateEncoder();
  private readonly heartbeatEncoder = new HeartbeatEncoder();
  private readonly scratch = AtomicBuffer.allocate(256);
  private stateSequence = 0;
  private heartbeatSequence = 0;
  private nextHeartbeatNs = 0;
  private readonly startNs: number;
  private lastCounterMs = 0;
  messagesIn = 0;
  messagesOut = 0;
  errors = 0;
  statePublicationFailures = 0;

  constructor(
    readonly service: string,
    readonly instanceId: number,
    private readonly clock: Clock,
    private readonly statePublisher: Publisher,
    private readonly heartbeatPublisher: Publisher,
    private readonly heartbeatIntervalNs: number,
    private readonly heartbeatCounter?: CounterHandle,
    private readonly stateCounter?: CounterHandle,
  ) {
    this.startNs = clock.nanoTime();
    this.pending.push({ state: ServiceState.STARTING, previous: 0, reason: 'starting', symbol: '', timeNs: this.startNs });
    this.stateCounter?.setOrdered(ServiceState.STARTING);
  }

  get state(): ServiceState {
    return this.current;
  }

  get reason(): string {
    return this.currentReason;
  }

  /** Records a change of the whole service's state (no-op if unchanged) and publishes it. */
  setState(state: ServiceState, reason: string): void {
    if (state === this.current && reason === this.currentReason) return;
    this.pending.push({ state, previous: this.current, reason, symbol: '', timeNs: this.clock.nanoTime() });
    this.current = state;
    this.currentReason = reason;
    this.stateCounter?.setOrdered(state);
    this.flushStates();
  }

  /** Publishes a per-symbol state change (e.g. the collector's BTCUSDT going SYNCING after a gap). */
  setSymbolState(symbol: string, state: ServiceState, previous: ServiceState | 0, reason: string): void {
    this.pending.push({ state, previous, reason, symbol, timeNs: this.clock.nanoTime() });
    this.flushStates();
  }

  /** Duty-cycle work: retry pending states, refresh counters, send the heartbeat when due. */
  doWork(): number {
    let work = 0;
    if (this.pending.length > 0) work += this.flushStates();
    const nowNs = this.clock.nanoTime();
    const nowMs = this.clock.epochMs();
    if (nowMs !== this.lastCounterMs) {
      this.heartbeatCounter?.setOrdered(nowMs);
      this.lastCounterMs = nowMs;
    }
    if (nowNs >= this.nextHeartbeatNs) {
      this.nextHeartbeatNs = nowNs + this.heartbeatIntervalNs;
      work += this.sendHeartbeat(nowNs);
    }
    return work;
  }

  private flushStates(): number {
    let sent = 0;
    while (this.pending.length > 0) {
      const p = this.pending[0]!;
      const enc = this.stateEncoder.wrap(this.scratch, 0);
      enc
        .sequence(this.stateSequence)
        .timeNs(p.timeNs)
        .pid(process.pid)
        .instanceId(this.instanceId)
        .service(this.service)
        .symbol(p.symbol)
        .state(p.state)
        .previousState(p.previous)
        .reason(p.reason);
      const result = this.statePublisher.offer(this.scratch, 0, enc.encodedLength());
      if (result < 0) {
        // NOT_CONNECTED included: nobody listens yet, but a later subscriber should still see the current state
        // in heartbeats; keep the change queued only while it is the latest few, so memory stays bounded.
        this.statePublicationFailures++;
        if (this.pending.length > 64) this.pending.shift();
        break;
      }
      this.stateSequence++;
      this.messagesOut++;
      this.pending.shift();
      sent++;
    }
    return sent;
  }

  private sendHeartbeat(nowNs: number): number {
    const enc = this.heartbeatEncoder.wrap(this.scratch, 0);
    enc
      .sequence(this.heartbeatSequence)
      .timeNs(nowNs)
      .uptimeNs(nowNs - this.startNs)
      .messagesIn(this.messagesIn)
      .messagesOut(this.messagesOut)
      .errors(this.errors)
      .pid(process.pid)
      .instanceId(this.instanceId)
      .service(this.service)
      .state(this.current)
      .reason(this.currentReason);
    const result = this.heartbeatPublisher.offer(this.scratch, 0, enc.encodedLength());
    if (result < 0) return 0;
    this.heartbeatSequence++;
    this.messagesOut++;
    return 1;
  }

  close(): void {
    this.heartbeatCounter?.close();
    this.stateCounter?.close();
  }
}

import { c, loadConfigOrExit, type InferShape, type Shape } from '@mm/config';
import { createLogger, installExitHandlers, loggingSchema, type Logger } from '@mm/logging';
import { setThreadScheduling } from '@mm/agrona';
import { ServiceState } from '@mm/protocol';
import { CompositeAgent, type Agent } from '../Agent.js';
import { AgentRunner, type ParkWaiter } from '../AgentRunner.js';
import { SystemClock, type Clock } from '../Clock.js';
import type { Transport } from '../Transport.js';
import { WakingTransport } from '../WakingTransport.js';
import {
  HEARTBEAT_COUNTER_TYPE_ID,
  STATE_COUNTER_TYPE_ID,
  healthCounterKey,
  heartbeatCounterLabel,
  stateCounterLabel,
} from './HealthCounters.js';
import { DutyCycleErrors, ErrorIsolatingAgent } from './DutyCycleErrors.js';
import { runtimeSectionWith, type IdleDefaults, type RuntimeSettings } from './RuntimeSection.js';
import { ServiceStatus, type CounterHandle } from './ServiceStatus.js';
import { loadStreams, type Streams } from './Streams.js';

/**
 * The life cycle every service process shares, so each service's main.ts is only its wiring:
 * 1. configuration (`config/<name>.toml` + `[runtime]` + `[logging]`, and `config/streams.toml`): invalid → exit 78;
 * 2. logger (stdout + hourly files), exit handlers (signals → orderly shutdown within a bound; crashes → logged, exit 1);
 * 3. transport (Aeron by default), health counters, state (11) and heartbeat (12) publications;
 * 4. the service's agent, run with the Aeron conductor and the status in one duty cycle, so no busy service can
 *    starve its client heartbeat;
 * 5. driver loss → logged, exit 1 for the supervisor to restart (no in-process reconnection, by decision).
 */
export interface ServiceContext<C> {
  /** Log and compose name, e.g. `mm_collector`. */
  readonly name: string;
  readonly config: C;
  readonly runtime: RuntimeSettings;
  readonly streams: Streams;
  readonly log: Logger;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly status: ServiceStatus;
  /** Allocates a counter other processes can read (e.g. for `ServiceCounters`). */
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<CounterHandle>;
}

export interface ServiceAgent extends Agent {
  /** Called on shutdown before the transport closes (e.g. pull quotes, flush a journal). */
  stop?(): Promise<void> | void;
}

export interface ServiceDefinition<S extends Shape = Shape> {
  readonly name: string;
  /** Config file stem and env prefix: `collector` → `config/collector.toml`, `MM_COLLECTOR__…`. */
  readonly configName: string;
  readonly schema: S;
  /**
   * This service's defaults for `[runtime.idle]`: `wait: 'doorbell'` only when Aeron is its sole input (the park
   * blocks the thread, so its sockets and timers would wait up to max-park-ms); 'timer' when absent.
   */
  readonly idle?: IdleDefaults;
  start(ctx: ServiceContext<InferShape<S>>): Promise<ServiceAgent>;
}

/** What a transport offers a service process: publish/subscribe plus counters other processes can read. */
export interface TransportConnection {
  readonly transport: Transport;
  /** Present when the transport can wake a parked runner (Aeron with the native futex). */
  readonly doorbell?: ParkWaiter;
  addCounter(typeId: number, key: Uint8Array, label: string): Promise<CounterHandle>;
}

export interface ConnectOptions {
  readonly runtime: RuntimeSettings;
  readonly clientName: string;
  readonly log: Logger;
  /** The transport is gone for good (driver timeout): the host logs it and exits non-zero. */
  readonly onFatal: (error: Error) => void;
}

export type Connector = (options: ConnectOptions) => Promise<TransportConnection>;

export interface RunServiceOptions {
  readonly connect: Connector;
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
}

/** Names a service definition with its schema's types inferred (for a service hosted by `runServices`). */
export function defineService<S extends Shape>(def: ServiceDefinition<S>): ServiceDefinition<S> {
  return def;
}

/** A service's configuration, streams and logger: everything it needs before the transport. */
interface PreparedService {
  readonly def: ServiceDefinition<Shape>;
  readonly own: Record<string, unknown>;
  readonly runtime: RuntimeSettings;
  readonly streams: Streams;
  readonly log: Logger;
}

/** Configuration and logger of one service; an invalid file or variable exits 78 naming it. */
function prepare(def: ServiceDefinition<Shape>, env: NodeJS.ProcessEnv): PreparedService {
  const schema = c.object({ ...def.schema, runtime: runtimeSectionWith(def.idle), logging: loggingSchema });
  const all = loadConfigOrExit(def.configName, schema, { env });
  const streams = (() => {
    try {
      return loadStreams({ env });
    } catch (error) {
      process.stderr.write(`[${def.configName}] ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(78);
    }
  })();
  const runtime = all.runtime as RuntimeSettings;
  const logging = all.logging as { level: 'info'; retainFiles: number; bufferBytes: number };
  const log = createLogger({ service: def.name, level: logging.level, retainFiles: logging.retainFiles, env });
  const { logging: _l, runtime: _r, ...own } = all as Record<string, unknown>;
  return { def, own, runtime, streams, log };
}

/** Runs one service in this process: see the steps above. */
export function runService<S extends Shape>(def: ServiceDefinition<S>, options: RunServiceOptions): Promise<void> {
  return runServices([def], options);
}

export interface RunServicesOptions extends RunServiceOptions {
  /** Client and log name of a process hosting several services (e.g. `mm_tick_path`); default: the first's name. */
  readonly hostName?: string;
  /**
   * Host-level work beside the services (services/tick-path's rehearsal), started once they run, with the first
   * service's `[runtime]` and log, and the process's transport (its publications do not run the hosted services);
   * the function it returns is called at shutdown, before the services stop.
   */
  readonly host?: (host: { readonly runtime: RuntimeSettings; readonly log: Logger; readonly transport: Transport }) => (() => void) | undefined;
}

/**
 * Runs several services in one process and one duty cycle, in the order given (upstream first), each with its own
 * configuration, log file, state, heartbeat and health counters — so `health mm_pricing` and `mm stat` see them as
 * usual — over one Aeron client. A message one of them publishes from a socket callback (the collector's
 * WebSocket frame) runs the services after it in the list once, on that callback's stack (`AgentRunner.runNow`),
 * then the whole cycle in a microtask: the book, the fair value and the quote are made before the socket library
 * even returns, and no process wakes another on the tick's path. The services must not share state: they only
 * share Aeron streams, as separate processes would. Process-wide settings (`[runtime.idle]`, `[runtime.scheduling]`,
 * the Aeron dir and timeout, the shutdown bound) come from the first service's `[runtime]`; the runner parks on the
 * doorbell only if every hosted service's `[runtime.idle] wait` is 'doorbell'. Shutdown stops them downstream first.
 */
export async function runServices(defs: readonly ServiceDefinition<Shape>[], options: RunServicesOptions): Promise<void> {
  if (defs.length === 0) throw new Error('runServices needs at least one service');
  const env = options.env ?? process.env;
  const prepared = defs.map((def) => prepare(def, env));
  const first = prepared[0]!;
  const hostName = options.hostName ?? first.def.name;
  const runtime = first.runtime;
  const log = first.log;
  const hosted = prepared.length > 1;
  if (hosted) {
    for (const p of prepared.slice(1)) {
      if (p.runtime.aeron.dir !== runtime.aeron.dir) {
        const message = `${hostName}: ${p.def.name} [runtime.aeron] dir "${p.runtime.aeron.dir}" differs from ${first.def.name}'s "${runtime.aeron.dir}": services hosted in one process share one Aeron client`;
        process.stderr.write(`[${hostName}] config error: ${message}\n`);
        for (const q of prepared) {
          q.log.fatal({}, message);
          q.log.flushAndClose();
        }
        process.exit(78);
      }
    }
  }
  const clock = options.clock ?? new SystemClock();

  let runner: AgentRunner | undefined;
  const started: { agent: ServiceAgent; status: ServiceStatus; log: Logger }[] = [];
  let connection: TransportConnection | undefined;
  let stopHost: (() => void) | undefined;
  const shutdown = async (): Promise<void> => {
    stopHost?.();
    // Downstream first: the strategy pulls its quotes while pricing and the collector still run.
    for (const s of [...started].reverse()) {
      s.status.setState(ServiceState.STOPPING, 'shutdown requested');
      s.status.doWork();
    }
    for (const s of [...started].reverse()) await s.agent.stop?.();
    await runner?.close();
    for (const s of started) s.status.close();
    await connection?.transport.close();
    for (const p of prepared.slice(1)) p.log.flushAndClose();
  };
  installExitHandlers(log, { onShutdown: shutdown, shutdownTimeoutMs: runtime.shutdownTimeoutMs });
  watchParent(env, log);

  const fatal = (error: Error): void => {
    for (const p of prepared) {
      p.log.fatal({ err: error }, `${p.def.name} cannot continue: ${error.message}`);
    }
    void runner?.close();
    for (const p of prepared) p.log.flushAndClose();
    process.exit(1);
  };

  for (const p of prepared) {
    p.log.info({ pid: process.pid, instanceId: p.runtime.instanceId, aeronDir: p.runtime.aeron.dir || undefined, ...(hosted ? { host: hostName } : {}) }, `${p.def.name} starting`);
  }
  const { policy, priority } = runtime.scheduling;
  if (policy !== 'other') {
    try {
      setThreadScheduling(policy, priority);
      log.info({ policy, priority }, `scheduling policy ${policy} priority ${priority}`);
    } catch (error) {
      log.warn({ err: error, policy, priority }, `${(error as Error).message}: running under the default policy`);
    }
  }
  connection = await options.connect({ runtime, clientName: hostName, log, onFatal: fatal });
  const conn = connection;
  // Hosted: a service's publication runs the services after it at once (see runServices), then wakes the runner.
  const downstream: Agent[] = [];
  const pid = process.pid;
  for (const [index, p] of prepared.entries()) {
    const transport: Transport = hosted ? new WakingTransport(conn.transport, () => runner?.runNow(downstream[index]!)) : conn.transport;
    const { def, streams } = p;
    const key = healthCounterKey(def.name, p.runtime.instanceId, pid);
    const [heartbeatCounter, stateCounter, statePub, heartbeatPub] = await Promise.all([
      conn.addCounter(HEARTBEAT_COUNTER_TYPE_ID, key, heartbeatCounterLabel(def.name, p.runtime.instanceId, pid)),
      conn.addCounter(STATE_COUNTER_TYPE_ID, key, stateCounterLabel(def.name, p.runtime.instanceId, pid)),
      conn.transport.addExclusivePublication(streams.state.channel, streams.state.streamId),
      conn.transport.addExclusivePublication(streams.heartbeat.channel, streams.heartbeat.streamId),
    ]);
    const status = new ServiceStatus(def.name, p.runtime.instanceId, clock, statePub, heartbeatPub,
      p.runtime.heartbeatIntervalMs * 1e6, heartbeatCounter, stateCounter);
    const ctx: ServiceContext<Record<string, unknown>> = {
      name: def.name, config: p.own, runtime: p.runtime, streams, log: p.log, clock, transport, status,
      addCounter: (typeId, key, label) => conn.addCounter(typeId, key, label),
    };
    const agent = await def.start(ctx);
    started.push({ agent, status, log: p.log });
  }
  const errors = started.map((s) => new DutyCycleErrors(s.status, (err, count) => {
    s.log.error({ err, errors: count }, 'error in duty cycle (service keeps running)');
  }));
  // Hosted: each service's agent reports its own errors, and one that throws does not skip the others.
  const cycle = hosted ? started.map((s, i) => new ErrorIsolatingAgent(s.agent, errors[i]!)) : started.map((s) => s.agent);
  if (hosted) for (let i = 0; i < cycle.length; i++) downstream.push(new CompositeAgent(cycle.slice(i + 1)));
  const agents: Agent[] = [{ roleName: 'transport', doWork: () => conn.transport.doWork() }];
  for (const a of cycle) agents.push(a);
  for (const s of started) agents.push({ roleName: 'status', doWork: () => s.status.doWork() });
  const allDoorbell = prepared.every((p) => p.runtime.idle.wait === 'doorbell');
  const doorbell = allDoorbell ? conn.doorbell : undefined;
  if (allDoorbell && !doorbell) log.warn({}, 'idle wait "doorbell" requested but the transport has none: parking on timers');
  runner = new AgentRunner(new CompositeAgent(agents), {
    idle: runtime.idle,
    ...(doorbell ? { doorbell } : {}),
    // What the cycle itself throws (the transport's conductor duties, a status; any service when not hosted) is
    // the first service's.
    onError: errors[0]!.report,
  }).start();
  for (const p of prepared) {
    p.log.info({
      idleWait: doorbell ? 'doorbell' : 'timer', ...(hosted ? { host: hostName, hostedWith: prepared.map((q) => q.def.name) } : {}),
      streams: Object.fromEntries(Object.entries(p.streams).map(([k, v]) => [k, `${v.streamId} ${v.channel}`])),
    }, `${p.def.name} running`);
  }
  stopHost = options.host?.({ runtime, log, transport: conn.transport });
}

/**
 * Under the local supervisor (which sets MM_PARENT_PID) a service whose supervisor died is reparented; it then
 * shuts down like on SIGTERM rather than run on as an orphan nobody will stop.
 */
function watchParent(env: NodeJS.ProcessEnv, log: Logger): void {
  const parent = Number(env.MM_PARENT_PID);
  if (!Number.isInteger(parent) || parent <= 0) return;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      log.warn({ parent, ppid: process.ppid }, 'supervisor is gone: shutting down');
      process.kill(process.pid, 'SIGTERM');
    }
  }, 1000);
  timer.unref();
}

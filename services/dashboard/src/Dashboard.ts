/**
 * Wires the agent to the HTTP/WebSocket server. `startDashboard` needs only a transport, so tests run the whole
 * dashboard in-process on the in-memory transport; `dashboardService` is the same wiring for `runService`.
 */
import { ServiceState } from '@mm/protocol';
import type { Clock, ServiceAgent, ServiceDefinition, Streams, Transport } from '@mm/runtime';
import { DashboardAgent } from './DashboardAgent.js';
import { dashboardSchema, type DashboardConfig } from './DashboardConfig.js';
import { DashboardHttpServer, type ServerLog } from './HttpServer.js';

export interface DashboardOptions {
  readonly config: DashboardConfig;
  readonly streams: Streams;
  readonly transport: Transport;
  readonly clock: Clock;
  readonly log?: ServerLog;
  readonly pageDir?: string;
}

export interface RunningDashboard {
  readonly agent: DashboardAgent;
  readonly server: DashboardHttpServer;
  /** `http://host:port/` as bound (the real port when configured with 0). */
  readonly url: string;
  /** Stops the server and closes the subscriptions. */
  stop(): Promise<void>;
}

export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const agent = await DashboardAgent.create(options);
  let server: DashboardHttpServer;
  try {
    server = await DashboardHttpServer.listen({
      host: options.config.host,
      port: options.config.port,
      snapshot: () => JSON.stringify(agent.snapshot()),
      maxClientBufferBytes: options.config.maxClientBufferBytes,
      ...(options.pageDir === undefined ? {} : { pageDir: options.pageDir }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  } catch (error) {
    agent.onClose();
    throw error;
  }
  agent.setSink(server);
  let stopped = false;
  return {
    agent,
    server,
    url: server.url,
    async stop() {
      if (stopped) return;
      stopped = true;
      agent.setSink(undefined);
      await server.close();
      agent.onClose();
    },
  };
}

export const dashboardService: ServiceDefinition<typeof dashboardSchema> = {
  name: 'mm_dashboard',
  configName: 'dashboard',
  schema: dashboardSchema,
  async start(ctx): Promise<ServiceAgent> {
    const running = await startDashboard({
      config: ctx.config, streams: ctx.streams, transport: ctx.transport, clock: ctx.clock, log: ctx.log,
    });
    ctx.status.setState(ServiceState.LIVE, `serving ${running.url}`);
    const agent = running.agent;
    return {
      roleName: agent.roleName,
      doWork: () => agent.doWork(),
      // The runner closes the agent (subscriptions) itself; stopping the server first ends the pushes.
      stop: () => running.stop(),
    };
  },
};

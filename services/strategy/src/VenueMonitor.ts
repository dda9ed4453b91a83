import { ServiceState } from '@mm/protocol';

/**
 * Is our venue fit to receive quotes? Yes while its last reported service state is LIVE and its last heartbeat (12)
 * arrived within the timeout (local monotonic time of reception). Both the state messages (11) and the heartbeats
 * (which repeat the state every second) update the state, so a strategy that starts after the venue's last state
 * change still learns it. Before any heartbeat the venue counts as not ok.
 */
export class VenueMonitor {
  private lastHeartbeatNs = Number.NEGATIVE_INFINITY;
  private state = 0;

  constructor(
    /** The venue's service name as on 11/12: `mm_simulator` or `matching-engine`. */
    readonly service: string,
    readonly timeoutNs: number,
  ) {}

  onState(state: number): void {
    this.state = state;
  }

  onHeartbeat(state: number, nowNs: number): void {
    this.state = state;
    this.lastHeartbeatNs = nowNs;
  }

  ok(nowNs: number): boolean {
    return this.state === ServiceState.LIVE && nowNs - this.lastHeartbeatNs <= this.timeoutNs;
  }

  /** Why the venue is not ok (for logs and the service state reason); '' when it is. */
  problem(nowNs: number): string {
    if (this.lastHeartbeatNs === Number.NEGATIVE_INFINITY) return `no heartbeat from ${this.service} yet`;
    if (nowNs - this.lastHeartbeatNs > this.timeoutNs) return `no heartbeat from ${this.service} for ${Math.round((nowNs - this.lastHeartbeatNs) / 1e6)} ms`;
    if (this.state !== ServiceState.LIVE) return `${this.service} is not LIVE (state ${this.state})`;
    return '';
  }
}

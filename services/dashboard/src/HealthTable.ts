/**
 * Service health from streams 11 (state changes) and 12 (heartbeats): one row per (service, instance). A row is
 * `stale` when its last heartbeat arrived longer ago than the configured bound, by the local monotonic clock at
 * receipt (never the sender's clock). Heartbeats arrive about once a second per service, so the string key made per
 * message is an accepted, bounded cost; the table holds at most `maxRows` rows so a misbehaving publisher cannot
 * grow it without bound.
 */
import type { HeartbeatDecoder, StateDecoder } from '@mm/protocol';
import { SERVICE_STATE_NAMES } from '@mm/protocol';

export interface HealthRowView {
  readonly service: string;
  readonly instanceId: number;
  readonly pid: number;
  readonly state: string;
  readonly reason: string;
  /** Per-symbol states a service reported (e.g. a collector syncing one book), "SYMBOL STATE" pairs. */
  readonly symbols: string;
  /** Milliseconds since the last heartbeat was received, or null if none yet. */
  readonly heartbeatAgeMs: number | null;
  readonly stale: boolean;
  readonly uptimeS: number;
  readonly messagesIn: number;
  readonly messagesOut: number;
  readonly errors: number;
}

class HealthRow {
  pid = 0;
  state = 0;
  reason = '';
  readonly symbolStates = new Map<string, number>();
  lastHeartbeatNs = NaN;
  uptimeNs = 0;
  messagesIn = 0;
  messagesOut = 0;
  errors = 0;
  constructor(readonly service: string, readonly instanceId: number) {}
}

export class HealthTable {
  private readonly rows = new Map<string, HealthRow>();
  /** Messages dropped because the table was full. */
  overflow = 0;

  constructor(private readonly staleNs: number, private readonly maxRows = 256) {}

  onHeartbeat(d: HeartbeatDecoder, nowNs: number): void {
    const row = this.row(d.service(), d.instanceId());
    if (!row) return;
    row.pid = d.pid();
    row.state = d.state();
    row.reason = d.reason();
    row.lastHeartbeatNs = nowNs;
    row.uptimeNs = d.uptimeNs();
    row.messagesIn = d.messagesIn();
    row.messagesOut = d.messagesOut();
    row.errors = d.errors();
  }

  onState(d: StateDecoder): void {
    const row = this.row(d.service(), d.instanceId());
    if (!row) return;
    row.pid = d.pid();
    const symbol = d.symbol();
    if (symbol === '') {
      row.state = d.state();
      row.reason = d.reason();
    } else {
      row.symbolStates.set(symbol, d.state());
    }
  }

  get size(): number { return this.rows.size; }

  view(nowNs: number): HealthRowView[] {
    const out: HealthRowView[] = [];
    for (const row of this.rows.values()) {
      const ageNs = Number.isNaN(row.lastHeartbeatNs) ? NaN : nowNs - row.lastHeartbeatNs;
      const symbols: string[] = [];
      for (const [s, st] of row.symbolStates) symbols.push(`${s} ${SERVICE_STATE_NAMES[st] ?? '?'}`);
      out.push({
        service: row.service,
        instanceId: row.instanceId,
        pid: row.pid,
        state: SERVICE_STATE_NAMES[row.state] ?? 'UNKNOWN',
        reason: row.reason,
        symbols: symbols.join(', '),
        heartbeatAgeMs: Number.isNaN(ageNs) ? null : Math.max(0, Math.round(ageNs / 1e6)),
        stale: Number.isNaN(ageNs) || ageNs > this.staleNs,
        uptimeS: Math.floor(row.uptimeNs / 1e9),
        messagesIn: row.messagesIn,
        messagesOut: row.messagesOut,
        errors: row.errors,
      });
    }
    out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.instanceId - b.instanceId));
    return out;
  }

  private row(service: string, instanceId: number): HealthRow | undefined {
    const key = `${service}#${instanceId}`;
    let row = this.rows.get(key);
    if (row === undefined) {
      if (this.rows.size >= this.maxRows) {
        this.overflow++;
        return undefined;
      }
      row = new HealthRow(service, instanceId);
      this.rows.set(key, row);
    }
    return row;
  }
}

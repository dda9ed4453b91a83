/**
 * `config/dashboard.toml`: where the dashboard listens, which symbols and venue it shows, how much history it keeps
 * and how often it pushes to browsers. It binds to 127.0.0.1 unless told otherwise: the page shows positions and
 * PnL and has no authentication, so exposing it is an explicit choice.
 */
import { c, type InferShape } from '@mm/config';
import { Venue } from '@mm/protocol';

export const dashboardSchema = {
  host: c.string({ default: '127.0.0.1', nonEmpty: true, doc: 'interface to bind; 0.0.0.0 exposes the dashboard to the network' }),
  port: c.port({ default: 8080, doc: 'HTTP and WebSocket port (0 = any free port, for tests)' }),
  symbols: c.array(c.string({ nonEmpty: true }), { default: ['BTCUSDT', 'ETHUSDT'], minLength: 1, maxLength: 64, doc: 'symbols shown' }),
  venue: c.enum(['simulator', 'engine'], { default: 'simulator', doc: 'venue whose quotes, fills and positions are shown' }),
  historyLength: c.int({ min: 10, max: 100_000, default: 3000, doc: 'chart points kept per symbol (one per push with a change)' }),
  fillHistoryLength: c.int({ min: 1, max: 10_000, default: 500, doc: 'fills kept per symbol for the chart markers' }),
  pushRateHz: c.int({ min: 1, max: 60, default: 10, doc: 'updates per second sent to each browser' }),
  pollFragmentLimit: c.int({ min: 1, max: 10_000, default: 256, doc: 'messages read per stream per duty cycle' }),
  heartbeatStaleMs: c.int({ min: 100, max: 600_000, default: 3000, doc: 'a service whose heartbeat is older is shown stale' }),
  maxClientBufferBytes: c.int({ min: 1024, max: 1 << 30, default: 4 << 20, doc: 'a browser further behind is skipped, then resynced' }),
};

export type DashboardConfig = InferShape<typeof dashboardSchema>;

export function venueId(venue: DashboardConfig['venue']): Venue {
  return venue === 'engine' ? Venue.ENGINE : Venue.SIMULATOR;
}

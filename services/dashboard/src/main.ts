/**
 * `mm_dashboard`: the live browser dashboard. Reads every stream untethered over Aeron and serves the page on
 * http://127.0.0.1:8080/ by default (`config/dashboard.toml`). Exit codes: 78 for bad configuration, 1 when the
 * driver is lost or the port cannot be bound.
 */
import { aeronConnector, runService } from '@mm/runtime';
import { dashboardService } from './Dashboard.js';

await runService(dashboardService, { connect: aeronConnector });

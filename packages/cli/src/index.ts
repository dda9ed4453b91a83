export { Supervisor, type ServiceSpec, type SupervisorOptions } from './supervisor/Supervisor.js';
export { formatLine } from './supervisor/formatLine.js';
export { checkHealth, type HealthReport } from './commands/health.js';

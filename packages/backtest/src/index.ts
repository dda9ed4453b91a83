export { runBacktest, type BacktestOptions, type BacktestResult } from './Backtest.js';
export { BacktestConfigError, loadBacktestConfig, parameterVariable, PARAMETER_ALIASES, type BacktestConfig, type BacktestConfigOptions } from './BacktestConfig.js';
export type { BacktestObserver, BookRow, FillRow, PositionRow, PricingPoint, PullRow, QuoteRow } from './BacktestEvents.js';
export { DataTime } from './DataTime.js';
export { EventLog, EVENT_LOG_COLUMNS } from './EventLog.js';
export { SummaryBuilder, summaryMarkdown, type Summary, type SymbolSummary } from './Summary.js';
export { ReportBuilder } from './Report.js';
export { writeOutputs, throughput, OUTPUT_FILES, type Throughput } from './Outputs.js';
export { runSweep, expandGrid, sweepMarkdown, sweepCsv, type SweepGrid, type SweepOptions, type SweepRow } from './Sweep.js';

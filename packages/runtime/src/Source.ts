/**
 * Where market data comes from: a live exchange connection, a recording replayed at recorded pace or as fast as
 * possible, or the simulated market. Services depend on this interface, never on a concrete source, so the same
 * code runs live, on a replay and in a backtest.
 */
export interface MarketDataSource<Sink> {
  readonly name: string;
  /** Starts delivering events to `sink`; resolves once the source is running. */
  start(sink: Sink): Promise<void>;
  /**
   * For sources driven by the caller (replay as fast as possible, backtests): delivers the events due up to and
   * including `untilNs` on the source's clock and returns how many were delivered. Live sources return 0.
   */
  pump?(untilNs: number): number;
  /** True once a finite source (a recording) has delivered everything. */
  readonly finished?: boolean;
  stop(): Promise<void>;
}

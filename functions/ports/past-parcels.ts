import type { PastParcel } from '../core/backtest/backtest.js';

/** Port: parcels decided in a period, with the facts they were screened with and their outcomes. */
export interface PastParcels {
  /**
   * Parcels decided from `since` (inclusive) to `until` (exclusive), ISO timestamps compared as text,
   * a batch at a time in no particular order, so a long period never sits in memory whole.
   */
  decidedBetween(since: string, until: string): AsyncIterable<PastParcel[]>;
}

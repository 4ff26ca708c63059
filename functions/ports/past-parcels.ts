import type { PastParcel } from '../core/backtest/backtest.js';

/** Port: parcels decided in a period, with the facts they were screened with and their outcomes. */
export interface PastParcels {
  /** Parcels decided from `since` (inclusive) to `until` (exclusive), ISO timestamps compared as text. */
  decidedBetween(since: string, until: string): Promise<PastParcel[]>;
}

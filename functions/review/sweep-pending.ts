import type { Clock } from '../ports/clock.js';
import { type FinishDeps, finishPending } from './finish-pending.js';

export interface SweepDeps extends FinishDeps {
  clock: Clock;
}

export interface SweepOptions {
  /** Actions younger than this are left to the request still finishing them. */
  graceSeconds: number;
  /** Bounds one sweep; what is left is swept next time, oldest first. */
  maxItems: number;
}

export interface SweepReport {
  /** Parcels whose pending effects this sweep finished. */
  finished: string[];
  /** Parcels it could not finish: they stay pending for the next sweep. */
  failed: { parcelKey: string; error: string }[];
  /** The sweep stopped at `maxItems` with more pending parcels possibly left for the next run. */
  more: boolean;
}

const PAGE = 100;

/**
 * Finishes what staff actions interrupted before `now - grace` still owe (audit entry, feedback),
 * oldest first. A parcel that fails is reported and stays pending; the others are still finished.
 * Every step is idempotent, so racing a request that finishes the same action records it once.
 */
export const sweepPending = async (deps: SweepDeps, options: SweepOptions): Promise<SweepReport> => {
  const before = new Date(deps.clock.now().getTime() - options.graceSeconds * 1000).toISOString();
  const report: SweepReport = { finished: [], failed: [], more: false };
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await deps.reviewQueue.listPending(before, {
      limit: Math.min(PAGE, options.maxItems - seen),
      ...(cursor ? { cursor } : {}),
    });
    for (const parcelKey of page.parcelKeys) {
      seen++;
      try {
        // The index lags: the item itself says whether anything is still owed.
        const item = await deps.reviewQueue.get(parcelKey);
        if (!item?.pending) continue;
        await finishPending(deps, item);
        report.finished.push(parcelKey);
      } catch (error) {
        report.failed.push({ parcelKey, error: error instanceof Error ? error.message : String(error) });
      }
    }
    cursor = page.cursor;
  } while (cursor !== undefined && seen < options.maxItems);
  report.more = cursor !== undefined;
  return report;
};

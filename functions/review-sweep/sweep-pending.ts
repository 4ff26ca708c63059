import { AppError } from '../platform/errors.js';
import { type FinishDeps, finishPending } from '../review/finish-pending.js';

/** What finishing needs, the clock included (it also dates the grace). */
export type SweepDeps = FinishDeps;

export interface SweepOptions {
  /** Claims this run's finishing under this name (the invocation's request id). */
  finisher: string;
  /** Actions younger than this are left to the request still finishing them. */
  graceSeconds: number;
  /** Bounds one sweep; what is left is swept next time, oldest first. */
  maxItems: number;
  /** Milliseconds the run may still take; it stops starting parcels below `reserveMs`. */
  timeLeftMs: () => number;
  reserveMs: number;
}

export interface SweepFailure {
  parcelKey: string;
  error: string;
  code?: string;
}

export interface SweepReport {
  /** Parcels whose pending effects this sweep finished. */
  finished: string[];
  /** Parcels another finisher (a request, an overlapping sweep) was finishing: theirs to finish. */
  busy: string[];
  /** Parcels it could not finish: they stay pending for the next sweep. */
  failed: SweepFailure[];
  /** The sweep stopped at `maxItems` or for time, with pending parcels possibly left for the next run. */
  more: boolean;
}

const PAGE = 100;

/**
 * Finishes what staff actions taken before `now - grace` still owe (audit entry, feedback), oldest
 * first. A parcel that fails is reported and stays pending; the others are still finished. Each is
 * claimed before it is finished (see finishPending), so racing a request never records anything twice.
 */
export const sweepPending = async (deps: SweepDeps, options: SweepOptions): Promise<SweepReport> => {
  const before = new Date(deps.clock.now().getTime() - options.graceSeconds * 1000).toISOString();
  const report: SweepReport = { finished: [], busy: [], failed: [], more: false };
  let cursor: string | undefined;
  let seen = 0;
  let stopped = false;
  const canGoOn = () => seen < options.maxItems && options.timeLeftMs() >= options.reserveMs;
  do {
    const page = await deps.reviewQueue.listPending(before, {
      limit: Math.min(PAGE, options.maxItems - seen),
      ...(cursor ? { cursor } : {}),
    });
    cursor = page.cursor;
    for (const parcelKey of page.parcelKeys) {
      if (!canGoOn()) {
        stopped = true;
        break;
      }
      seen++;
      try {
        // The index lags: the item itself says what is still owed, and since when.
        const item = await deps.reviewQueue.get(parcelKey);
        if (!item?.pending || item.pending.audit.at >= before) continue;
        if (await finishPending(deps, item, options.finisher)) report.finished.push(parcelKey);
        else report.busy.push(parcelKey);
      } catch (error) {
        report.failed.push({
          parcelKey,
          error: error instanceof Error ? error.message : String(error),
          ...(error instanceof AppError ? { code: error.code } : {}),
        });
      }
    }
  } while (cursor !== undefined && !stopped && canGoOn());
  report.more = stopped || cursor !== undefined;
  return report;
};

import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { dynamoDbReviewEffects } from '../adapters/dynamodb-review-effects.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, ReviewSweepConfigSchema } from '../platform/config.js';
import { DependencyError } from '../platform/errors.js';
import { makeLogger } from '../platform/logger.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { type SweepReport, sweepPending } from './sweep-pending.js';

const config = loadConfig(ReviewSweepConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'reviewSweep' });

const deps = {
  ...dynamoDbReviewEffects(getDocumentClient(), config, logger),
  clock: systemClock,
};

/** The failed parcels the run's error names; the rest are counted. */
const MAX_NAMED_FAILURES = 10;

/**
 * On a schedule: finishes the effects staff actions left pending. A parcel that cannot be finished
 * stays pending and fails the invocation, so the function's error alarm fires and the next run retries it.
 */
export const handler = middy<ScheduledEvent, SweepReport>(RUN_TO_LAMBDA_TIMEOUT).handler(
  async (_event, context) => {
    const report = await sweepPending(deps, {
      finisher: `sweep:${context.awsRequestId}`,
      graceSeconds: config.PENDING_GRACE_SECONDS,
      maxItems: config.SWEEP_MAX_ITEMS,
      timeLeftMs: () => context.getRemainingTimeInMillis(),
      // Room for the parcel in hand to finish, and for its claim to outlive nothing it guards.
      reserveMs: 20_000,
    });
    const summary = {
      finished: report.finished.length,
      busy: report.busy.length,
      failed: report.failed.length,
      more: report.more,
    };
    if (report.failed.length > 0) {
      // Not logged here: the thrown error fails the run for the function's error alarm, and the runtime
      // logs it once, naming the parcels (the first MAX_NAMED_FAILURES) and why each failed.
      const named = report.failed
        .slice(0, MAX_NAMED_FAILURES)
        .map((failure) => `${failure.parcelKey} (${failure.code ?? failure.error})`);
      const more = report.failed.length > MAX_NAMED_FAILURES ? ', …' : '';
      throw new DependencyError(
        `${report.failed.length} parcel(s) still owe the effects of a staff action; they stay pending for the next sweep: ${named.join(', ')}${more}`,
      );
    }
    if (report.finished.length > 0 || report.more)
      logger.warn('finished interrupted review actions', summary);
    return report;
  },
);

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
      // Logged here with every parcel; the thrown error fails the run for the function's error alarm.
      logger.error('pending review effects not finished', { ...summary, failures: report.failed });
      throw new DependencyError(
        `${report.failed.length} parcel(s) still owe the effects of a staff action; they stay pending for the next sweep`,
      );
    }
    if (report.finished.length > 0 || report.more)
      logger.warn('finished interrupted review actions', summary);
    return report;
  },
);

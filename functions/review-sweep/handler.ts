import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { dynamoDbReviewEffects } from '../adapters/dynamodb-review-effects.js';
import { systemClock } from '../adapters/system-clock.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, ReviewSweepConfigSchema } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { type SweepReport, sweepPending } from '../review/sweep-pending.js';

const config = loadConfig(ReviewSweepConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'reviewSweep' });

const deps = {
  ...dynamoDbReviewEffects(getDocumentClient(), config),
  clock: systemClock,
};

/**
 * On a schedule: finishes the effects staff actions left pending. A parcel that cannot be finished
 * stays pending and fails the invocation, so the function's error alarm fires and the next run retries it.
 */
export const handler = middy<ScheduledEvent, SweepReport>().handler(async () => {
  const report = await sweepPending(deps, {
    graceSeconds: config.PENDING_GRACE_SECONDS,
    maxItems: config.SWEEP_MAX_ITEMS,
  });
  for (const failure of report.failed) {
    logger.error('pending review effects not finished', {
      parcelKey: failure.parcelKey,
      error: failure.error,
    });
  }
  const summary = { finished: report.finished.length, failed: report.failed.length, more: report.more };
  if (report.finished.length > 0 || report.more) logger.warn('finished interrupted review actions', summary);
  if (report.failed.length > 0) {
    throw new Error(
      `${report.failed.length} parcel(s) still owe the effects of a staff action; they stay pending for the next sweep`,
    );
  }
  return report;
});

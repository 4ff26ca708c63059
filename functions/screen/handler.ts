import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseScreeningRequested } from '../../events/parse-message.js';
import {
  PARCELS_SCREENED,
  PARTY_DAY_FULL,
  PUBLISHED_LIST_REFUSED,
  SHARED_COUNTERPARTS_FULL,
} from '../../infra/definitions.js';
import { DynamoDbDecisionStore } from '../adapters/dynamodb-decision-store.js';
import { DynamoDbListStore } from '../adapters/dynamodb-list-store.js';
import { DynamoDbManifestParts } from '../adapters/dynamodb-manifest-parts.js';
import { DynamoDbPartyHistory } from '../adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../adapters/dynamodb-rule-statistics.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { readHashedRuleSetDirectory } from '../adapters/file-rule-set-source.js';
import { loadSharingAgreements } from '../adapters/file-sharing-agreements.js';
import { RandomControlSampler } from '../adapters/random-control-sampler.js';
import { SqsMessageQueue } from '../adapters/sqs-message-queue.js';
import { systemClock } from '../adapters/system-clock.js';
import type { RuleSetInput } from '../core/rules/index.js';
import { isFlaggedByRules } from '../core/screening/control-sample.js';
import { getDocumentClient, getSqsClient } from '../platform/clients.js';
import { loadConfig, ScreenConfigSchema } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { type RecordProcessor, settleBatch } from '../platform/sqs-batch.js';
import { makeLoadScreeningPolicy } from './load-screening-policy.js';
import { makeRefreshingPolicy } from './refreshing-policy.js';
import { makeScreenParcels } from './screen-parcels.js';

const config = loadConfig(ScreenConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'screen' });
const db = getDocumentClient();
// Bundled files are read (and their watchlists hashed) now, so a broken rule set fails the cold start.
const bundled = readHashedRuleSetDirectory(config.RULES_DIR, config.PARTY_KEY_SALT).input;
const offices = new FileOfficeDirectory(config.OFFICES_FILE).load();
const lists = new DynamoDbListStore(db, config.LISTS_TABLE);
/** What screening writes to and reads besides the rule sets: built once, whatever the lists do. */
const effects = {
  decisions: new DynamoDbDecisionStore(db, config.DECISIONS_TABLE),
  history: new DynamoDbPartyHistory(
    db,
    config.PARTY_HISTORY_TABLE,
    loadSharingAgreements(config.SHARING_AGREEMENTS_FILE),
    {
      // Each raises an alarm (a metric filter on the message): counts stop for the busiest parties.
      sharedCounterpartsFull: (item) => logger.warn(SHARED_COUNTERPARTS_FULL, { ...item }),
      partyDayFull: (day) => logger.warn(PARTY_DAY_FULL, { ...day }),
    },
  ),
  manifestParts: new DynamoDbManifestParts(db, config.PARTY_HISTORY_TABLE, systemClock.now),
  reviewQueue: new DynamoDbReviewQueue(db, config.REVIEW_QUEUE_TABLE),
  inspectionQueue: new SqsMessageQueue(getSqsClient(), config.INSPECTION_QUEUE_URL),
  referralQueue: new SqsMessageQueue(getSqsClient(), config.REFERRAL_QUEUE_URL),
  ruleStatistics: new DynamoDbRuleStatistics(db, config.RULE_STATISTICS_TABLE),
  clock: systemClock,
  offices,
  controlSampler: new RandomControlSampler(config.CONTROL_SAMPLE_PER_MILLE),
};
const shadowDir = config.SHADOW_RULES_DIR;
/** Read once it can be: a shadow that cannot be read or compiled is tried again at each refresh. */
let shadowRuleSet: RuleSetInput | undefined;

/**
 * The rule sets with the newest published lists, loaded on the first batch and checked again every
 * LIST_REFRESH_SECONDS (refreshing-policy.ts), so a load or a rollback reaches running containers too.
 */
const policiesInForce = makeRefreshingPolicy({
  clock: systemClock,
  refreshSeconds: config.LIST_REFRESH_SECONDS,
  load: makeLoadScreeningPolicy({ bundled: () => bundled, lists }),
  ...(shadowDir === undefined
    ? {}
    : {
        shadow: {
          dir: shadowDir,
          load: makeLoadScreeningPolicy({
            bundled: () =>
              (shadowRuleSet ??= readHashedRuleSetDirectory(shadowDir, config.PARTY_KEY_SALT).input),
            lists,
          }),
        },
      }),
  build: ({ live, shadow }) =>
    makeScreenParcels({
      ...effects,
      policy: live.policy,
      ...(shadow === undefined
        ? {}
        : {
            shadow: {
              policy: shadow.policy,
              failed: (parcelKey: string, reason: string) =>
                logger.error('shadow rule set failed on a parcel', { parcelKey, reason }),
            },
          }),
    }),
  logger,
});

const screenRecord =
  (screen: ReturnType<typeof makeScreenParcels>): RecordProcessor =>
  async (record) => {
    const message = parseScreeningRequested(record.body);
    const about = { partnerId: message.partnerId, manifestId: message.manifestId };
    const decisions = await screen(message);
    const flagged = decisions.filter(isFlaggedByRules).length;
    const controlSamples = decisions.filter((decision) => decision.controlSample === true).length;
    logger.info(PARCELS_SCREENED, {
      messageId: record.messageId,
      ...about,
      parcels: decisions.length,
      flagged,
      controlSamples,
    });
  };

/** SQS screening queue → decisions, history, review queue, inspection queue; failed records reported. */
export const handler = middy<SQSEvent, SQSBatchResponse>(RUN_TO_LAMBDA_TIMEOUT).handler(async (event) => {
  let inForce: Awaited<ReturnType<typeof policiesInForce>>;
  try {
    inForce = await policiesInForce();
  } catch (error) {
    // No rule set loaded yet: each record's failure, reported with it, and SQS delivers them again.
    return settleBatch(event, () => Promise.reject(error), logger);
  }
  // Every batch while a published list is refused, not only when the lists are read, so the alarm on it
  // (PUBLISHED_LIST_REFUSED, a log metric filter) stays raised until a fixed version is published and read.
  for (const refusal of inForce.live.refused) logger.error(PUBLISHED_LIST_REFUSED, refusal);
  return settleBatch(event, screenRecord(inForce.screening), logger);
});

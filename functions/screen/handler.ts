import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseScreeningRequested } from '../../events/parse-message.js';
import { PUBLISHED_LIST_REFUSED, SHADOW_RULE_SET_REFUSED } from '../../infra/definitions.js';
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
import { isFlaggedByRules } from '../core/screening/control-sample.js';
import { getDocumentClient, getSqsClient } from '../platform/clients.js';
import { loadConfig, ScreenConfigSchema } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { settleBatch } from '../platform/sqs-batch.js';
import { makeLoadScreeningPolicy, type ScreeningPolicyLoad } from './load-screening-policy.js';
import { makeScreenParcels } from './screen-parcels.js';

const config = loadConfig(ScreenConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'screen' });
const db = getDocumentClient();
// Bundled files are read (and their watchlists hashed) now, so a broken rule set fails the cold start.
const bundled = readHashedRuleSetDirectory(config.RULES_DIR, config.PARTY_KEY_SALT).input;
const offices = new FileOfficeDirectory(config.OFFICES_FILE).load();
const lists = new DynamoDbListStore(db, config.LISTS_TABLE);
const loadPolicy = makeLoadScreeningPolicy({ bundled: () => bundled, lists });
/**
 * The shadow rule set, best effort: one that cannot be read, compiled or loaded (its lists' query
 * throttled, say) is logged (an alarm watches for it) and screening goes on without it until the next
 * cold start. Nothing acts on a shadow, so nothing should wait on one, nor fail with it.
 */
const loadShadow = async (): Promise<ScreeningPolicyLoad | undefined> => {
  if (config.SHADOW_RULES_DIR === undefined) return undefined;
  try {
    const input = readHashedRuleSetDirectory(config.SHADOW_RULES_DIR, config.PARTY_KEY_SALT).input;
    return await makeLoadScreeningPolicy({ bundled: () => input, lists })();
  } catch (error) {
    logger.error(SHADOW_RULE_SET_REFUSED, { dir: config.SHADOW_RULES_DIR, reason: (error as Error).message });
    return undefined;
  }
};

const makeScreening = async () => {
  const { policy, fromStore, refused } = await loadPolicy();
  logger.info('rule set loaded', {
    ruleSetName: policy.id,
    version: policy.version,
    listsFromTable: fromStore,
  });
  const shadow = await loadShadow();
  if (shadow !== undefined) {
    logger.info('shadow rule set loaded', {
      ruleSetName: shadow.policy.id,
      version: shadow.policy.version,
      listsFromTable: shadow.fromStore,
    });
    // Not the live alarm's business: the shadow screens with what it could use, and acts on nothing.
    for (const refusal of shadow.refused)
      logger.warn('published list refused by the shadow rule set', refusal);
  }
  const screen = makeScreenParcels({
    policy,
    decisions: new DynamoDbDecisionStore(db, config.DECISIONS_TABLE),
    history: new DynamoDbPartyHistory(
      db,
      config.PARTY_HISTORY_TABLE,
      loadSharingAgreements(config.SHARING_AGREEMENTS_FILE),
      (item) => logger.warn('shared counterparts full', { ...item }),
    ),
    manifestParts: new DynamoDbManifestParts(db, config.PARTY_HISTORY_TABLE),
    reviewQueue: new DynamoDbReviewQueue(db, config.REVIEW_QUEUE_TABLE),
    inspectionQueue: new SqsMessageQueue(getSqsClient(), config.INSPECTION_QUEUE_URL),
    referralQueue: new SqsMessageQueue(getSqsClient(), config.REFERRAL_QUEUE_URL),
    ruleStatistics: new DynamoDbRuleStatistics(db, config.RULE_STATISTICS_TABLE),
    clock: systemClock,
    offices,
    controlSampler: new RandomControlSampler(config.CONTROL_SAMPLE_PER_MILLE),
    ...(shadow === undefined
      ? {}
      : {
          shadow: {
            policy: shadow.policy,
            failed: (parcelKey: string, reason: string) =>
              logger.error('shadow rule set failed on a parcel', { parcelKey, reason }),
          },
        }),
  });
  return { screen, refused };
};

/** Built on the first batch, once per execution environment: the newest published lists are read then. */
let screening: ReturnType<typeof makeScreening> | undefined;
const loadScreening = (): ReturnType<typeof makeScreening> => {
  screening ??= makeScreening().catch((error: unknown) => {
    screening = undefined;
    throw error;
  });
  return screening;
};
const screenParcels: ReturnType<typeof makeScreenParcels> = async (message) =>
  (await loadScreening()).screen(message);

/**
 * Every batch while a published list is refused, not only at cold start, so the alarm on it
 * (PUBLISHED_LIST_REFUSED, a log metric filter) stays raised until a fixed version is published.
 */
const reportRefusedLists = async (): Promise<void> => {
  // A load that fails is each record's failure, reported with it by settleBatch.
  const loaded = await loadScreening().catch(() => undefined);
  for (const refusal of loaded?.refused ?? []) logger.error(PUBLISHED_LIST_REFUSED, refusal);
};

const screenRecord = async (record: SQSRecord): Promise<void> => {
  const decisions = await screenParcels(parseScreeningRequested(record.body));
  const flagged = decisions.filter(isFlaggedByRules).length;
  const controlSamples = decisions.filter((decision) => decision.controlSample === true).length;
  logger.info('parcels screened', {
    messageId: record.messageId,
    parcels: decisions.length,
    flagged,
    controlSamples,
  });
};

/** SQS screening queue → decisions, history, review queue, inspection queue; failed records reported. */
export const handler = middy<SQSEvent, SQSBatchResponse>(RUN_TO_LAMBDA_TIMEOUT).handler(async (event) => {
  await reportRefusedLists();
  return settleBatch(event, screenRecord, logger);
});

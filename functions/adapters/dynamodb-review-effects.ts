import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReviewEffectsConfig } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { DynamoDbAuditLog } from './dynamodb-audit-log.js';
import { DynamoDbPartyHistory } from './dynamodb-party-history.js';
import { DynamoDbReviewQueue } from './dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from './dynamodb-rule-statistics.js';
import { loadSharingAgreements } from './file-sharing-agreements.js';

/**
 * Where a staff action and what it owes are stored: the review queue, the audit log, the party history
 * (sharing seizures as the agreements say) and the rule statistics. The review function and the
 * review sweep wire the same four.
 */
export const dynamoDbReviewEffects = (
  db: DynamoDBDocumentClient,
  config: ReviewEffectsConfig,
  logger: Logger,
) => ({
  reviewQueue: new DynamoDbReviewQueue(db, config.REVIEW_QUEUE_TABLE),
  auditLog: new DynamoDbAuditLog(db, config.AUDIT_LOG_TABLE),
  history: new DynamoDbPartyHistory(
    db,
    config.PARTY_HISTORY_TABLE,
    loadSharingAgreements(config.SHARING_AGREEMENTS_FILE),
    { sharedSeizuresFull: (item) => logger.warn('shared seizures full', { ...item }) },
  ),
  ruleStatistics: new DynamoDbRuleStatistics(db, config.RULE_STATISTICS_TABLE),
  /** A failed finisher's claim not given back (finish-pending.ts): it runs out on its own. */
  claimNotReleased: (parcelKey: string, error: unknown) =>
    logger.warn('pending claim not released', { parcelKey, error }),
});

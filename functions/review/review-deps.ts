import type { OfficeTree } from '../core/access/offices.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { Clock } from '../ports/clock.js';
import type { DecisionStore } from '../ports/decision-store.js';
import type { PartyHistory } from '../ports/party-history.js';
import type { ReviewQueue } from '../ports/review-queue.js';
import type { RuleStatistics } from '../ports/rule-statistics.js';

/** What the review use cases need; the handler builds it once per execution environment. */
export interface ReviewDeps {
  reviewQueue: ReviewQueue;
  decisions: DecisionStore;
  history: PartyHistory;
  ruleStatistics: RuleStatistics;
  auditLog: AuditLog;
  offices: OfficeTree;
  clock: Clock;
  /**
   * A claim on pending effects that could not be given back after finishing them failed (it runs out on
   * its own): reported with the parcel's key. dynamoDbReviewEffects logs it.
   */
  claimNotReleased?: (parcelKey: string, error: unknown) => void;
  leaseMinutes: number;
  pageSize: number;
}

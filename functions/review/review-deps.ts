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
  leaseMinutes: number;
  pageSize: number;
}

import type { FiredRule } from '../core/screening/decision.js';
import type { Lane } from '../core/screening/lane.js';

export type ReviewStatus = 'open' | 'claimed' | 'closed';

/** One flagged parcel waiting for an officer of its inspection office. */
export interface ReviewItem {
  parcelKey: string;
  partnerId: string;
  manifestId: string;
  parcelId: string;
  inspectionOffice: string;
  status: ReviewStatus;
  score: number;
  lane: Lane;
  firedRules: FiredRule[];
  ruleSetVersion: string;
  flaggedAt: string;
  goodsSummary: string;
  route: string;
}

export interface ReviewPage {
  items: ReviewItem[];
  cursor?: string;
}

/** Port: the review queue, per office and status, highest score first. */
export interface ReviewQueue {
  /** Adds the parcel once; a second add leaves the stored item (and any claim on it) untouched. */
  enqueue(item: ReviewItem): Promise<void>;
  list(office: string, status: ReviewStatus, options?: { limit?: number; cursor?: string }): Promise<ReviewPage>;
}

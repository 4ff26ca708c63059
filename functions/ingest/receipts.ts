import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import type { ManifestRecord } from '../ports/manifest-store.js';

/** What the partner is told: the same answer for the first delivery and every replay of it. */
export const receiptOf = (record: ManifestRecord): ManifestReceipt => ({
  manifestId: record.manifestId,
  partnerId: record.partnerId,
  parcelCount: record.parcelIds.length,
  receivedAt: record.receivedAt,
  status: 'accepted',
});

import { isContractId, MANIFEST_LIMITS } from './manifest-v1.js';

/**
 * What a failure line names of a message, so an operator can tell whose parcels failed and find them
 * in a dead-letter queue: its identifiers, never personal data (names, phones, addresses, goods).
 */
export interface MessageIds {
  partnerId?: string;
  manifestId?: string;
  parcelId?: string;
  /** A screening message's parcels (house document numbers of `partnerId`). */
  parcelIds?: string[];
  referralId?: string;
}

const ID_KEYS = ['partnerId', 'manifestId', 'parcelId', 'referralId'] as const;

/**
 * The identifiers of a message body, whatever else it holds or breaks (it may not be JSON, or not its
 * contract): those of our messages' identifier fields that hold contract ids (top level, and a screening
 * message's `items[].parcel.parcelId`). Nothing else of the body is read, so nothing personal can be
 * logged or shown.
 */
export const messageIdsIn = (body: string): MessageIds => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const message = json as Record<string, unknown>;
  const ids: MessageIds = {};
  for (const key of ID_KEYS) if (isContractId(message[key])) ids[key] = message[key] as string;
  if (Array.isArray(message.items)) {
    const parcelIds = message.items
      .slice(0, MANIFEST_LIMITS.maxParcels)
      .map((item: unknown) => (item as { parcel?: { parcelId?: unknown } } | null)?.parcel?.parcelId)
      .filter(isContractId);
    if (parcelIds.length > 0) ids.parcelIds = parcelIds;
  }
  return ids;
};

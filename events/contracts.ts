import { z } from 'zod';
import { ManifestReceiptSchema } from './manifest-receipt-v1.js';
import { ManifestStatusSchema } from './manifest-status-v1.js';
import { ManifestSchema } from './manifest-v1.js';
import { ParcelFlaggedSchema } from './parcel-flagged-v1.js';
import { ParcelReferredSchema } from './parcel-referred-v1.js';
import { ReferralWebhookSchema } from './referral-webhook-v1.js';
import { ScreeningRequestedSchema } from './screening-requested-v1.js';

/**
 * Every message parcelguard takes or sends across a boundary (queue messages, webhook bodies and the
 * partner API's answers), by the name its JSON Schema and its sample (`events/samples/`) go by: what
 * carries it, who writes it and who reads it.
 */
export const CONTRACTS = {
  'manifest-v1': {
    schema: ManifestSchema,
    carriedBy: 'body of POST /v1/manifests',
    from: 'partner',
    to: 'ingest',
  },
  'manifest-receipt-v1': {
    schema: ManifestReceiptSchema,
    carriedBy: '202 answer to POST /v1/manifests',
    from: 'ingest',
    to: 'partner',
  },
  'manifest-status-v1': {
    schema: ManifestStatusSchema,
    carriedBy: 'answer to GET /v1/manifests/{manifestId}',
    from: 'partner-status',
    to: 'partner',
  },
  'screening-requested-v1': {
    schema: ScreeningRequestedSchema,
    carriedBy: 'screening queue',
    from: 'ingest',
    to: 'screen',
  },
  'parcel-flagged-v1': {
    schema: ParcelFlaggedSchema,
    carriedBy: 'inspection queue',
    from: 'screen',
    to: 'inspection systems downstream',
  },
  'parcel-referred-v1': {
    schema: ParcelReferredSchema,
    carriedBy: 'referral queue',
    from: 'screen',
    to: 'notify',
  },
  'referral-webhook-v1': {
    schema: ReferralWebhookSchema,
    carriedBy: "POST to the partner's callback URL",
    from: 'notify',
    to: 'partner',
  },
} as const;

export type ContractName = keyof typeof CONTRACTS;

export const CONTRACT_NAMES = Object.keys(CONTRACTS) as ContractName[];

export const isContractName = (name: string): name is ContractName => Object.hasOwn(CONTRACTS, name);

/**
 * A contract as JSON Schema (draft 2020-12), for editors, partners and downstream consumers: what a
 * sender may send, so a field with a default (left out by senders from before it) is optional.
 */
export const contractJsonSchema = (name: ContractName) =>
  z.toJSONSchema(CONTRACTS[name].schema, { io: 'input' });

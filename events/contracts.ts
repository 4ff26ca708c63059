import { z } from 'zod';
import { ManifestReceiptSchema } from './manifest-receipt-v1.js';
import { ManifestStatusSchema } from './manifest-status-v1.js';
import { ManifestSchema, SAFE_TEXT } from './manifest-v1.js';
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

/** Where each contract's readers are parcelguard's own functions, which refuse fields they do not know. */
const OWN_READERS: ReadonlySet<string> = new Set(['ingest', 'screen', 'notify']);

/**
 * Whether the contract is read outside parcelguard (by partners, by inspection systems downstream): v1
 * may gain optional fields, which such a reader ignores, so its schema does not forbid them.
 */
export const isReadOutside = (name: ContractName): boolean => !OWN_READERS.has(CONTRACTS[name].to);

/**
 * A contract as JSON Schema (draft 2020-12), for editors, partners and downstream consumers: what a
 * sender may send, so a field with a default (left out by senders from before it) is optional. A
 * contract parcelguard takes (a manifest) or passes between its functions forbids unknown fields, as
 * they are refused; one read outside parcelguard allows them (isReadOutside). Patterns say `[0-9]`, never
 * `\d`, which some validators (Python's) read as any Unicode digit: `６` would pass.
 */
export const contractJsonSchema = (name: ContractName) => {
  const schema = z.toJSONSchema(CONTRACTS[name].schema, { io: 'input' });
  return portable(schema, isReadOutside(name)) as typeof schema;
};

/**
 * SAFE_TEXT as a sender's text meets it: every contract's text is trimmed before it is checked (`text` and
 * `postcode` in manifest-v1.ts), so white space at either end, a tab or a CRLF included, is taken there.
 * ECMAScript's `\s` is exactly what trim drops.
 */
const SENT_SAFE_TEXT = `^\\s*${SAFE_TEXT.source.slice(1, -1)}\\s*$`;

/**
 * The JSON Schema with ASCII digits in its patterns, SAFE_TEXT as sent (SENT_SAFE_TEXT) and, when
 * `open`, no `additionalProperties: false`.
 */
const portable = (node: unknown, open: boolean): unknown => {
  if (Array.isArray(node)) return node.map((item) => portable(item, open));
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).flatMap(([key, value]): [string, unknown][] => {
      if (key === 'pattern' && typeof value === 'string')
        return [[key, asciiDigits(value === SAFE_TEXT.source ? SENT_SAFE_TEXT : value)]];
      if (key === 'additionalProperties' && value === false && open) return [];
      return [[key, portable(value, open)]];
    }),
  );
};

/**
 * A regular expression with every `\d` written `[0-9]` (`0-9` inside a character class): the same in
 * JavaScript, where `\d` is ASCII, and in validators where it is not.
 */
export const asciiDigits = (pattern: string): string => {
  let out = '';
  let inClass = false;
  for (let at = 0; at < pattern.length; at += 1) {
    const char = pattern[at]!;
    if (char === '\\') {
      const next = pattern[at + 1] ?? '';
      at += 1;
      out += next === 'd' ? (inClass ? '0-9' : '[0-9]') : `${char}${next}`;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    out += char;
  }
  return out;
};

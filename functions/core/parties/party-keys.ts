import { createHmac } from 'node:crypto';
import type { Parcel, Party } from '../../../events/manifest-v1.js';
import { keyedAddress } from './address.js';
import { keyedIdDocument } from './id-document.js';
import { normalizeName } from './name.js';
import { normalizePhone, phoneDigits } from './phone.js';

/**
 * Stable, salted keys for the parties on a parcel. A key is `<kind>_<22 base64url characters>`: the
 * first 132 bits of HMAC-SHA256(salt, kind + NUL + normalized value). Nothing in clear ever reaches
 * a key, and without the salt a key cannot be tested against a guessed phone number.
 *
 * Resolution: a consignee (and a shipper) is anchored on its phone, not its name. Names are the part
 * of a label that varies most (张伟 / 張偉 / Zhang Wei / Mr WEI ZHANG), so a consignee who varies the
 * spelling but keeps the phone keeps the same consignee key and the same history. One who keeps the
 * address but changes the phone meets the same `address` key. The normalized name is still hashed
 * (`consigneeName`) so the history can count how many names one phone or address is used with.
 *
 * The salt is per deployment, not per region, so keys are comparable across regions: that is what lets
 * shared intelligence match indicators (docs/parties-and-history.md, privacy model).
 */

/** Hashed, salted keys of the parties on one parcel; never personal data in clear. */
export interface PartyKeys {
  /** The consignee, anchored on the consignee's phone (see core/parties/party-keys.ts). */
  consignee: string;
  /** The shipper, anchored on the shipper's phone. */
  shipper: string;
  /** The consignee's phone. */
  phone: string;
  /**
   * The consignee's address, canonical and building-level; absent when it names no street (keyedAddress:
   * `Room 1, Wuzhou` says no more than its city, and would make every such address one party).
   */
  address?: string;
  /** The consignee's ID document, when the parcel carries one whose number has a letter or digit. */
  idDocument?: string;
  /** The consignee's normalized name: counted per phone, never a history of its own. */
  consigneeName?: string;
}

export const PARTY_KEY_KINDS = ['consignee', 'shipper', 'phone', 'address', 'idDocument', 'name'] as const;
export type PartyKeyKind = (typeof PARTY_KEY_KINDS)[number];

const PREFIX: Readonly<Record<PartyKeyKind, string>> = {
  consignee: 'cn',
  shipper: 'sh',
  phone: 'ph',
  address: 'ad',
  idDocument: 'id',
  name: 'nm',
};

const KEY_PATTERN = /^(cn|sh|ph|ad|id|nm)_[A-Za-z0-9_-]{22}$/;

export const hashIndicator = (kind: PartyKeyKind, normalized: string, salt: string): string => {
  const digest = createHmac('sha256', salt).update(`${kind}\u0000${normalized}`).digest('base64url');
  return `${PREFIX[kind]}_${digest.slice(0, 22)}`;
};

/** True for any string shaped like a key this module derives (e.g. to validate a path parameter). */
export const isPartyKey = (value: string): boolean => KEY_PATTERN.test(value);

/** The kind of party a key stands for, or null when it is not a party key. */
export const kindOfKey = (key: string): PartyKeyKind | null => {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  return PARTY_KEY_KINDS.find((kind) => PREFIX[kind] === match[1]) ?? null;
};

/** A party's phone in E.164, or its bare digits marked as unresolved when it cannot be made E.164. */
export const resolvedPhone = (party: Party): string =>
  normalizePhone(party.phone, party.address.country) ?? `unresolved:${phoneDigits(party.phone)}`;

/**
 * The keys of a parcel's parties. An address that names no street and an ID document whose number has
 * no letter or digit get no key (keyedAddress, keyedIdDocument), as a parcel without an ID document
 * has none: no history, links or sharing, and `parties.address` / `parties.idDocument` missing for rules.
 */
export const derivePartyKeys = (parcel: Parcel, salt: string): PartyKeys => {
  if (salt.length < 16) throw new RangeError('party key salt must be at least 16 characters');
  const { consignee, shipper } = parcel;
  const consigneePhone = resolvedPhone(consignee);
  const address = keyedAddress(consignee.address);
  const idDocument = consignee.idDocument && keyedIdDocument(consignee.idDocument);
  return {
    consignee: hashIndicator('consignee', consigneePhone, salt),
    shipper: hashIndicator('shipper', resolvedPhone(shipper), salt),
    phone: hashIndicator('phone', consigneePhone, salt),
    ...(address === undefined ? {} : { address: hashIndicator('address', address, salt) }),
    consigneeName: hashIndicator('name', normalizeName(consignee.name), salt),
    ...(idDocument ? { idDocument: hashIndicator('idDocument', idDocument, salt) } : {}),
  };
};

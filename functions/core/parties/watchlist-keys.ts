import { SentAddressSchema, SentIdDocumentSchema } from '../../../events/manifest-v1.js';
import { KEY_KIND_OF_WATCHLIST } from '../rules/compile-list.js';
import type { RuleSetSourceFile } from '../rules/compile-rule-set.js';
import { RuleSetError, type RuleSetIssue } from '../rules/errors.js';
import { type ListDocument, ListDocumentSchema, type WatchlistKind } from '../rules/rule-set-schema.js';
import { keyedAddress } from './address.js';
import { keyedIdDocument } from './id-document.js';
import { normalizeName } from './name.js';
import { hashIndicator } from './party-keys.js';
import { normalizePhone } from './phone.js';

/**
 * Watchlists of personal indicators are written in clear by analysts and hashed when they are loaded,
 * with the same normalization and the same salted hash as the parcel's party keys
 * (`derivePartyKeys`), so a rule compares `parties.phone` with a list of phone keys and no clear
 * value reaches the compiled rule set, the lists table or a log. Problems name the value's position,
 * never the value.
 */

type Normalized = { ok: true; value: string } | { ok: false; reason: string };

const PHONE_HINT =
  'not a phone number that can be made E.164: write it with its country code (+86 …) or set the list country';

const normalizeWatched = (holds: WatchlistKind, value: unknown, country: string | undefined): Normalized => {
  switch (holds) {
    case 'phone':
    case 'consignee':
    case 'shipper': {
      // YAML reads an unquoted 13900000002 as a number, which has lost any + or leading 0 it had.
      if (typeof value === 'number')
        return { ok: false, reason: 'a number, not text: quote the phone number as written' };
      const phone = typeof value === 'string' ? normalizePhone(value, country ?? '') : null;
      return phone === null ? { ok: false, reason: PHONE_HINT } : { ok: true, value: phone };
    }
    case 'address': {
      const address = SentAddressSchema.safeParse(value);
      if (!address.success)
        return {
          ok: false,
          reason: 'not an address as in the manifest contract: { country, region, city, line }',
        };
      // A parcel's address that names no street gets no key (keyedAddress): listed, it would match none.
      const keyed = keyedAddress(address.data);
      return keyed === undefined
        ? {
            ok: false,
            reason:
              'names no street (only a room, flat, number, block or the city): no parcel is keyed on one',
          }
        : { ok: true, value: keyed };
    }
    case 'idDocument': {
      const document = SentIdDocumentSchema.safeParse(value);
      if (!document.success)
        return { ok: false, reason: 'not an ID document as in the manifest contract: { type, number }' };
      const keyed = keyedIdDocument(document.data);
      return keyed === undefined
        ? { ok: false, reason: 'a number with no letter or digit: no parcel is keyed on one' }
        : { ok: true, value: keyed };
    }
    case 'consigneeName': {
      const name = typeof value === 'string' ? normalizeName(value) : '';
      return name === '' ? { ok: false, reason: 'not a name' } : { ok: true, value: name };
    }
  }
};

/** Hashed as a phone, it can be no phone's key: a phone's key is made from its E.164 or its digits. */
const SALT_PROBE = 'salt-proof';

/**
 * Which salt keys were made with, without revealing it: the key it gives a value no party has. Two
 * watchlists with the same proof were keyed with the same salt.
 */
export const saltProofOf = (salt: string): string => hashIndicator('phone', SALT_PROBE, salt);

/**
 * A watchlist with its values replaced by their salted keys (`hashed: true`, and the salt's proof);
 * any other list, or one
 * already hashed, unchanged. Throws a RuleSetError naming each value that cannot be normalized or repeats
 * an earlier one after normalization (by position; a clear value is never echoed).
 */
export const hashWatchlist = (list: ListDocument, salt: string, file: string): ListDocument => {
  if (list.holds === undefined || list.hashed) return list;
  if (salt.length < 16) throw new RangeError('party key salt must be at least 16 characters');
  const kind = KEY_KIND_OF_WATCHLIST[list.holds];
  const issues: RuleSetIssue[] = [];
  /** Each key and the position of its first value: values equal after normalization are refused. */
  const keys = new Map<string, number>();
  list.values.forEach((value, index) => {
    const normalized = normalizeWatched(list.holds!, value, list.country);
    if (!normalized.ok) {
      issues.push({ file, path: `values[${index}]`, reason: `list ${list.name}: ${normalized.reason}` });
      return;
    }
    const key = hashIndicator(kind, normalized.value, salt);
    const first = keys.get(key);
    if (first === undefined) keys.set(key, index);
    else
      issues.push({
        file,
        path: `values[${index}]`,
        reason: `list ${list.name}: the same ${list.holds} as values[${first}] after normalization`,
      });
  });
  if (issues.length > 0) throw new RuleSetError(issues);
  return { ...list, hashed: true, saltProof: saltProofOf(salt), values: [...keys.keys()] };
};

/** The list files of a rule set with every watchlist hashed; files that do not parse are left to the compiler. */
export const hashWatchlists = (lists: readonly RuleSetSourceFile[], salt: string): RuleSetSourceFile[] =>
  lists.map((source) => {
    const parsed = ListDocumentSchema.safeParse(source.document);
    if (!parsed.success || parsed.data.holds === undefined) return source;
    return { file: source.file, document: hashWatchlist(parsed.data, salt, source.file) };
  });

import { derivePartyKeys } from '../parties/party-keys.js';
import type { PastParcel } from './backtest.js';

/** How many of the first parcels read have their party keys derived again: enough to tell, cheap for any period. */
export const SALT_CHECKED_PARCELS = 20;

/**
 * Whether a salt is the one the recorded parcels were keyed with. A backtest compares the candidate's
 * watchlists, hashed with the salt it is given, with the party keys recorded on each decision: under
 * another salt no watchlist ever matches, and watchlist hits show as lane changes without a word. So the
 * phone key of the first parcels read (those with one) is derived again from their recorded parcel and compared with the
 * recorded one. A wrong salt matches none; one parcel keyed otherwise does not make the salt wrong.
 */
export const startSaltCheck = (salt: string, limit = SALT_CHECKED_PARCELS) => {
  let checked = 0;
  let matched = 0;
  return {
    add: (parcel: PastParcel): void => {
      const recorded = parcel.facts.parties?.phone;
      if (checked >= limit || recorded === undefined) return;
      checked += 1;
      if (derivePartyKeys(parcel.facts.parcel, salt).phone === recorded) matched += 1;
    },
    /** Every parcel checked so far has another phone key than the salt derives (none checked: not wrong). */
    get wrongSalt(): boolean {
      return checked > 0 && matched === 0;
    },
    /** As many parcels checked as the check takes: its answer no longer changes. */
    get complete(): boolean {
      return checked >= limit;
    },
  };
};

import { foldText } from './text.js';

/**
 * Phone numbers to E.164 (`+8613812345678`).
 *
 * - Full-width digits and signs are folded (NFKC); spaces, dashes, dots and parentheses are dropped.
 * - `+` or the international prefix `00` means the number carries its country code.
 * - Otherwise the country comes from the party's address, and its national trunk prefix (`0` in
 *   most countries, `1` in North America) is dropped: `(0755) 8888-8888` in CN is `+8675588888888`.
 * - A trunk `0` written after the country code (`+86 (0)755 …`) is dropped as well.
 * - A CN mobile written with its country code but no `+` (`86 138 1234 5678`) is recognised whatever
 *   the address's country (cross-border consignees give their Chinese mobile so); a national number
 *   that looks the same, 13 digits starting `861[3-9]`, is taken for the mobile.
 * - A number written with the address's country code but no `+` (`852 9123 4567` in HK,
 *   `86 755 8888 8888` in CN) is read with that code when it is no valid national number as written.
 * - CN numbers are checked: mobiles are `1[3-9]` and 11 digits, landlines an area code of 2 or 3
 *   digits (10, 2x, or 3 digits starting 3-9) and 7 or 8 subscriber digits; HK, MO and SG numbers
 *   have 8 digits and TW's 8 or 9 after the trunk 0. Other countries are only checked for E.164 length
 *   (at most 15 digits, at least 7).
 * Returns null when the number cannot be made E.164; callers key such a party on its digits instead.
 */

interface CountryPlan {
  callingCode: string;
  trunkPrefix: string;
  /** The lengths a national number has (trunk prefix dropped), where every number has one of them. */
  nationalLengths?: readonly number[];
}

export const COUNTRY_PLANS: Readonly<Record<string, CountryPlan>> = {
  CN: { callingCode: '86', trunkPrefix: '0' },
  HK: { callingCode: '852', trunkPrefix: '', nationalLengths: [8] },
  MO: { callingCode: '853', trunkPrefix: '', nationalLengths: [8] },
  TW: { callingCode: '886', trunkPrefix: '0', nationalLengths: [8, 9] },
  MM: { callingCode: '95', trunkPrefix: '0' },
  LA: { callingCode: '856', trunkPrefix: '0' },
  VN: { callingCode: '84', trunkPrefix: '0' },
  TH: { callingCode: '66', trunkPrefix: '0' },
  KH: { callingCode: '855', trunkPrefix: '0' },
  MY: { callingCode: '60', trunkPrefix: '0' },
  SG: { callingCode: '65', trunkPrefix: '', nationalLengths: [8] },
  GB: { callingCode: '44', trunkPrefix: '0' },
  DE: { callingCode: '49', trunkPrefix: '0' },
  FR: { callingCode: '33', trunkPrefix: '0' },
  NL: { callingCode: '31', trunkPrefix: '0' },
  AU: { callingCode: '61', trunkPrefix: '0' },
  US: { callingCode: '1', trunkPrefix: '1' },
  CA: { callingCode: '1', trunkPrefix: '1' },
};

/** Calling codes ordered longest first, so `+852…` is read as HK before `+85…` could match anything. */
const CALLING_CODES = [...new Set(Object.values(COUNTRY_PLANS).map((plan) => plan.callingCode))].sort(
  (a, b) => b.length - a.length,
);

const CN_MOBILE = /^1[3-9]\d{9}$/;
const CN_LANDLINE = /^(?:10|2\d)\d{8}$|^[3-9]\d{2}\d{7,8}$/;

/** Digits of a phone as written, after folding, with a leading `+` kept. */
export const phoneDigits = (raw: string): string => {
  const folded = foldText(raw).replace(/[\s().\-‐‑–—]/gu, '');
  const plus = folded.startsWith('+') ? '+' : '';
  return plus + folded.replace(/\D/gu, '');
};

const planOf = (callingCode: string): CountryPlan | undefined =>
  Object.values(COUNTRY_PLANS).find((candidate) => candidate.callingCode === callingCode);

const isValidNational = (callingCode: string, national: string): boolean => {
  if (callingCode === '86') return CN_MOBILE.test(national) || CN_LANDLINE.test(national);
  const lengths = planOf(callingCode)?.nationalLengths;
  if (lengths !== undefined) return /^[1-9]/.test(national) && lengths.includes(national.length);
  const total = callingCode.length + national.length;
  return national.length > 0 && total >= 7 && total <= 15;
};

const withCallingCode = (callingCode: string, rest: string): string | null => {
  const plan = planOf(callingCode);
  const national = plan?.trunkPrefix === '0' && rest.startsWith('0') ? rest.slice(1) : rest;
  return isValidNational(callingCode, national) ? `+${callingCode}${national}` : null;
};

const international = (digits: string): string | null => {
  for (const callingCode of CALLING_CODES) {
    if (digits.startsWith(callingCode)) return withCallingCode(callingCode, digits.slice(callingCode.length));
  }
  // A country outside our plans: accept any plausible E.164 number as written.
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
};

/** The E.164 form of a phone number, or null; `country` (ISO 3166-1 alpha-2) is the address's. */
export const normalizePhone = (raw: string, country: string): string | null => {
  const written = phoneDigits(raw);
  if (written.startsWith('+')) return international(written.slice(1));
  if (written.startsWith('00')) return international(written.slice(2));
  // Before the address's plan: a cross-border consignee abroad often gives a Chinese mobile this way.
  if (written.startsWith('86') && CN_MOBILE.test(written.slice(2))) return `+86${written.slice(2)}`;
  const plan = COUNTRY_PLANS[country];
  if (!plan) return null;
  const national =
    plan.trunkPrefix !== '' && written.startsWith(plan.trunkPrefix)
      ? written.slice(plan.trunkPrefix.length)
      : written;
  if (isValidNational(plan.callingCode, national)) return `+${plan.callingCode}${national}`;
  // The country's own code written without `+` (`852 9123 4567` in HK): only when it reads no other way.
  return written.startsWith(plan.callingCode)
    ? withCallingCode(plan.callingCode, written.slice(plan.callingCode.length))
    : null;
};

import { normalizeText } from '../text/text.js';
import { CN_PROVINCES, type ProvinceDivision } from './cn-provinces.js';

/**
 * Which Chinese provincial-level division a place's region (or city) text names, as an ISO 3166-2 code
 * (`CN-YN`), or none. Partners write the region as they please: `Yunnan`, `云南`, `云南省`, `雲南`,
 * `Yunnan Province, China`, `YN`, `CN-YN`, `云南省德宏州`, `Hei Long Jiang`. The text is normalized as
 * text comparisons normalize it (normalizeText: width, case, traditional to simplified), spaces,
 * punctuation and symbols dropped, a country named at its end (or 中国 at its start) dropped, then it is
 * matched whole against each division's names (CN_PROVINCES), with or without an administrative suffix
 * (省, 自治区, province, autonomous region, …), or the ISO code with or without `CN-`. Failing that, text
 * that starts with a division's Chinese name with its suffix names it (`云南省德宏州`): never a bare
 * prefix, so `云浮` is not Yunnan, `宁波` not Ningxia, `青岛` not Qinghai, and `海南藏族自治州` (a
 * prefecture of Qinghai) not Hainan. There is no gazetteer of cities: a city names a division only when
 * it is one (the municipalities, Hong Kong, Macao) or starts with a division's full Chinese name. What
 * does not resolve is none, never a guess. Pure; memoized by the raw text.
 */

/** Spaces, punctuation and symbols: dropped, so `Hei Long Jiang`, `CN-YN` and `Yunnan, China` match. */
const SEPARATORS = /[\p{P}\p{S}\p{Z}\s]/gu;

/** A country written after the region (`Yunnan, China`) or 中国 before it (`中国云南省`), once normalized. */
const COUNTRY_AFTER = /(?:peoplesrepublicofchina|中华人民共和国|china|prc|中国)$/u;
const COUNTRY_BEFORE = /^(?:中华人民共和国|中国)/u;

/** Administrative suffixes, the longest of those that end a text dropped (the ethnic forms before 自治区). */
const SUFFIXES = [
  'specialadministrativeregion',
  'autonomousregion',
  'municipality',
  'province',
  'prov',
  'sar',
  'city',
  '维吾尔自治区',
  '壮族自治区',
  '回族自治区',
  '特别行政区',
  '自治区',
  '省',
  '市',
].sort((a, b) => b.length - a.length);

/**
 * Region or city text as it is matched: normalizeText (full-width to half-width, lower case, traditional
 * Chinese to simplified), without spaces, punctuation and symbols, without a country at its end or 中国
 * at its start.
 */
export const normalizePlaceText = (text: string): string =>
  normalizeText(text).replace(SEPARATORS, '').replace(COUNTRY_AFTER, '').replace(COUNTRY_BEFORE, '');

/** Normalized text without the administrative suffix it ends with, if any (`yunnanprovince` → `yunnan`). */
export const withoutSuffix = (key: string): string => {
  for (const suffix of SUFFIXES)
    if (key.length > suffix.length && key.endsWith(suffix)) return key.slice(0, -suffix.length);
  return key;
};

/** The names of a division, written whole or with an administrative suffix (`Yunnan Province`, `云南省`). */
const namesOf = (division: ProvinceDivision): string[] => [
  division.name,
  division.full,
  division.short,
  ...division.spellings,
];

/**
 * What names a division only as the whole text: its one-character abbreviations and its ISO code, with
 * or without `CN-`. Never with a suffix dropped: `津市` is a city of Hunan, not Tianjin.
 */
const wholeOnlyOf = (division: ProvinceDivision): string[] => [
  ...division.abbreviations,
  division.code,
  division.code.slice('CN-'.length),
];

/** Every name a region may name a division by (test/unit/places/resolve-province.test.ts reads them). */
export const regionNamesOf = (division: ProvinceDivision): string[] => [
  ...namesOf(division),
  ...wholeOnlyOf(division),
];

/** The names a city may be written as, of a division that is a city (a municipality, Hong Kong, Macao). */
const cityNamesOf = (division: ProvinceDivision): string[] =>
  division.cityLevel === true ? namesOf(division) : [];

/**
 * Normalized names to codes. Two divisions sharing one would be a data error: the first stays, and
 * test/unit/places/resolve-province.test.ts fails on it.
 */
const aliasesOf = (names: (division: ProvinceDivision) => string[]): ReadonlyMap<string, string> => {
  const aliases = new Map<string, string>();
  for (const division of CN_PROVINCES)
    for (const name of names(division)) {
      const key = normalizePlaceText(name);
      if (!aliases.has(key)) aliases.set(key, division.code);
    }
  return aliases;
};

/** How a text is matched: whole against `whole`, then without its suffix against `named`. */
interface Aliases {
  whole: ReadonlyMap<string, string>;
  named: ReadonlyMap<string, string>;
}

/** The Chinese full names (云南省, 广西壮族自治区), normalized, with their codes: what text may start with. */
let fullNames: readonly [string, string][] | undefined;
const fullNamesOf = (): readonly [string, string][] =>
  (fullNames ??= CN_PROVINCES.map((division) => [normalizePlaceText(division.full), division.code]));

const byName = (key: string, aliases: Aliases): string | undefined => {
  if (key === '') return undefined;
  const exact = aliases.whole.get(key) ?? aliases.named.get(withoutSuffix(key));
  if (exact !== undefined) return exact;
  for (const [full, code] of fullNamesOf()) if (key.startsWith(full)) return code;
  return undefined;
};

const MEMO_LIMIT = 4096;

/**
 * A resolver memoized by the raw text, bounded (emptied when full), as text lookups are (TextMemo). Its
 * names are normalized on its first call: a rule set that reads no places never builds them.
 */
const memoized = (build: () => Aliases): ((text: string) => string | undefined) => {
  const memo = new Map<string, string | null>();
  let aliases: Aliases | undefined;
  return (text) => {
    const known = memo.get(text);
    if (known !== undefined) return known ?? undefined;
    aliases ??= build();
    const code = byName(normalizePlaceText(text), aliases);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, code ?? null);
    return code;
  };
};

/** The ISO 3166-2 code of the division a region's text names (`云南省德宏州` → `CN-YN`), or undefined. */
export const provinceOfRegion: (region: string) => string | undefined = memoized(() => ({
  whole: aliasesOf(regionNamesOf),
  named: aliasesOf(namesOf),
}));

/**
 * The division a city's text names: a municipality or special administrative region by any of its names
 * (`北京`, `Beijing`, `上海市`), or text starting with a division's full Chinese name (`云南省昆明市`).
 */
export const provinceOfCity: (city: string) => string | undefined = memoized(() => ({
  whole: aliasesOf(cityNamesOf),
  named: aliasesOf(cityNamesOf),
}));

const NAMES: ReadonlyMap<string, string> = new Map(
  CN_PROVINCES.map((division) => [division.code, division.name]),
);

/** The English name of a division by its code (`CN-GX` → `Guangxi`). */
export const provinceName = (code: string): string | undefined => NAMES.get(code);

/** A place as the parcel writes it: a route point or a party's address. */
export interface PlaceText {
  country?: unknown;
  region?: unknown;
  city?: unknown;
}

/**
 * A place's province: `code` when it resolves; `foreign` when its country is not CN (no province to
 * have); else `why` it does not resolve, in an analyst's words.
 */
export type PlaceProvince = { code: string } | { foreign: string } | { why: string };

const quoted = (text: unknown): string => JSON.stringify(text);

/**
 * The province of a place in China, from its region or, when that is missing or names none, its city.
 * The country is compared as the contract writes it (two capitals): `CN`.
 */
export const provinceOfPlace = (place: PlaceText | undefined): PlaceProvince => {
  if (place === undefined || place === null) return { why: 'there is no such place' };
  const { country, region, city } = place;
  if (country !== 'CN') return { foreign: `its country is ${quoted(country ?? null)}, not CN` };
  const fromRegion = typeof region === 'string' ? provinceOfRegion(region) : undefined;
  if (fromRegion !== undefined) return { code: fromRegion };
  const fromCity = typeof city === 'string' ? provinceOfCity(city) : undefined;
  if (fromCity !== undefined) return { code: fromCity };
  const cityWords = typeof city === 'string' ? `city ${quoted(city)}` : 'no city';
  return {
    why:
      typeof region === 'string'
        ? `region ${quoted(region)} names no province, nor does ${cityWords}`
        : `no region, and ${cityWords} names no municipality or province`,
  };
};

import type { Address } from '../../../events/manifest-v1.js';
import { foldText, hasHan, PUNCTUATION } from './text.js';

/**
 * Addresses to a canonical, building-level form: `country|city|street`, so that the same place
 * written with or without its province and city, with different punctuation, full-width digits or a
 * different flat number, keys the same. The postcode and the region field are left out: partners
 * omit or misplace them far more often than the city.
 *
 * Chinese addresses (any line with Han characters):
 * - ethnic autonomous designations are removed (`德宏傣族景颇族自治州` → `德宏`, `广西壮族自治区` → `广西`),
 *   then the administrative suffixes 特别行政区, 自治区, 自治州, 自治县, 地区 and 省, 市, 区, 县, 旗, 盟,
 *   wherever they occur (the same rule applies to every variant, so `南山区科技园` and `南山科技园` meet);
 * - a leading 中国 is dropped, and everything up to the last mention of the region or the city in the
 *   part of the line before its first digit (the line restating its own province and city);
 * - the room, unit, floor and building noise is cut: everything from the first `…单元`, `…室`, `…房`,
 *   `…户`, `…层`, `…楼`, `…号楼`, `…栋`, `…幢`, `…座` on, and any `-402` or `402` trailing the last `号`.
 * Other addresses:
 * - words only, punctuation dropped; `apt`, `apartment`, `unit`, `room`, `rm`, `flat`, `suite`, `ste`,
 *   `floor`, `fl` and `#` are dropped with the word after them, and a lone `no` is dropped;
 * - street types are abbreviated (street → st, road → rd, avenue → ave …);
 * - words that repeat the city, region or country are dropped.
 */

const ETHNIC_GROUPS = [
  '傣族',
  '景颇族',
  '白族',
  '彝族',
  '哈尼族',
  '苗族',
  '壮族',
  '藏族',
  '羌族',
  '回族',
  '朝鲜族',
  '土家族',
  '布依族',
  '侗族',
  '傈僳族',
  '蒙古族',
  '哈萨克族',
  '柯尔克孜族',
  '维吾尔',
  '黎族',
  '瑶族',
  '纳西族',
  '拉祜族',
  '佤族',
  '怒族',
  '普米族',
  '独龙族',
  '阿昌族',
  '德昂族',
  '布朗族',
  '基诺族',
  '水族',
  '畲族',
];
const AUTONOMOUS = new RegExp(`(?:${ETHNIC_GROUPS.join('|')})+自治(?:州|县|区|旗)`, 'gu');
const ADMIN_SUFFIXES = /特别行政区|自治区|自治州|自治县|地区|[省市区县旗盟]/gu;
/** A colloquial prefecture (`德宏州`, `黔东南州`): 州 after a name of 2+ characters. */
const COLLOQUIAL_PREFECTURE = /^(\p{Script=Han}{2,})州$/u;
const UNIT_MARKER =
  /[0-9a-z一二三四五六七八九十百零〇两]+(?:号楼|单元|室|房|户|层|楼|栋|幢|座)|[0-9a-z]+(?:-[0-9a-z]+)+$/u;
const AFTER_LAST_NUMBER = /(号)[0-9a-z-]+$/u;

const compactHan = (text: string): string =>
  foldText(text)
    .replace(PUNCTUATION, '')
    .replace(/\s+/gu, '')
    .replace(AUTONOMOUS, '')
    .replace(ADMIN_SUFFIXES, '');

/** A region or city field in its bare form: `云南省` → `云南`, `德宏州` → `德宏`, `广州市` → `广州`. */
export const bareAdministrativeName = (raw: string): string => {
  const compact = compactHan(raw);
  return compact.replace(COLLOQUIAL_PREFECTURE, '$1');
};

const dropAdministrativePrefix = (line: string, names: string[]): string => {
  const firstDigit = line.search(/\d/u);
  const head = firstDigit === -1 ? line : line.slice(0, firstDigit);
  let cut = 0;
  for (const name of names) {
    if (name.length < 2) continue;
    const at = head.lastIndexOf(name);
    if (at !== -1) cut = Math.max(cut, at + name.length);
  }
  return line.slice(cut);
};

const chineseStreet = (address: Address): string => {
  let line = compactHan(address.line).replace(/^(?:中华人民共和国|中国)/u, '');
  line = dropAdministrativePrefix(line, [
    bareAdministrativeName(address.region),
    bareAdministrativeName(address.city),
  ]);
  const unit = line.search(UNIT_MARKER);
  if (unit > 0) line = line.slice(0, unit);
  return line.replace(AFTER_LAST_NUMBER, '$1');
};

const STREET_TYPES: Readonly<Record<string, string>> = {
  street: 'st',
  road: 'rd',
  avenue: 'ave',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  building: 'bldg',
  district: 'dist',
  village: 'vlg',
};
const UNIT_WORDS = new Set(['apt', 'apartment', 'unit', 'room', 'rm', 'flat', 'suite', 'ste', 'floor', 'fl']);

const latinWords = (text: string): string[] =>
  foldText(text)
    .replace(/#\s*[0-9a-z-]+/gu, ' ')
    .replace(PUNCTUATION, ' ')
    .split(' ')
    .filter(Boolean);

const latinStreet = (address: Address): string => {
  const place = new Set([
    ...latinWords(address.city),
    ...latinWords(address.region),
    address.country.toLowerCase(),
  ]);
  const words = latinWords(address.line);
  const kept: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (UNIT_WORDS.has(word)) {
      index += 1;
      continue;
    }
    if (word === 'no' || place.has(word)) continue;
    kept.push(STREET_TYPES[word] ?? word);
  }
  return kept.join(' ');
};

/** The canonical form of an address: what its key is derived from. */
export const canonicalAddress = (address: Address): string => {
  const han = hasHan(address.line);
  const city =
    han || hasHan(address.city) ? bareAdministrativeName(address.city) : latinWords(address.city).join(' ');
  const street = han ? chineseStreet(address) : latinStreet(address);
  return `${address.country}|${city}|${street}`;
};

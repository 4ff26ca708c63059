import type { Address } from '../../../events/manifest-v1.js';
import { foldText, hasHan, PUNCTUATION } from './text.js';

/**
 * Addresses to a canonical, building-level form: `country|city|street`, so that the same place
 * written with or without its province and city, with different punctuation, full-width digits or a
 * different flat number, keys the same. The postcode and the region field are left out: partners
 * omit or misplace them far more often than the city.
 *
 * Chinese addresses (any line with Han characters):
 * - ethnic autonomous designations are removed (`德宏傣族景颇族自治州` → `德宏`, `广西壮族自治区` → `广西`,
 *   `伊犁哈萨克自治州` → `伊犁`, `龙胜各族自治县` → `龙胜`): any of the 55 minority nationalities, 族
 *   optional for names of 2+ characters, or 各族, right before 自治州/县/区/旗; a unit named after its
 *   people keeps the name (`鄂伦春自治旗` → `鄂伦春`, `内蒙古自治区` → `内蒙古`);
 *   then the administrative suffixes 特别行政区, 自治区, 自治州, 自治县, 自治旗, 地区 and 省, 市, 区, 县, 旗, 盟,
 *   wherever they occur (the same rule applies to every variant, so `南山区科技园` and `南山科技园` meet);
 * - a leading 中国 is dropped, and everything up to the last mention of the region or the city in the
 *   part of the line before its first digit (the line restating its own province and city), but for a
 *   mention naming a street (`瑞丽路`); a one-character name (`芒市` → `芒`) counts only with its suffix;
 * - the room, unit, floor and building noise is cut: everything from the first `…单元`, `…室`, `…房`,
 *   `…户`, `…层`, `…楼`, `…号楼`, `…栋`, `…幢`, `…座` on, a dashed unit ending the line (`12-402` →
 *   `12`, read before punctuation is dropped), and any `402` trailing the last `号`.
 * Other addresses:
 * - words only, punctuation dropped; `apt`, `apartment`, `unit`, `room`, `rm`, `flat`, `suite`, `ste`,
 *   `floor`, `fl` and `#` are dropped with the word after them, and a lone `no` is dropped;
 * - street types are abbreviated (street → st, road → rd, avenue → ave …);
 * - words that repeat the city, region or country are dropped.
 */

/**
 * The 55 officially recognised minority nationalities (少数民族), in the official order, without 族.
 * Names of one character need their 族 in a designation (`苗族`, never `苗`): a place name may end in
 * one (`彭水苗族土家族自治县`, `陵水黎族自治县`, `西藏自治区`); longer ones may go without it, as in
 * Xinjiang's official names (`伊犁哈萨克自治州`, `新疆维吾尔自治区`).
 */
const MINORITY_NATIONALITIES = [
  '蒙古',
  '回',
  '藏',
  '维吾尔',
  '苗',
  '彝',
  '壮',
  '布依',
  '朝鲜',
  '满',
  '侗',
  '瑶',
  '白',
  '土家',
  '哈尼',
  '哈萨克',
  '傣',
  '黎',
  '傈僳',
  '佤',
  '畲',
  '高山',
  '拉祜',
  '水',
  '东乡',
  '纳西',
  '景颇',
  '柯尔克孜',
  '土',
  '达斡尔',
  '仫佬',
  '羌',
  '布朗',
  '撒拉',
  '毛南',
  '仡佬',
  '锡伯',
  '阿昌',
  '普米',
  '塔吉克',
  '怒',
  '乌孜别克',
  '俄罗斯',
  '鄂温克',
  '德昂',
  '保安',
  '裕固',
  '京',
  '塔塔尔',
  '独龙',
  '鄂伦春',
  '赫哲',
  '门巴',
  '珞巴',
  '基诺',
];
/** One people in a designation, longest names first (`土家族` is never `土` + `家族`), or 各族 (`龙胜各族自治县`). */
const PEOPLE = [
  ...MINORITY_NATIONALITIES.filter((people) => people.length > 1)
    .sort((a, b) => b.length - a.length)
    .map((people) => `${people}族?`),
  ...MINORITY_NATIONALITIES.filter((people) => people.length === 1).map((people) => `${people}族`),
  '各族',
].join('|');
/** The designation: one or more peoples, always right before 自治州, 自治县, 自治区 or 自治旗. */
const AUTONOMOUS = new RegExp(`(?:${PEOPLE})+自治(?:州|县|区|旗)`, 'gu');
/**
 * Units named after their people, whose people is their own name: it stays, in their short form
 * (`东乡族自治县` → `东乡`, as `东乡县`; `鄂伦春自治旗` → `鄂伦春`; `内蒙古自治区` → `内蒙古`, not `内`).
 */
const NAMED_AFTER_THEIR_PEOPLE = /(?<!族)(东乡|鄂温克|鄂伦春|内蒙古)族?自治(?:州|县|区|旗)/gu;
const ADMIN_SUFFIXES = /特别行政区|自治区|自治州|自治县|自治旗|地区|[省市区县旗盟]/gu;
/** A colloquial prefecture (`德宏州`, `黔东南州`): 州 after a name of 2+ characters. */
const COLLOQUIAL_PREFECTURE = /^(\p{Script=Han}{2,})州$/u;
const UNIT_MARKER = /[0-9a-z一二三四五六七八九十百零〇两]+(?:号楼|单元|室|房|户|层|楼|栋|幢|座)/u;
/**
 * A dashed unit ending the line (`12-402`, `12-3-402室`), cut before punctuation is dropped: dashes
 * gone, `12-402` and `124-02` would both read `12402`.
 */
const DASHED_UNIT = /(?<=[0-9a-z])(?:\p{Pd}[0-9a-z]+)+(?:室|房|户)?$/u;
const AFTER_LAST_NUMBER = /(号)[0-9a-z]+$/u;
/** Punctuation and symbols ending a line (`12-402。`), which would hide a dashed unit's end. */
const TRAILING_PUNCTUATION = new RegExp(`${PUNCTUATION.source}+$`, 'u');

const compactHan = (text: string): string =>
  foldText(text)
    .replace(PUNCTUATION, '')
    .replace(/\s+/gu, '')
    .replace(NAMED_AFTER_THEIR_PEOPLE, '$1')
    .replace(AUTONOMOUS, '')
    .replace(ADMIN_SUFFIXES, '');

/** A region or city field in its bare form: `云南省` → `云南`, `德宏州` → `德宏`, `广州市` → `广州`. */
export const bareAdministrativeName = (raw: string): string => {
  const compact = compactHan(raw);
  return compact.replace(COLLOQUIAL_PREFECTURE, '$1');
};

/** A street word right after a place name makes the name the street's (`瑞丽路`, `云南大道`), not a restated place. */
const STREET_AFTER = /^(?:路|街|道|巷|弄|胡同|大道|大街)/u;

/** Where the last mention of `name` in `head` that is not a street's name ends, or 0. */
const endOfLastMention = (head: string, name: string): number => {
  let at = head.lastIndexOf(name);
  while (at > 0 && STREET_AFTER.test(head.slice(at + name.length))) at = head.lastIndexOf(name, at - 1);
  return at === -1 || STREET_AFTER.test(head.slice(at + name.length)) ? 0 : at + name.length;
};

/**
 * Cuts the line after the last place name it restates before its first digit. A one-character name
 * (`芒市` → `芒`) is too common a character alone: it counts only written with its suffix, so it is looked
 * for in the line as written (`芒市`), before the suffixes are dropped.
 */
const headOf = (text: string): string => {
  const firstDigit = text.search(/\d/u);
  return firstDigit === -1 ? text : text.slice(0, firstDigit);
};

const dropAdministrativePrefix = (line: string, names: string[], written: string): string => {
  const head = headOf(line);
  let cut = 0;
  for (const name of names.filter((candidate) => candidate.length >= 2)) {
    cut = Math.max(cut, endOfLastMention(head, name));
  }
  const short = names.filter((name) => /^\p{Script=Han}$/u.test(name));
  if (short.length === 0) return line.slice(cut);
  // The written line's cut, carried over by compacting what it keeps: the rest of the line is the same.
  const writtenHead = headOf(written);
  let writtenCut = 0;
  for (const name of short) {
    for (const suffix of ['市', '县', '区', '州', '旗', '盟']) {
      writtenCut = Math.max(writtenCut, endOfLastMention(writtenHead, `${name}${suffix}`));
    }
  }
  if (writtenCut === 0) return line.slice(cut);
  const rest = compactHan(written.slice(writtenCut));
  return rest.length < line.length - cut ? rest : line.slice(cut);
};

const chineseStreet = (address: Address): string => {
  const spaceless = foldText(address.line)
    .replace(/\s+/gu, '')
    .replace(TRAILING_PUNCTUATION, '')
    .replace(DASHED_UNIT, '');
  let line = compactHan(spaceless).replace(/^(?:中华人民共和国|中国)/u, '');
  line = dropAdministrativePrefix(
    line,
    [bareAdministrativeName(address.region), bareAdministrativeName(address.city)],
    spaceless,
  );
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

/** Words a place name is written with besides its own (`Wuzhou City`, `Guangxi Province`). */
const PLACE_KIND_WORDS = ['city', 'province'];
const FLOOR_WORDS = new Set(['floor', 'fl']);
/**
 * The words after a place name that make it a street's name: the street types that are roads, written
 * out or abbreviated (STREET_TYPES).
 */
const ROAD_WORDS = new Set(
  ['street', 'road', 'avenue', 'boulevard', 'drive', 'lane'].flatMap((type) => [type, STREET_TYPES[type]!]),
);
const ORDINAL = /^\d+(?:st|nd|rd|th)$/u;

/** A city field's words, without a trailing `city` (`Wuzhou City` is `wuzhou`, as 梧州市 is 梧州). */
const latinCity = (city: string): string[] => {
  const words = latinWords(city);
  return words.length > 1 && words.at(-1) === 'city' ? words.slice(0, -1) : words;
};

/**
 * The street of a line without Han: its words, with the unit noise dropped (a unit word and its number,
 * `Apt 5-B`, `5th Floor`), a lone `no` dropped, street types abbreviated, and the city, region and
 * country it restates dropped: a run of those words, unless a street type follows it, where it names
 * the street (`88 Wuzhou Road` in Wuzhou stays apart from `88 Guangxi Road`, as 瑞丽路 does from 云南路).
 */
const latinStreet = (address: Address): string => {
  const place = new Set([
    ...latinWords(address.city),
    ...latinWords(address.region),
    address.country.toLowerCase(),
    ...PLACE_KIND_WORDS,
  ]);
  const words = latinWords(address.line);
  const kept: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    if (UNIT_WORDS.has(word)) {
      if (FLOOR_WORDS.has(word) && ORDINAL.test(kept.at(-1) ?? '')) kept.pop();
      // The unit's number, and a letter written apart from it (`5-B`, `5 B`).
      const skipped = words[index + 1] ?? '';
      index += /^\d+$/u.test(skipped) && /^\p{L}$/u.test(words[index + 2] ?? '') ? 2 : 1;
      continue;
    }
    if (word === 'no') continue;
    if (place.has(word)) {
      let end = index;
      while (end + 1 < words.length && place.has(words[end + 1]!)) end += 1;
      const next = words[end + 1];
      if (next !== undefined && ROAD_WORDS.has(next)) {
        for (let i = index; i <= end; i += 1) kept.push(words[i]!);
      }
      index = end;
      continue;
    }
    kept.push(STREET_TYPES[word] ?? word);
  }
  return kept.join(' ');
};

/** The canonical form of an address (`country|city|street`), with its street part and whether that is Han. */
const canonicalParts = (address: Address): { canonical: string; street: string; han: boolean } => {
  const han = hasHan(address.line);
  const city =
    han || hasHan(address.city) ? bareAdministrativeName(address.city) : latinCity(address.city).join(' ');
  const street = han ? chineseStreet(address) : latinStreet(address);
  return { canonical: `${address.country}|${city}|${street}`, street, han };
};

/** The canonical form of an address, `country|city|street`, whether or not it names a street. */
export const canonicalAddress = (address: Address): string => canonicalParts(address).canonical;

/**
 * Words of a canonical street part without Han that name no street alone: a block, tower, building
 * or level (`Block B`, `Tower A`, `Bldg 5`, `Level 3`), or a number word. The unit words (`flat`,
 * `room` …) never reach the street part, and neither does a lone `no`. They are not dropped from the
 * canonical form, as unit words are: `Block 5, 18 Xijiang Road` keeps the key it had.
 */
const BUILDING_WORDS = new Set(['block', 'blk', 'tower', 'bldg', 'level', 'lvl', 'number', 'nr']);

/**
 * A word naming a street in a street part without Han: two letters or more (of any script), no digit
 * (`5th`, `12b` are numbers), and not a building word.
 */
const namesAStreetWord = (word: string): boolean =>
  !/\p{N}/u.test(word) && (word.match(/\p{L}/gu) ?? []).length >= 2 && !BUILDING_WORDS.has(word);

/**
 * A Han character naming a street: any but a numeral and the characters of numbers, floors and units
 * (`12号`, `第3栋`, `5号楼`, `3单元402室`, `十二号` name none), so a street word (`路`, `街`, `道`, `巷`)
 * or a name (`姐告`, `西江`).
 */
const HAN_STREET_NAME = /(?![〇一二三四五六七八九十百千万零两号第之单元室房户层楼栋幢座])\p{Script=Han}/u;
/** Two letters or more in a row, not Han, in a Han street part (`梧州市xijiang12号`): spaces are gone there. */
const LETTERS_IN_A_ROW = /(?:(?!\p{Script=Han})\p{L}){2,}/u;

/**
 * Whether a canonical street part names a street, and so keys the address apart from its city's other
 * addresses: a Han street part holds a Han character of a name (HAN_STREET_NAME) or two letters in a
 * row; any other holds a word naming a street (namesAStreetWord). A number alone (`1`, `No. 5`, `12号`,
 * `梧州市12-402`), letters alone (`Block B`, `Tower A Room 1203`, `c/o Wuzhou`, read `c o`) or nothing
 * (`Room 1`, the city alone) name none: every parcel of the city written so would be one party.
 */
const namesAStreet = (street: string, han: boolean): boolean =>
  han
    ? HAN_STREET_NAME.test(street) || LETTERS_IN_A_ROW.test(street)
    : street.split(' ').some(namesAStreetWord);

/**
 * What an address key is derived from: the canonical address, or undefined when its street part names
 * no street (namesAStreet: `Apt 5`, `Room 12B`, `#12-402`, `Unit 9, Wuzhou, Guangxi` and
 * `广西壮族自治区梧州市` leave only the city; `No. 5`, `Block B`, `1号` only a number or a letter). Such an
 * address says no more than its city: keyed, every such address of a city would be one party, whose
 * history, links and shared seizures strangers would share. It is not refused at the contract (as a
 * phone without digits is): a partner cannot add a street a label does not carry, and refusing would
 * hold back the parcel; the parcel is screened as one without a consignee address key
 * (derivePartyKeys). An address that names a street is keyed on its canonical form, as before.
 */
export const keyedAddress = (address: Address): string | undefined => {
  const { canonical, street, han } = canonicalParts(address);
  return namesAStreet(street, han) ? canonical : undefined;
};

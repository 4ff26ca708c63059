import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { hashWatchlist } from '../functions/core/parties/watchlist-keys.js';
import { RULE_CASE_PARTY_KEY_SALT } from '../functions/core/rules/cases/index.js';
import { ListDocumentSchema } from '../functions/core/rules/index.js';
import { normalizeText } from '../functions/core/text/text.js';

/**
 * The data of the default rule set (rules/default: its lists and tables) as constants, shared by the
 * two baselines the benchmark compares the engine with, so both implement exactly the same rules.
 */

export const BORDER_ORIGINS: readonly string[] = [
  'Ruili',
  '瑞丽',
  '瑞丽市',
  'Dehong',
  '德宏',
  'Mangshi',
  '芒市',
  'Longchuan',
  '陇川',
  '陇川县',
  'Yingjiang',
  '盈江',
  '盈江县',
  'Lincang',
  '临沧',
  '临沧市',
  'Mengla',
  '勐腊',
  '勐腊县',
  'Jinghong',
  '景洪',
  '景洪市',
  'Hekou',
  '河口',
  '河口县',
  'Baise',
  '百色',
  '百色市',
  'Jingxi',
  '靖西',
  '靖西市',
  'Pingxiang',
  '凭祥',
  '凭祥市',
  'Dongxing',
  '东兴',
  '东兴市',
  'Longzhou',
  '龙州',
  '龙州县',
].map(normalizeText);
export const WOODEN_HS: readonly string[] = [
  '442010',
  '442011',
  '442019',
  '442090',
  '940131',
  '940141',
  '940161',
  '940169',
  '940191',
  '940330',
  '940340',
  '940350',
  '940360',
  '940391',
];
export const WOODEN_WORDS: readonly string[] = [
  '红木',
  '紫檀',
  '黄花梨',
  '花梨',
  '酸枝',
  '木雕',
  '根雕',
  '雕花',
  '家具',
  '家俬',
  '实木',
  '柚木',
  '茶几',
  '茶台',
  '屏风',
  'rosewood',
  'redwood',
  'sandalwood',
  'huanghuali',
  'teakwood',
  'teak wood',
  'teak furniture',
  'teak chair',
  'teak table',
  'teak cabinet',
  'teak carving',
  'carved',
  'carving',
  'furniture',
  'solid wood',
  'hardwood',
];
export const TYPICAL_KG: Readonly<Record<string, number>> = {
  '9403': 20,
  '940391': 5,
  '9401': 10,
  '940191': 3,
  '4420': 2,
  '4421': 1,
  '4414': 1,
  '0813': 0.5,
  '0902': 0.4,
  '3926': 0.05,
  '4202': 0.3,
  '6109': 0.2,
  '6403': 1,
  '7116': 0.1,
  '8471': 2.5,
  '8517': 0.3,
  '8544': 0.1,
  '9503': 0.5,
};
export const CNY_PER_UNIT: Readonly<Record<string, number>> = {
  cny: 1,
  usd: 7.1,
  eur: 7.7,
  hkd: 0.91,
  thb: 0.2,
  mmk: 0.0034,
  vnd: 0.00028,
  lak: 0.00033,
};

const HS_SUBHEADINGS_FILE = resolve(import.meta.dirname, '../rules/default/lists/hs-subheadings.yaml');

/**
 * Every 6-digit code of the HS 2022 and HS 2017 editions (the hs-subheadings list, all of whose values
 * are 6 digits): a goods line whose code starts with none of them names a code no edition knows.
 */
export const HS_SUBHEADINGS: ReadonlySet<string> = new Set(
  ListDocumentSchema.parse(parse(readFileSync(HS_SUBHEADINGS_FILE, 'utf8'))).values.map(String),
);

const WATCHED_PHONES_FILE = resolve(import.meta.dirname, '../rules/default/lists/watched-phones.yaml');
const watchedPhones = ListDocumentSchema.parse(parse(readFileSync(WATCHED_PHONES_FILE, 'utf8')));

/** The watched phones as typed in the list: the synthetic parcels send a few parcels to them. */
export const WATCHED_PHONES: readonly string[] = watchedPhones.values.map(String);

/** Their salted keys, hashed with the salt the benchmark's parcels are keyed with. */
export const WATCHED_PHONE_KEYS: readonly string[] = hashWatchlist(
  watchedPhones,
  RULE_CASE_PARTY_KEY_SALT,
  WATCHED_PHONES_FILE,
).values.map(String);

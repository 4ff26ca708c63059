import { describe, expect, it } from 'vitest';
import { CN_PROVINCES } from '../../../functions/core/places/cn-provinces.js';
import {
  normalizePlaceText,
  provinceOfCity,
  provinceOfPlace,
  provinceOfRegion,
  regionNamesOf,
  withoutSuffix,
} from '../../../functions/core/places/resolve-province.js';

/**
 * Which province a region's text names, however a partner writes it: every division by each kind of
 * name, and the traps a prefix match falls into (云浮 is no Yunnan, 宁波 no Ningxia, 青岛 no Qinghai).
 */

/** Each division's names, one row per kind, with the code it must resolve to. */
const byKind = CN_PROVINCES.flatMap((division) => [
  ['English name', division.name, division.code],
  ['Chinese full name', division.full, division.code],
  ['Chinese short name', division.short, division.code],
  ['ISO code', division.code, division.code],
  ['ISO code without CN-', division.code.slice(3), division.code],
  ['ISO code in lower case', division.code.toLowerCase(), division.code],
  ['English name with Province', `${division.name} Province`, division.code],
  ['English name, China', `${division.name}, China`, division.code],
  ['full name with a prefecture after it', `${division.full}某某州`, division.code],
  ...division.abbreviations.map((abbreviation) => ['abbreviation', abbreviation, division.code]),
  ...division.spellings.map((spelling) => ['spelling', spelling, division.code]),
  ['spelling in capitals', division.spellings[0]!.toUpperCase(), division.code],
]);

describe('provinceOfRegion', () => {
  it('has the 34 provincial-level divisions, each code once', () => {
    // Act
    const codes = CN_PROVINCES.map((division) => division.code);

    // Assess
    expect(new Set(codes).size).toBe(34);
    expect(codes).toContain('CN-TW');
    expect(codes).toContain('CN-HK');
    expect(codes).toContain('CN-MO');
  });

  it.each(byKind)('resolves the %s %j to %s', (_kind, region, code) => {
    // Act / Assess
    expect(provinceOfRegion(region!)).toBe(code);
  });

  it.each([
    ['Yunnan', 'CN-YN'],
    ['云南', 'CN-YN'],
    ['云南省', 'CN-YN'],
    ['雲南', 'CN-YN'],
    ['雲南省', 'CN-YN'],
    ['ＹＵＮＮＡＮ', 'CN-YN'],
    ['Yunnan Province', 'CN-YN'],
    ['Yunnan Province, China', 'CN-YN'],
    ['Yunnan Prov.', 'CN-YN'],
    ['YN', 'CN-YN'],
    ['CN-YN', 'CN-YN'],
    ['cn yn', 'CN-YN'],
    ['云南省德宏州', 'CN-YN'],
    ['云南省德宏傣族景颇族自治州', 'CN-YN'],
    ['中国云南省', 'CN-YN'],
    ['Hei Long Jiang', 'CN-HL'],
    ['黑龍江省', 'CN-HL'],
    ['Shaanxi', 'CN-SN'],
    ['陕西', 'CN-SN'],
    ['陝西省', 'CN-SN'],
    ['Shanxi', 'CN-SX'],
    ['Shan Xi', 'CN-SX'],
    ['山西', 'CN-SX'],
    ['广西壮族自治区', 'CN-GX'],
    ['廣西壯族自治區', 'CN-GX'],
    ['Guangxi Zhuang Autonomous Region', 'CN-GX'],
    ['Ningxia Hui Autonomous Region', 'CN-NX'],
    ['宁夏回族自治区', 'CN-NX'],
    ['Xinjiang Uygur Autonomous Region', 'CN-XJ'],
    ['新疆維吾爾自治區', 'CN-XJ'],
    ['Inner Mongolia Autonomous Region', 'CN-NM'],
    ['Tibet Autonomous Region', 'CN-XZ'],
    ['Beijing Municipality', 'CN-BJ'],
    ['北京市', 'CN-BJ'],
    ['Hong Kong SAR', 'CN-HK'],
    ['Hong Kong Special Administrative Region, China', 'CN-HK'],
    ['香港特別行政區', 'CN-HK'],
    ['澳門', 'CN-MO'],
    ['Macau', 'CN-MO'],
    ['臺灣', 'CN-TW'],
    ['Taiwan Province, PRC', 'CN-TW'],
    ['广东省深圳市', 'CN-GD'],
  ])('resolves %j to %s', (region, code) => {
    // Act / Assess
    expect(provinceOfRegion(region)).toBe(code);
  });

  it.each([
    ['云浮', 'a city of Guangdong, not Yunnan'],
    ['云浮市', 'a city of Guangdong, not Yunnan'],
    ['宁波', 'a city of Zhejiang, not Ningxia'],
    ['宁波市', 'a city of Zhejiang, not Ningxia'],
    ['青岛', 'a city of Shandong, not Qinghai'],
    ['海南藏族自治州', 'a prefecture of Qinghai, not Hainan'],
    ['津市', 'a city of Hunan, not Tianjin'],
    ['Yunan', 'a misspelling: no guess'],
    ['Dehong', 'a prefecture: no gazetteer'],
    ['云南德宏', 'a short name with a prefecture after it: only a full name starts one'],
    ['China', 'a country'],
    ['', 'nothing'],
  ])('resolves %j to none (%s)', (region) => {
    // Act / Assess
    expect(provinceOfRegion(region)).toBeUndefined();
  });

  it('gives no normalized name to two divisions', () => {
    // Prepare
    const owners = new Map<string, Set<string>>();
    for (const division of CN_PROVINCES)
      for (const name of regionNamesOf(division)) {
        for (const key of new Set([normalizePlaceText(name), withoutSuffix(normalizePlaceText(name))])) {
          const set = owners.get(key) ?? new Set<string>();
          set.add(division.code);
          owners.set(key, set);
        }
      }

    // Act
    const shared = [...owners].filter(([, codes]) => codes.size > 1).map(([key, codes]) => [key, [...codes]]);

    // Assess
    expect(shared).toEqual([]);
  });

  it('has no full Chinese name that another starts with', () => {
    // Act
    const fulls = CN_PROVINCES.map((division) => normalizePlaceText(division.full));
    const overlapping = fulls.filter((full, i) =>
      fulls.some((other, j) => i !== j && other.startsWith(full)),
    );

    // Assess
    expect(overlapping).toEqual([]);
  });
});

describe('provinceOfCity', () => {
  it.each([
    ['北京', 'CN-BJ'],
    ['Beijing', 'CN-BJ'],
    ['北京市', 'CN-BJ'],
    ['上海', 'CN-SH'],
    ['天津市', 'CN-TJ'],
    ['重庆', 'CN-CQ'],
    ['Chongqing City', 'CN-CQ'],
    ['云南省昆明市', 'CN-YN'],
  ])('resolves the city %j to %s', (city, code) => {
    // Act / Assess
    expect(provinceOfCity(city)).toBe(code);
  });

  it.each(['Ruili', '昆明', '云浮', 'YN', '云', 'Yunnan'])('resolves the city %j to none', (city) => {
    // Act / Assess
    expect(provinceOfCity(city)).toBeUndefined();
  });
});

describe('provinceOfPlace', () => {
  it.each([
    [{ country: 'CN', region: 'Yunnan', city: 'Ruili' }, { code: 'CN-YN' }],
    [{ country: 'CN', city: '上海' }, { code: 'CN-SH' }],
    [{ country: 'CN', region: 'Shanghai Pudong', city: 'Shanghai' }, { code: 'CN-SH' }],
    [{ country: 'CN', region: '云南省德宏州', city: '瑞丽市' }, { code: 'CN-YN' }],
    [
      { country: 'CN', region: 'Yunan', city: 'Ruili' },
      { why: 'region "Yunan" names no province, nor does city "Ruili"' },
    ],
    [
      { country: 'CN', city: 'Ruili' },
      { why: 'no region, and city "Ruili" names no municipality or province' },
    ],
    [{ country: 'MM', region: 'Shan', city: 'Muse' }, { foreign: 'its country is "MM", not CN' }],
    [{ country: 'VN', region: 'Yunnan', city: 'Lao Cai' }, { foreign: 'its country is "VN", not CN' }],
  ])('gives %j as %j', (place, expected) => {
    // Act / Assess
    expect(provinceOfPlace(place)).toEqual(expected);
  });
});

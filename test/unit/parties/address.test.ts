import { describe, expect, it } from 'vitest';
import type { Address } from '../../../events/manifest-v1.js';
import {
  bareAdministrativeName,
  canonicalAddress,
  keyedAddress,
} from '../../../functions/core/parties/address.js';

const ruili = (line: string, overrides: Partial<Address> = {}): Address => ({
  country: 'CN',
  region: '云南省',
  city: '瑞丽市',
  line,
  ...overrides,
});

describe('bareAdministrativeName', () => {
  it.each([
    { raw: '云南省', bare: '云南' },
    { raw: '广西壮族自治区', bare: '广西' },
    { raw: '德宏傣族景颇族自治州', bare: '德宏' },
    { raw: '德宏州', bare: '德宏' },
    { raw: '广州市', bare: '广州' },
    { raw: '广州', bare: '广州' },
    { raw: '香港特别行政区', bare: '香港' },
    { raw: ' 瑞丽 市 ', bare: '瑞丽' },
    { raw: '伊犁哈萨克自治州', bare: '伊犁' },
    { raw: '环江毛南族自治县', bare: '环江' },
    { raw: '罗城仫佬族自治县', bare: '罗城' },
    { raw: '龙胜各族自治县', bare: '龙胜' },
    { raw: '积石山保安族东乡族撒拉族自治县', bare: '积石山' },
    { raw: '克孜勒苏柯尔克孜自治州', bare: '克孜勒苏' },
    { raw: '察布查尔锡伯自治县', bare: '察布查尔' },
    { raw: '莫力达瓦达斡尔族自治旗', bare: '莫力达瓦' },
    { raw: '东乡族自治县', bare: '东乡' },
    { raw: '鄂温克族自治旗', bare: '鄂温克' },
    { raw: '鄂伦春自治旗', bare: '鄂伦春' },
    // The place name stays, though it ends or begins with a people's name
    { raw: '西藏自治区', bare: '西藏' },
    { raw: '内蒙古自治区', bare: '内蒙古' },
    { raw: '新疆维吾尔自治区', bare: '新疆' },
    { raw: '彭水苗族土家族自治县', bare: '彭水' },
    { raw: '融水苗族自治县', bare: '融水' },
    { raw: '湘西土家族苗族自治州', bare: '湘西' },
    { raw: '土默特左旗', bare: '土默特左' },
    { raw: '白城市', bare: '白城' },
    { raw: '阿里地区', bare: '阿里' },
    { raw: '锡林郭勒盟', bare: '锡林郭勒' },
    // A designation of several peoples ending in one a unit may be named after
    { raw: '积石山保安族东乡族自治县', bare: '积石山' },
  ])('reduces $raw to $bare', ({ raw, bare }) => {
    // Prepare: the table row

    // Act
    const result = bareAdministrativeName(raw);

    // Assess
    expect(result).toBe(bare);
  });
});

describe('canonicalAddress', () => {
  it.each([
    { what: 'the bare street', address: ruili('姐告路12号') },
    {
      what: 'province, prefecture and city restated',
      address: ruili('云南省德宏傣族景颇族自治州瑞丽市姐告路12号3单元402室'),
    },
    { what: 'full-width digits and a room', address: ruili('瑞丽市姐告路１２号５０２室') },
    { what: 'spaces and a dashed unit-room', address: ruili('德宏州瑞丽市 姐告路 12 号 3-402') },
    { what: 'a country prefix and a building', address: ruili('中国云南省瑞丽市姐告路12号5号楼') },
    { what: 'a floor and a trailing room number', address: ruili('姐告路12号4楼') },
    { what: 'city field without its suffix', address: ruili('姐告路12号', { city: '瑞丽', region: '云南' }) },
    { what: 'postcode present', address: ruili('姐告路12号', { postcode: '678600' }) },
    {
      what: 'invisible characters in the line and the city',
      address: ruili('姐告路\u200b12\u2060号', { city: '瑞\u200d丽市' }),
    },
  ])('gives one canonical form for $what', ({ address }) => {
    // Prepare: the table row

    // Act
    const canonical = canonicalAddress(address);

    // Assess
    expect(canonical).toBe('CN|瑞丽|姐告路12号');
  });

  it.each([
    { a: ruili('姐告路12号'), b: ruili('姐告路14号'), what: 'another street number' },
    { a: ruili('姐告路12号'), b: ruili('姐告路12号', { city: '芒市' }), what: 'another city' },
    { a: ruili('姐告路12号'), b: ruili('姐告路12号', { country: 'MM' }), what: 'another country' },
    { a: ruili('姐告路12-402'), b: ruili('姐告路124-02'), what: 'buildings 12 and 124, flats 402 and 02' },
    {
      a: ruili('姐告路12-402。'),
      b: ruili('姐告路124-02。'),
      what: 'buildings 12 and 124, flats 402 and 02, the lines ending in a full stop',
    },
  ])('keeps $what apart', ({ a, b }) => {
    // Prepare: the table row

    // Act
    const [left, right] = [canonicalAddress(a), canonicalAddress(b)];

    // Assess
    expect(left).not.toBe(right);
  });

  const hechi = { region: '广西壮族自治区', city: '河池市' };
  it.each([
    {
      a: ruili('环江毛南族自治县新安路8号', hechi),
      b: ruili('环江县新安路8号', hechi),
      canonical: 'CN|河池|环江新安路8号',
    },
    {
      a: ruili('罗城仫佬族自治县城西街5号', hechi),
      b: ruili('罗城县城西街5号', hechi),
      canonical: 'CN|河池|罗城城西街5号',
    },
    {
      a: ruili('龙胜各族自治县桂平路3号', { region: '广西', city: '桂林市' }),
      b: ruili('龙胜县桂平路3号', { region: '广西', city: '桂林市' }),
      canonical: 'CN|桂林|龙胜桂平路3号',
    },
    {
      a: ruili('伊宁市解放路1号', { region: '新疆维吾尔自治区', city: '伊犁哈萨克自治州' }),
      b: ruili('伊宁市解放路1号', { region: '新疆', city: '伊犁州' }),
      canonical: 'CN|伊犁|伊宁解放路1号',
    },
    {
      a: ruili('广西壮族自治区河池市环江毛南族自治县新安路8号', hechi),
      b: ruili('环江县新安路8号', hechi),
      canonical: 'CN|河池|环江新安路8号',
    },
    { a: ruili('姐告路12-402'), b: ruili('姐告路12-501'), canonical: 'CN|瑞丽|姐告路12' },
    { a: ruili('姐告路12-402室'), b: ruili('姐告路 12 - 3 - 402'), canonical: 'CN|瑞丽|姐告路12' },
    { a: ruili('姐告路12-402。'), b: ruili('姐告路12-501'), canonical: 'CN|瑞丽|姐告路12' },
    { a: ruili('姐告路12-402室。'), b: ruili('(姐告路12-3-402)'), canonical: 'CN|瑞丽|姐告路12' },
  ])('gives $a.line ($a.city) and $b.line ($b.city) one canonical form', ({ a, b, canonical }) => {
    // Prepare: the table row

    // Act
    const [left, right] = [canonicalAddress(a), canonicalAddress(b)];

    // Assess
    expect(left).toBe(canonical);
    expect(right).toBe(canonical);
  });

  it.each([
    { line: '广东省深圳市南山区科技园路1号A座1201', other: '南山科技园路1号' },
    { line: '深圳市南山区科技园路1号3单元', other: '南山区科技园路1号' },
  ])('drops district suffixes and units alike in $line and $other', ({ line, other }) => {
    // Prepare
    const place = { region: '广东省', city: '深圳市' };

    // Act
    const [left, right] = [canonicalAddress(ruili(line, place)), canonicalAddress(ruili(other, place))];

    // Assess
    expect(left).toBe(right);
    expect(left).toBe('CN|深圳|南山科技园路1号');
  });

  it.each([
    { line: 'No. 12 Jiegao Road, Apt 5, Ruili' },
    { line: '12 Jiegao Rd #5' },
    { line: '12 JIEGAO ROAD RUILI YUNNAN' },
    { line: 'Room 402, 12 Jiegao Road' },
    { line: '１２ Ｊｉｅｇａｏ Ｒｏａｄ, Unit 3' },
  ])('gives one canonical form for the Latin-script address $line', ({ line }) => {
    // Prepare
    const address: Address = { country: 'CN', region: 'Yunnan', city: 'Ruili', line };

    // Act
    const canonical = canonicalAddress(address);

    // Assess
    expect(canonical).toBe('CN|ruili|12 jiegao rd');
  });

  it.each([
    { what: 'a unit written in Chinese numerals', line: '姐告路12号三单元' },
    { what: 'a floor', line: '姐告路12号5层' },
    { what: 'a block', line: '姐告路12号3栋' },
    { what: 'a dashed unit with an en dash', line: '姐告路12–402', canonical: 'CN|瑞丽|姐告路12' },
    {
      what: 'a dashed unit followed by several punctuation marks',
      line: '姐告路12-402）。',
      canonical: 'CN|瑞丽|姐告路12',
    },
    { what: 'a lettered flat after the number', line: '姐告路12号b402' },
    { what: 'a province restated without its city', line: '云南省姐告路12号' },
    { what: 'the city and then the province restated', line: '瑞丽市云南省姐告路12号' },
    { what: 'the full name of the country', line: '中华人民共和国姐告路12号' },
  ])('reduces $what to the building', ({ line, canonical = 'CN|瑞丽|姐告路12号' }) => {
    // Prepare: the table row

    // Act
    const result = canonicalAddress(ruili(line));

    // Assess
    expect(result).toBe(canonical);
  });

  it.each([
    {
      what: 'a building named after the city',
      line: '姐告路12号瑞丽大厦',
      canonical: 'CN|瑞丽|姐告路12号瑞丽大厦',
    },
    { what: '中国 inside a street name', line: '瑞丽市新中国路8号', canonical: 'CN|瑞丽|新中国路8号' },
  ])('keeps the city and the country where they are part of a name: $what', ({ line, canonical }) => {
    // Prepare: the table row

    // Act
    const result = canonicalAddress(ruili(line));

    // Assess
    expect(result).toBe(canonical);
  });

  it('gives a street named after the city one form, whether the city is restated before it or not', () => {
    // Prepare
    const [a, b] = [ruili('瑞丽市瑞丽大道12号'), ruili('瑞丽大道12号')];

    // Act
    const [left, right] = [canonicalAddress(a), canonicalAddress(b)];

    // Assess
    expect(left).toBe(right);
  });

  it.each([
    ['勐焕路5号'],
    ['芒市勐焕路5号'],
    ['德宏州芒市勐焕路5号'],
    ['云南省德宏傣族景颇族自治州芒市勐焕路5号'],
  ])('reads %s in 芒市, a city of one character bare, as the building alone', (line) => {
    // Act
    const result = canonicalAddress(ruili(line, { city: '芒市' }));

    // Assess
    expect(result).toBe('CN|芒|勐焕路5号');
  });

  it('keeps a one-character city written without its suffix: alone, the character is no place name', () => {
    // Act
    const result = canonicalAddress(ruili('芒果街5号', { city: '芒市' }));

    // Assess
    expect(result).toBe('CN|芒|芒果街5号');
  });

  it.each([
    { line: '瑞丽路5号', canonical: 'CN|瑞丽|瑞丽路5号' },
    { line: '瑞丽市瑞丽路5号', canonical: 'CN|瑞丽|瑞丽路5号' },
    { line: '云南路5号', canonical: 'CN|瑞丽|云南路5号' },
    { line: '云南省瑞丽市云南街5号', canonical: 'CN|瑞丽|云南街5号' },
    { line: '芒市芒市路5号', canonical: 'CN|芒|芒路5号', city: '芒市' },
  ])(
    'keeps a street named after the city or province apart from other streets: $line',
    ({ line, canonical, city }) => {
      // Act
      const result = canonicalAddress(ruili(line, city ? { city } : {}));

      // Assess
      expect(result).toBe(canonical);
    },
  );

  it('keeps apart two lines that are only a building number', () => {
    // Prepare
    const [a, b] = [ruili('瑞丽市5号楼'), ruili('瑞丽市8号楼')];

    // Act
    const [left, right] = [canonicalAddress(a), canonicalAddress(b)];

    // Assess
    expect(left).not.toBe(right);
  });

  it.each([
    { line: '12 Jiegao Avenue', canonical: 'CN|ruili|12 jiegao ave' },
    { line: '12 Jiegao Lane', canonical: 'CN|ruili|12 jiegao ln' },
    { line: 'Jiegao District 12', canonical: 'CN|ruili|jiegao dist 12' },
    { line: '12 Jiegao Rd, Suite 5', canonical: 'CN|ruili|12 jiegao rd' },
    { line: '12 Jiegao Rd, Fl 3', canonical: 'CN|ruili|12 jiegao rd' },
    { line: '12 Jiegao Rd # 5', canonical: 'CN|ruili|12 jiegao rd' },
    { line: '12 Jiegao Rd, Ruili, CN', canonical: 'CN|ruili|12 jiegao rd' },
  ])('reads the Latin-script line $line as $canonical', ({ line, canonical }) => {
    // Prepare
    const address: Address = { country: 'CN', region: 'Yunnan', city: 'Ruili', line };

    // Act
    const result = canonicalAddress(address);

    // Assess
    expect(result).toBe(canonical);
  });

  it.each([
    {
      a: ['88 Wuzhou Road', 'Wuzhou'],
      b: ['88 Guangxi Road', 'Wuzhou'],
      what: 'streets named after the city and the region',
    },
    {
      a: ['12 New Street', 'New York'],
      b: ['12 York Street', 'New York'],
      what: 'streets named after words of the city',
    },
    {
      a: ['88 Wuzhou Rd', 'Wuzhou'],
      b: ['88 Rd', 'Wuzhou'],
      what: 'a street named after the city, abbreviated, and none',
    },
  ])('keeps $what apart', ({ a, b }) => {
    // Prepare
    const address = ([line, city]: string[]): Address => ({
      country: 'CN',
      region: 'Guangxi',
      city: city!,
      line: line!,
    });

    // Act
    const [left, right] = [canonicalAddress(address(a)), canonicalAddress(address(b))];

    // Assess
    expect(left).not.toBe(right);
  });

  it.each([
    { line: '88 Xijiang Road', city: 'Wuzhou City' },
    { line: '88 Xijiang Road, Wuzhou City, Guangxi Province', city: 'Wuzhou' },
    { line: 'Guangxi Wuzhou 88 Xijiang Road', city: 'Wuzhou' },
    { line: '88 Xijiang Road, Apt 5-B', city: 'Wuzhou' },
    { line: '88 Xijiang Road, 5th Floor', city: 'Wuzhou' },
  ])('reads $line in $city as CN|wuzhou|88 xijiang rd', ({ line, city }) => {
    // Act
    const canonical = canonicalAddress({ country: 'CN', region: 'Guangxi', city, line });

    // Assess
    expect(canonical).toBe('CN|wuzhou|88 xijiang rd');
  });

  it('reads a Han city field in its bare form when the line is in Latin script', () => {
    // Prepare
    const [a, b] = [ruili('12 Jiegao Road'), ruili('12 Jiegao Road', { city: '瑞丽' })];

    // Act
    const [left, right] = [canonicalAddress(a), canonicalAddress(b)];

    // Assess
    expect(left).toBe('CN|瑞丽|12 jiegao rd');
    expect(right).toBe(left);
  });
});

describe('keyedAddress', () => {
  const wuzhou = (line: string, overrides: Partial<Address> = {}): Address => ({
    country: 'CN',
    region: 'Guangxi',
    city: 'Wuzhou',
    line,
    ...overrides,
  });
  const han = (line: string): Address => wuzhou(line, { region: '广西壮族自治区', city: '梧州市' });

  it.each([
    { what: 'a flat alone', address: wuzhou('Apt 5') },
    { what: 'a room alone', address: wuzhou('Room 12B') },
    { what: 'a flat word and number', address: wuzhou('Flat 3') },
    { what: 'the city alone', address: wuzhou('Wuzhou') },
    { what: 'region and city', address: wuzhou('Guangxi Wuzhou') },
    { what: 'a # unit alone', address: wuzhou('#12-402') },
    { what: 'a unit, the city and the region', address: wuzhou('Unit 9, Wuzhou, Guangxi') },
    { what: 'punctuation alone', address: wuzhou('— , .') },
    { what: 'the Han city alone', address: han('梧州市') },
    { what: 'the Han region and city', address: han('广西壮族自治区梧州市') },
    { what: 'the Han region and city, short', address: han('广西梧州') },
  ])('gives no key to $what, which names no street', ({ address }) => {
    // Prepare: the table row

    // Act
    const keyed = keyedAddress(address);

    // Assess
    expect(keyed).toBeUndefined();
  });

  // Each was keyed on a street part of a number or letters alone, one party per city
  it.each([
    { what: 'a number alone', address: wuzhou('1'), before: 'CN|wuzhou|1' },
    { what: 'a numbered number alone', address: wuzhou('No. 5'), before: 'CN|wuzhou|5' },
    { what: 'a block', address: wuzhou('Block B'), before: 'CN|wuzhou|block b' },
    { what: 'a flat and a block', address: wuzhou('Flat 22, Block B'), before: 'CN|wuzhou|block b' },
    { what: 'a tower and a room', address: wuzhou('Tower A Room 1203'), before: 'CN|wuzhou|tower a' },
    { what: 'a care-of the city', address: wuzhou('c/o Wuzhou'), before: 'CN|wuzhou|c o' },
    { what: 'a building number', address: wuzhou('Bldg 5'), before: 'CN|wuzhou|bldg 5' },
    { what: 'a building number, written out', address: wuzhou('Building 5'), before: 'CN|wuzhou|bldg 5' },
    { what: 'a block number, short', address: wuzhou('Blk 12'), before: 'CN|wuzhou|blk 12' },
    { what: 'a level', address: wuzhou('Level 3'), before: 'CN|wuzhou|level 3' },
    { what: 'a number word', address: wuzhou('Number 9'), before: 'CN|wuzhou|number 9' },
    { what: 'an ordinal floor', address: wuzhou('5th Floor'), before: 'CN|wuzhou|' },
    { what: 'a lettered number', address: wuzhou('12B, Wuzhou'), before: 'CN|wuzhou|12b' },
    { what: 'a dashed number and the city', address: wuzhou('Wuzhou-2'), before: 'CN|wuzhou|2' },
    { what: 'a Han number', address: han('1号'), before: 'CN|梧州|1号' },
    { what: 'a Han number in Han numerals', address: han('梧州市十二号'), before: 'CN|梧州|十二号' },
    { what: 'a Han dashed unit after the city', address: han('梧州市12-402'), before: 'CN|梧州|12' },
    { what: 'a Han building number', address: han('梧州市5号楼'), before: 'CN|梧州|5号楼' },
    { what: 'a Han unit and room', address: han('3单元402室'), before: 'CN|梧州|3单元402室' },
    { what: 'a Han ordinal block', address: han('梧州市第3栋'), before: 'CN|梧州|第' },
    { what: 'a Han lettered block and room', address: han('A座1201'), before: 'CN|梧州|a座1201' },
  ])(
    'gives no key to $what, whose street part $before is a number or letters alone',
    ({ address, before }) => {
      // Prepare: the table row

      // Act
      const keyed = keyedAddress(address);

      // Assess: the canonical form is as before, but names no street
      expect(canonicalAddress(address)).toBe(before);
      expect(keyed).toBeUndefined();
    },
  );

  it.each([
    {
      address: ruili('云南省德宏傣族景颇族自治州瑞丽市姐告路12号3单元402室'),
      canonical: 'CN|瑞丽|姐告路12号',
    },
    { address: han('万秀区西江二路63号 3单元502室'), canonical: 'CN|梧州|万秀西江二路63号' },
    { address: wuzhou('18 Xijiang Road, Flat 22'), canonical: 'CN|wuzhou|18 xijiang rd' },
    // A number, a block or a letter beside a street's name keeps the key it had
    { address: wuzhou('Room 5, 18 Minzu Ave'), canonical: 'CN|wuzhou|18 minzu ave' },
    { address: wuzhou('Block 5, 18 Xijiang Road'), canonical: 'CN|wuzhou|block 5 18 xijiang rd' },
    { address: wuzhou('Tower A, 3 Minzu Avenue'), canonical: 'CN|wuzhou|tower a 3 minzu ave' },
    { address: wuzhou('Tower Road 3'), canonical: 'CN|wuzhou|tower rd 3' },
    { address: wuzhou('Sunshine Building, Flat 3'), canonical: 'CN|wuzhou|sunshine bldg' },
    { address: wuzhou('5th Avenue 12'), canonical: 'CN|wuzhou|5th ave 12' },
    { address: wuzhou('Xijiang Road'), canonical: 'CN|wuzhou|xijiang rd' },
    { address: wuzhou('c/o Li Wei, 18 Xijiang Road'), canonical: 'CN|wuzhou|c o li wei 18 xijiang rd' },
    { address: han('西江路18号'), canonical: 'CN|梧州|西江路18号' },
    { address: han('梧州市人民路5号3栋'), canonical: 'CN|梧州|人民路5号' },
    { address: han('一二三路5号'), canonical: 'CN|梧州|一二三路5号' },
    { address: han('梧州市十里铺12号'), canonical: 'CN|梧州|十里铺12号' },
    { address: han('梧州市xijiang12号'), canonical: 'CN|梧州|xijiang12号' },
  ])('keys an address naming a street on its canonical form, $canonical', ({ address, canonical }) => {
    // Prepare: the table row

    // Act
    const keyed = keyedAddress(address);

    // Assess
    expect(keyed).toBe(canonical);
    expect(keyed).toBe(canonicalAddress(address));
  });
});

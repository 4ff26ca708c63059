import { describe, expect, it } from 'vitest';
import type { Address } from '../../../events/manifest-v1.js';
import { bareAdministrativeName, canonicalAddress } from '../../../functions/core/parties/address.js';

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
});

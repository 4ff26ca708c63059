import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Party } from '../../../events/manifest-v1.js';
import {
  derivePartyKeys,
  hashIndicator,
  isPartyKey,
  kindOfKey,
} from '../../../functions/core/parties/party-keys.js';
import { aParcel } from '../../support/factories.js';

const SALT = 'unit-test-salt-0123456789';

const consignee = (overrides: Partial<Party> = {}): Party => ({
  name: '张伟',
  phone: '138 1234 5678',
  address: { country: 'CN', region: '云南省', city: '瑞丽市', line: '姐告路12号3单元402室' },
  ...overrides,
});
const keysFor = (party: Party, salt = SALT) => derivePartyKeys(aParcel({ consignee: party }), salt);

describe('derivePartyKeys', () => {
  const reference = keysFor(consignee());

  it.each([
    { what: 'traditional characters', party: consignee({ name: '張偉', phone: '+86 138-1234-5678' }) },
    {
      what: 'pinyin, full-width digits',
      party: consignee({ name: 'Zhang Wei', phone: '８６１３８１２３４５６７８' }),
    },
    {
      what: 'a title and the surname last',
      party: consignee({ name: 'Mr WEI ZHANG', phone: '0086 13812345678' }),
    },
    { what: 'an honorific', party: consignee({ name: '张伟先生', phone: '(+86) 138 1234 5678' }) },
    { what: 'another name altogether', party: consignee({ name: 'Li Na', phone: '13812345678' }) },
  ])('resolves a consignee written with $what but the same phone to the same consignee', ({ party }) => {
    // Prepare: the table row

    // Act
    const keys = keysFor(party);

    // Assess
    expect(keys.consignee).toBe(reference.consignee);
    expect(keys.phone).toBe(reference.phone);
  });

  it.each([
    { what: 'with an honorific and spaces', name: '张 伟 先生', same: true },
    { what: 'in full width', name: '张伟　', same: true },
    { what: 'with a zero-width space', name: '张\u200b伟', same: true },
    { what: 'with a soft hyphen and a word joiner', name: '张\u00ad伟\u2060', same: true },
    { what: 'in traditional characters', name: '張偉', same: false },
    { what: 'in pinyin', name: 'Zhang Wei', same: false },
  ])('hashes the name $what to the same name key: $same', ({ name, same }) => {
    // Prepare: the table row

    // Act
    const keys = keysFor(consignee({ name }));

    // Assess
    expect(keys.consigneeName === reference.consigneeName).toBe(same);
  });

  it.each([
    {
      what: 'a zero-width space, a word joiner and a zero-width non-joiner',
      party: consignee({ phone: '138\u200b1234\u2060567\u200c8' }),
    },
    {
      what: 'an invisible character in the address',
      party: consignee({ address: { ...consignee().address, line: '姐告路\u200b12号3单元402室' } }),
    },
  ])('derives the same keys from a party written with $what', ({ party }) => {
    // Prepare: the table row

    // Act
    const keys = keysFor(party);

    // Assess
    expect(keys).toEqual(reference);
  });

  it.each([
    { what: 'restating province and prefecture', line: '云南省德宏傣族景颇族自治州瑞丽市姐告路12号' },
    { what: 'with another flat and full-width digits', line: '姐告路１２号５单元１０１室' },
    { what: 'with a building number', line: '瑞丽市姐告路12号2号楼' },
  ])('resolves a consignee who changes the phone but keeps the address, $what, by address', ({ line }) => {
    // Prepare
    const party = consignee({
      name: '张卫',
      phone: '139 0000 1111',
      address: { ...consignee().address, line },
    });

    // Act
    const keys = keysFor(party);

    // Assess
    expect(keys.address).toBe(reference.address);
    expect(keys.consignee).not.toBe(reference.consignee);
  });

  it('keys a phone that cannot be made E.164 on its digits, consistently', () => {
    // Prepare
    const odd = consignee({ phone: '12345' });

    // Act
    const [first, second, other] = [
      keysFor(odd),
      keysFor(consignee({ phone: '1-2-3-4-5' })),
      keysFor(consignee({ phone: '12346' })),
    ];

    // Assess
    expect(first.phone).toBe(second.phone);
    expect(first.phone).not.toBe(other.phone);
  });

  it('derives an ID document key only when the parcel carries one, ignoring spacing and case', () => {
    // Prepare
    const withId = consignee({ idDocument: { type: 'national-id', number: '5331 0219 9001 0112 3x' } });
    const sameId = consignee({
      name: 'Zhang Wei',
      idDocument: { type: 'national-id', number: '53310219900101123X' },
    });

    // Act
    const [keys, same, none] = [keysFor(withId), keysFor(sameId), keysFor(consignee())];

    // Assess
    expect(keys.idDocument).toBeDefined();
    expect(keys.idDocument).toBe(same.idDocument);
    expect(none).not.toHaveProperty('idDocument');
  });

  it.each([
    { what: 'a flat alone', line: 'Apt 5' },
    { what: 'a room alone', line: 'Room 12B' },
    { what: 'a flat word and number', line: 'Flat 3' },
    { what: 'the city alone', line: 'Wuzhou' },
    { what: 'a # unit alone', line: '#12-402' },
    { what: 'a unit, the city and the region', line: 'Unit 9, Wuzhou, Guangxi' },
    { what: 'the Han region and city', line: '广西壮族自治区梧州市', region: '广西', city: '梧州市' },
    // Keyed before on a number or letters alone, one party per city
    { what: 'a street number alone', line: 'No. 7' },
    { what: 'a bare number', line: '1' },
    { what: 'a flat and a block', line: 'Flat 22, Block B' },
    { what: 'a tower and a room', line: 'Tower A Room 1203' },
    { what: 'a care-of the city', line: 'c/o Wuzhou' },
    { what: 'a Han number after the city', line: '梧州市12-402', region: '广西', city: '梧州市' },
  ])('derives no address key from an address naming no street: $what', ({ line, ...place }) => {
    // Prepare
    const party = consignee({
      address: { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line, ...place },
    });

    // Act
    const keys = keysFor(party);

    // Assess: the other keys are derived as for any parcel
    expect(keys).not.toHaveProperty('address');
    expect(keys.consignee).toBe(reference.consignee);
    expect(Object.keys(keys).sort()).toEqual(['consignee', 'consigneeName', 'phone', 'shipper']);
  });

  it.each(['无', '不详', '-', '－ －'])(
    'derives no ID document key from the number %s, which has no letter or digit',
    (number) => {
      // Prepare
      const party = consignee({ idDocument: { type: 'national-id', number } });

      // Act
      const keys = keysFor(party);

      // Assess
      expect(keys).not.toHaveProperty('idDocument');
      expect(keys.address).toBe(reference.address);
    },
  );

  it('puts no personal data in clear in any key, and marks each key with its kind', () => {
    // Prepare
    const party = consignee({ idDocument: { type: 'passport', number: 'E12345678' } });

    // Act
    const keys = keysFor(party);

    // Assess
    const all = Object.entries(keys);
    expect(all).toHaveLength(6);
    for (const [, key] of all) {
      expect(isPartyKey(key)).toBe(true);
      expect(key).not.toMatch(/1381234|张|瑞丽|E1234/);
    }
    expect(Object.fromEntries(all.map(([field, key]) => [field, kindOfKey(key)]))).toEqual({
      consignee: 'consignee',
      shipper: 'shipper',
      phone: 'phone',
      address: 'address',
      consigneeName: 'name',
      idDocument: 'idDocument',
    });
  });

  it('derives different keys under another salt', () => {
    // Prepare
    const party = consignee();

    // Act
    const other = keysFor(party, 'another-deployment-salt');

    // Assess
    expect(other.consignee).not.toBe(reference.consignee);
    expect(other.address).not.toBe(reference.address);
  });

  it('refuses a salt shorter than 16 characters', () => {
    // Prepare
    const parcel = aParcel();

    // Act
    const derive = () => derivePartyKeys(parcel, 'short');

    // Assess
    expect(derive).toThrow(RangeError);
  });

  it('accepts a salt of exactly 16 characters and refuses one of 15', () => {
    // Prepare
    const parcel = aParcel();

    // Act
    const [sixteen, fifteen] = [
      () => derivePartyKeys(parcel, '0123456789abcdef'),
      () => derivePartyKeys(parcel, '0123456789abcde'),
    ];

    // Assess
    expect(sixteen).not.toThrow();
    expect(fifteen).toThrow(RangeError);
  });

  it('keys the shipper on the shipper’s own phone', () => {
    // Prepare
    const parcel = aParcel({
      consignee: consignee(),
      shipper: { ...consignee(), name: 'Ruili Trading', phone: '0755 2100 3300' },
    });

    // Act
    const keys = derivePartyKeys(parcel, SALT);

    // Assess
    expect(keys.shipper).toBe(hashIndicator('shipper', '+8675521003300', SALT));
  });

  it('derives keys as documented, so history recorded by an earlier deployment still matches', () => {
    // Prepare
    const documented = (kind: string, prefix: string, value: string) =>
      `${prefix}_${createHmac('sha256', SALT).update(`${kind}\u0000${value}`).digest('base64url').slice(0, 22)}`;

    // Act
    const [resolved, unresolved] = [keysFor(consignee()), keysFor(consignee({ phone: '1-2-3-4-5' }))];

    // Assess
    expect(resolved.consignee).toBe(documented('consignee', 'cn', '+8613812345678'));
    expect(resolved.phone).toBe(documented('phone', 'ph', '+8613812345678'));
    expect(unresolved.phone).toBe(documented('phone', 'ph', 'unresolved:12345'));
  });

  it.each([
    {
      what: 'a Han street with a flat',
      address: { country: 'CN', region: '云南省', city: '瑞丽市', line: '姐告路12号3单元402室' },
      key: 'ad_72SAzgjtP2NVoKyVEdqL_V',
    },
    {
      what: 'a Latin street with a flat',
      address: { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line: '18 Xijiang Road, Flat 22' },
      key: 'ad_f2DbK15K24bJUV3xnplZTd',
    },
    // The sample manifests' addresses (events/samples/manifests, the demo's)
    {
      what: 'a Latin building and street, Shenzhen',
      address: {
        country: 'CN',
        region: 'Guangdong',
        city: 'Shenzhen',
        line: 'Building 5, Huaqiang North Road, Futian District',
      },
      key: 'ad_N2sKMBTjZCfY6NIdTzOL_X',
    },
    {
      what: 'a Latin street and district, Nanning',
      address: {
        country: 'CN',
        region: 'Guangxi',
        city: 'Nanning',
        line: '22 Minzu Avenue, Qingxiu District',
      },
      key: 'ad_VkgH5KaUV6zXN1L1z9e7NH',
    },
    {
      what: 'a Han district and street, Nanning',
      address: { country: 'CN', region: '广西壮族自治区', city: '南宁市', line: '青秀区东葛路118号' },
      key: 'ad_-H8aXW5BQG76TYjiIsW2xi',
    },
    {
      what: 'a Latin avenue, Guangzhou',
      address: {
        country: 'CN',
        region: 'Guangdong',
        city: 'Guangzhou',
        line: '3 Fangcun Avenue, Liwan District',
      },
      key: 'ad_E0iNH7ABvU8OZBeoFc2e_6',
    },
    {
      what: 'a Latin road, Nanning',
      address: {
        country: 'CN',
        region: 'Guangxi',
        city: 'Nanning',
        line: '9 Chaoyang Road, Xingning District',
      },
      key: 'ad_etBfmxZIOGsGV5ClPRRhrV',
    },
    {
      what: 'a Han avenue, Baise',
      address: { country: 'CN', region: '广西壮族自治区', city: '百色市', line: '右江区城东大道27号' },
      key: 'ad_J4IL6qWhZMtI7WirO3Rcuu',
    },
    {
      what: 'a Han road and block, Guangzhou',
      address: { country: 'CN', region: '广东省', city: '广州市', line: '白云区机场路1168号A栋' },
      key: 'ad_o_v76fuWkdBP-FfOL41QUU',
    },
    {
      what: 'a county road, Baise',
      address: { country: 'CN', region: 'Guangxi', city: 'Baise', line: 'Tianyang County Farm Road 4' },
      key: 'ad_ddxHGz8sG0VuNBPueKe0Up',
    },
    {
      what: 'a Latin road and district, Guangzhou',
      address: {
        country: 'CN',
        region: 'Guangdong',
        city: 'Guangzhou',
        line: '55 Tianhe Road, Tianhe District',
      },
      key: 'ad__18NkxmY3CA6m2qC7KmTkS',
    },
    {
      what: 'a Han trade zone and road, Ruili',
      address: { country: 'CN', region: '云南省德宏州', city: '瑞丽市', line: '姐告边境贸易区玉石路18号' },
      key: 'ad_Wqbk6VBLO87OhTg46-XHuQ',
    },
    {
      what: 'a Han street with a unit and flat, Wuzhou',
      address: {
        country: 'CN',
        region: '广西壮族自治区',
        city: '梧州市',
        line: '万秀区西江二路63号 3单元502室',
      },
      key: 'ad_5nFPoZTJsCDmesRuES2uhH',
    },
    {
      what: 'a Latin road, Ruili',
      address: { country: 'CN', region: 'Yunnan', city: 'Ruili', line: '12 Jiegao Road' },
      key: 'ad_aVLNYx_EXLlhNkX5tqxloy',
    },
    {
      what: 'a Latin east road, Guangzhou',
      address: {
        country: 'CN',
        region: 'Guangdong',
        city: 'Guangzhou',
        line: '88 Huanshi East Road, Yuexiu District',
      },
      key: 'ad_xrV4BM0ltqclFo8Yja5e5b',
    },
  ])('keeps the address key of $what as earlier deployments derived it', ({ address, key }) => {
    // Prepare
    const party = consignee({ address });

    // Act
    const keys = keysFor(party);

    // Assess
    expect(keys.address).toBe(key);
  });

  it.each([
    { number: '5331 0219 9001 0112 3x', key: 'id_cqZ0IfMQkjUyvmGFXeO9mS' },
    { number: 'N/A', key: 'id_lkfOw_oGnYfyIfHweaHNNk' },
  ])('keeps the ID document key of $number as earlier deployments derived it', ({ number, key }) => {
    // Prepare
    const party = consignee({ idDocument: { type: 'national-id', number } });

    // Act
    const keys = keysFor(party);

    // Assess
    expect(keys.idDocument).toBe(key);
  });
});

describe('isPartyKey', () => {
  const key = hashIndicator('phone', '+8613812345678', SALT);

  it.each([
    { what: 'a derived key', value: key, valid: true },
    { what: 'a key with a character more', value: `${key}A`, valid: false },
    { what: 'a key after other text', value: `x${key}`, valid: false },
    { what: 'a key cut short', value: key.slice(0, -1), valid: false },
  ])('says $what is a party key: $valid', ({ value, valid }) => {
    // Prepare: the table row

    // Act
    const result = isPartyKey(value);

    // Assess
    expect(result).toBe(valid);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../functions/core/parties/name.js';
import { derivePartyKeys, hashIndicator } from '../../../functions/core/parties/party-keys.js';
import {
  hashWatchlist,
  hashWatchlists,
  saltProofOf,
} from '../../../functions/core/parties/watchlist-keys.js';
import { baselineFacts } from '../../../functions/core/rules/cases/index.js';
import { compileRuleSet, type ListDocument, RuleSetError } from '../../../functions/core/rules/index.js';

const SALT = 'watchlist-test-salt-0123456789';

const aWatchlist = (overrides: Partial<ListDocument> = {}): ListDocument => ({
  name: 'watched-phones',
  version: 1,
  owner: 'risk-analytics',
  description: 'test watchlist',
  holds: 'phone',
  country: 'CN',
  values: ['+86 139 0000 0001'],
  ...overrides,
});

const aRuleSet = (list: unknown) => ({
  ruleSet: {
    file: 'rule-set.yaml',
    document: {
      id: 'watch',
      label: 'test',
      description: 'watchlist test',
      owner: 'risk-analytics',
      lists: ['watched-phones'],
      rules: [
        {
          id: 'phone-on-watchlist',
          title: 'watched phone',
          owner: 'risk-analytics',
          severity: 'high',
          score: 40,
          reason: 'phone on {list}',
          when: { fact: 'parties.phone', in: { list: 'watched-phones' } },
        },
      ],
      lanes: {
        bands: [
          { from: 0, lane: 'release' },
          { from: 30, lane: 'review' },
        ],
      },
    },
  },
  lists: [{ file: 'lists/watched-phones.yaml', document: list }],
});

describe('hashWatchlist', () => {
  it.each([
    ['+86 139 0000 0001', 'CN'],
    ['139-0000-0001', 'CN'],
    ['0086 (139) 0000 0001', undefined],
    ['＋８６ １３９ ００００ ０００１', undefined],
  ])('hashes %s to the key derivePartyKeys gives the same phone on a parcel', (written, country) => {
    // Prepare
    const list = aWatchlist({ values: [written], ...(country === undefined ? { country: undefined } : {}) });
    const parcel = baselineFacts().parcel;
    const onParcel = derivePartyKeys(
      { ...parcel, consignee: { ...parcel.consignee, phone: '13900000001' } },
      SALT,
    );

    // Act
    const hashed = hashWatchlist(list, SALT, 'lists/watched-phones.yaml');

    // Assess
    expect(hashed.hashed).toBe(true);
    expect(hashed.values).toEqual([onParcel.phone]);
  });

  it.each([
    ['consignee', '+86 139 0000 0001', hashIndicator('consignee', '+8613900000001', SALT)],
    ['shipper', '+86 755 2100 3300', hashIndicator('shipper', '+8675521003300', SALT)],
    ['consigneeName', '  WANG   fang ', hashIndicator('name', normalizeName('Wang Fang'), SALT)],
    [
      'idDocument',
      { type: 'passport', number: 'e 1234 5678' },
      hashIndicator('idDocument', 'passport:E12345678', SALT),
    ],
  ] as const)('hashes a %s watchlist with the kind of key its parties fact has', (holds, value, key) => {
    // Prepare
    const list = aWatchlist({ holds, values: [value as ListDocument['values'][number]] });

    // Act
    const hashed = hashWatchlist(list, SALT, 'lists/x.yaml');

    // Assess
    expect(hashed.values).toEqual([key]);
  });

  it('keys an address watchlist like the consignee address of a parcel', () => {
    // Prepare
    const address = { country: 'CN', region: '广东省', city: '深圳市', line: '南山区科技园8号 1202室' };
    const parcel = baselineFacts().parcel;
    const onParcel = derivePartyKeys({ ...parcel, consignee: { ...parcel.consignee, address } }, SALT);

    // Act
    const hashed = hashWatchlist(
      aWatchlist({ holds: 'address', values: [{ ...address, line: '南山科技园8号' }] }),
      SALT,
      'f',
    );

    // Assess
    expect(hashed.values).toEqual([onParcel.address]);
  });

  it('refuses a value it cannot normalize, naming its position and never the value', () => {
    // Prepare
    const list = aWatchlist({ country: undefined, values: ['+86 139 0000 0001', '5550123'] });

    // Act
    const run = () => hashWatchlist(list, SALT, 'lists/watched-phones.yaml');

    // Assess
    expect(run).toThrow(RuleSetError);
    expect(run).toThrow(/values\[1\].*E\.164/);
    expect(run).not.toThrow(/5550123/);
  });

  it.each([
    [
      'an address whose line is only zero-width spaces',
      'address',
      { country: 'CN', region: '广东省', city: '深圳市', line: '\u200b\u200b' },
    ],
    [
      'an ID document whose number is only a word joiner',
      'idDocument',
      { type: 'passport', number: '\u2060' },
    ],
  ] as const)('refuses %s, as a manifest would, naming its position', (_name, holds, value) => {
    // Prepare
    const list = aWatchlist({ holds, country: undefined, values: [value] });

    // Act
    const run = () => hashWatchlist(list, SALT, 'lists/watched.yaml');

    // Assess
    expect(run).toThrow(RuleSetError);
    expect(run).toThrow(/values\[0\]: list .*: not an (address|ID document) as in the manifest contract/);
  });

  it.each([
    [
      'an address naming no street, only a flat and the city',
      'address',
      { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line: 'Flat 22, Wuzhou' },
      /values\[0\]: list .*: names no street/,
    ],
    [
      'an address naming only a block and a number',
      'address',
      { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line: 'No. 5, Block B' },
      /values\[0\]: list .*: names no street \(only a room, flat, number, block or the city\)/,
    ],
    [
      'an address restating only its region and city',
      'address',
      { country: 'CN', region: '广西壮族自治区', city: '梧州市', line: '广西梧州' },
      /values\[0\]: list .*: names no street/,
    ],
    [
      'an ID document whose number has no letter or digit',
      'idDocument',
      { type: 'national-id', number: '不详' },
      /values\[0\]: list .*: a number with no letter or digit/,
    ],
  ] as const)(
    'refuses %s, which no parcel is keyed on, naming its position',
    (_name, holds, value, message) => {
      // Prepare
      const list = aWatchlist({ holds, country: undefined, values: [value] });

      // Act
      const run = () => hashWatchlist(list, SALT, 'lists/watched.yaml');

      // Assess
      expect(run).toThrow(RuleSetError);
      expect(run).toThrow(message);
    },
  );

  it.each([
    [
      'a phone written as a number',
      'phone',
      13900000001,
      /values\[0\]: list .*: a number, not text: quote the phone number as written$/,
    ],
    ['text that is no phone number', 'phone', 'ask at the desk', /values\[0\]: list .*: not a phone number/],
    ['an empty name', 'consigneeName', ' . ', /values\[0\]: list .*: not a name/],
    ['a name written as a number', 'consigneeName', 12345, /values\[0\]: list .*: not a name/],
  ] as const)('refuses %s, naming its position', (_name, holds, value, message) => {
    // Prepare
    const list = aWatchlist({ holds, values: [value] });

    // Act
    const run = () => hashWatchlist(list, SALT, 'lists/watched.yaml');

    // Assess
    expect(run).toThrow(RuleSetError);
    expect(run).toThrow(message);
  });

  it('refuses a value that repeats an earlier one after normalization, naming both positions', () => {
    // Prepare
    const list = aWatchlist({ values: ['+86 139 0000 0001', '+86 139 0000 0002', '139-0000-0001'] });

    // Act
    const run = () => hashWatchlist(list, SALT, 'lists/watched-phones.yaml');

    // Assess
    expect(run).toThrow(RuleSetError);
    expect(run).toThrow(
      /values\[2\]: list watched-phones: the same phone as values\[0\] after normalization/,
    );
  });

  it('marks the hashed list with the proof of its salt, which differs from salt to salt', () => {
    // Prepare
    const list = aWatchlist();

    // Act
    const [one, other] = [hashWatchlist(list, SALT, 'f'), hashWatchlist(list, `${SALT}-other`, 'f')];

    // Assess
    expect(one.saltProof).toBe(saltProofOf(SALT));
    expect(other.saltProof).toBe(saltProofOf(`${SALT}-other`));
    expect(one.saltProof).not.toBe(other.saltProof);
  });

  it('leaves a list that is already hashed as it is', () => {
    // Prepare
    const hashed = hashWatchlist(aWatchlist(), SALT, 'f');

    // Act
    const again = hashWatchlist(hashed, SALT, 'f');

    // Assess
    expect(again).toBe(hashed);
  });

  it('accepts a salt of exactly 16 characters and refuses one of 15', () => {
    // Prepare
    const list = aWatchlist();

    // Act
    const [sixteen, fifteen] = [
      () => hashWatchlist(list, '0123456789abcdef', 'f'),
      () => hashWatchlist(list, '0123456789abcde', 'f'),
    ];

    // Assess
    expect(sixteen).not.toThrow();
    expect(fifteen).toThrow(RangeError);
  });

  it('leaves lists that hold no personal indicators as they are', () => {
    // Prepare
    const list = { name: 'border-origins', version: 1, owner: 'o', description: 'd', values: ['Ruili'] };

    // Act
    const [hashed] = hashWatchlists([{ file: 'f', document: list }], SALT);

    // Assess
    expect(hashed!.document).toBe(list);
  });
});

describe('a compiled watchlist', () => {
  it('holds no clear value: neither in the hashed list nor in the compiled rule set', () => {
    // Prepare
    const clear = ['+86 139 0000 0001', '139-0000-0002'];
    const input = aRuleSet(aWatchlist({ values: clear }));

    // Act
    const lists = hashWatchlists(input.lists, SALT);
    const policy = compileRuleSet({ ...input, lists });

    // Assess
    const text =
      JSON.stringify(lists) +
      JSON.stringify(policy, (_, value) => (value instanceof Set ? [...value] : value));
    for (const digits of ['13900000001', '13900000002', '139 0000', '139-0000'])
      expect(text).not.toContain(digits);
    expect(policy.version).toMatch(/^sha256:/);
  });

  it('fires on a parcel whose phone is on it and not on another', () => {
    // Prepare
    const policy = compileRuleSet({
      ...aRuleSet(aWatchlist()),
      lists: hashWatchlists(aRuleSet(aWatchlist()).lists, SALT),
    });
    const facts = baselineFacts();
    const watched = { ...facts.parcel, consignee: { ...facts.parcel.consignee, phone: '+86 13900000001' } };

    // Act
    const hit = policy.evaluate({ ...facts, parcel: watched, parties: derivePartyKeys(watched, SALT) });
    const miss = policy.evaluate({ ...facts, parties: derivePartyKeys(facts.parcel, SALT) });

    // Assess
    expect(hit.firedRules.map((rule) => rule.ruleId)).toEqual(['phone-on-watchlist']);
    expect(miss.firedRules).toEqual([]);
  });

  it('changes the rule set version when the watchlist changes', () => {
    // Prepare
    const one = aRuleSet(aWatchlist());
    const two = aRuleSet(aWatchlist({ version: 2, values: ['+86 139 0000 0001', '+86 139 0000 0002'] }));

    // Act
    const versionOne = compileRuleSet({ ...one, lists: hashWatchlists(one.lists, SALT) }).version;
    const versionTwo = compileRuleSet({ ...two, lists: hashWatchlists(two.lists, SALT) }).version;

    // Assess
    expect(versionTwo).not.toBe(versionOne);
  });

  it('is refused by the compiler when it arrives unhashed', () => {
    // Prepare
    const input = aRuleSet(aWatchlist());

    // Act
    const run = () => compileRuleSet(input);

    // Assess
    expect(run).toThrow(/holds phone values: load it with the deployment's party-key salt/);
  });

  it('is refused when a hashed value is not a key of the kind it holds', () => {
    // Prepare
    const forged = aWatchlist({
      hashed: true,
      values: [hashIndicator('address', 'CN|x|y', SALT), '+8613900000001'],
    });

    // Act
    const run = () => compileRuleSet(aRuleSet(forged));

    // Assess
    expect(run).toThrow(RuleSetError);
    expect(run).toThrow(/values\[0\]: list watched-phones: not a hashed phone key/);
  });
});

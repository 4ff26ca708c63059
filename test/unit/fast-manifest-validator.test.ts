import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSyntheticParcels } from '../../bench/synthetic-parcels.js';
import { fastValidManifest, fastValidParcel } from '../../events/fast-manifest-validator.js';
import {
  ID_DOCUMENT_TYPES,
  ManifestSchema,
  ParcelSchema,
  TRANSPORT_MODES,
} from '../../events/manifest-v1.js';
import { manifestIssues, parseManifest } from '../../events/parse-manifest.js';
import { readSample } from '../support/factories.js';

/**
 * The fast validator must never disagree with zod: whatever it accepts, zod accepts with the same output
 * (deeply equal and byte-for-byte equal as JSON, keys in the same order); whatever it does not accept goes
 * to zod, so parseManifest reports zod's issues, in the contract's order (manifestIssues).
 */

type Mutation = (manifest: Record<string, any>) => void;

/** What parseManifest returned before the fast path: zod alone, its issues as the 422 lists them. */
const zodOnly = (value: unknown) => {
  const parsed = ManifestSchema.safeParse(value);
  return parsed.success
    ? { ok: true, manifest: parsed.data }
    : { ok: false, issues: manifestIssues(parsed.error, value) };
};

const expectSameAsZod = (value: unknown) => {
  const expected = zodOnly(value);
  const actual = parseManifest(value);
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
};

const samples = readdirSync(resolve(import.meta.dirname, '../../events/samples/manifests'));
/** A parcel as a manifest takes it: ParcelSchema and the rules ingest added later (text that shows, phones). */
const SentParcelSchema = ManifestSchema.shape.parcels.element;
const base = () => structuredClone(readSample('pearl-express-shenzhen-nanning.json')) as Record<string, any>;

describe('fast manifest validator', () => {
  it.each(samples)('accepts the sample %s with exactly zod’s output', (file) => {
    // Prepare
    const manifest = readSample(file);
    // Act
    const fast = fastValidManifest(structuredClone(manifest));
    // Assess
    expect(fast).toBeDefined();
    expect(fast).toStrictEqual(ManifestSchema.parse(manifest));
    expect(JSON.stringify(fast)).toBe(JSON.stringify(ManifestSchema.parse(manifest)));
  });

  it('accepts 2,000 synthetic benchmark parcels with exactly zod’s output', () => {
    for (const { json } of makeSyntheticParcels(2_000, 7)) {
      const fast = fastValidParcel(JSON.parse(json));
      const slow = ParcelSchema.parse(JSON.parse(json));
      expect(fast).toStrictEqual(slow);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    }
  });

  it.each<[string, Mutation]>([
    [
      'padded text (trimmed as zod trims)',
      (m) => (m.parcels[0].goods[0].description = '  Phone case \u00a0'),
    ],
    [
      'no optional region, postcode, email or dimensions',
      (m) => {
        delete m.parcels[0].route.origin.region;
        delete m.parcels[0].consignee.address.postcode;
        delete m.parcels[0].consignee.email;
        delete m.parcels[0].dimensions;
      },
    ],
    [
      'an email and an ID document',
      (m) => {
        m.parcels[0].consignee.email = 'a.b+c@example.com';
        m.parcels[0].consignee.idDocument = { type: 'passport', number: ' E1234 ' };
      },
    ],
    ['a full-width phone', (m) => (m.parcels[0].consignee.phone = '＋８６ １３８（０）１２３４')],
    [
      'keys in another order',
      (m) => {
        const { goods, ...rest } = m.parcels[0];
        m.parcels[0] = { goods, ...rest };
      },
    ],
    ['zero declared value and -0', (m) => (m.parcels[0].goods[0].declaredValue.amount = -0)],
    ['the smallest measure', (m) => (m.parcels[0].goods[0].quantity = 0.000001)],
    ['a conveyance reference', (m) => (m.transport.conveyanceReference = ' GX-123 ')],
    ['a multimodal transport', (m) => (m.transport.mode = 'multimodal')],
    ['a zero-width space between letters', (m) => (m.parcels[0].consignee.name = 'a\u200bb')],
    ['a zero-width space between ideographs', (m) => (m.parcels[0].goods[0].description = '木\u200b雕')],
    ['an invisible character at each end', (m) => (m.parcels[0].route.origin.city = '\u2060 Ruili \u200c')],
    [
      'a padded postcode (trimmed as zod trims)',
      (m) => (m.parcels[0].consignee.address.postcode = ' 518000\t'),
    ],
    [
      'a postcode of 16 characters and spaces',
      (m) => (m.parcels[0].shipper.address.postcode = ` ${'1'.repeat(16)} `),
    ],
  ])('valid variant: %s is accepted fast, as zod accepts it', (_name, mutate) => {
    // Prepare
    const manifest = base();
    mutate(manifest);
    // Act / Assess
    expect(fastValidManifest(structuredClone(manifest))).toBeDefined();
    expectSameAsZod(manifest);
  });

  it.each<[string, Mutation]>([
    ['an unknown top-level field', (m) => (m.priority = 'high')],
    ['an unknown field in a goods line', (m) => (m.parcels[0].goods[0].colour = 'red')],
    ['an own __proto__ key', (m) => (m.parcels[0].route = JSON.parse('{"__proto__": 1}'))],
    ['a 5-digit HS code', (m) => (m.parcels[0].goods[0].hsCode = '94036')],
    ['an 11-digit HS code', (m) => (m.parcels[0].goods[0].hsCode = '94036012345')],
    ['a full-width HS code', (m) => (m.parcels[0].goods[0].hsCode = '９４０３６０')],
    ['a missing phone', (m) => delete m.parcels[0].consignee.phone],
    ['a 4-character phone', (m) => (m.parcels[0].consignee.phone = '1234')],
    ['a phone with letters', (m) => (m.parcels[0].consignee.phone = '138 call me')],
    ['a phone without digits', (m) => (m.parcels[0].consignee.phone = '( - )')],
    ['a phone of 4 digits', (m) => (m.parcels[0].shipper.phone = '+(12) 34')],
    ['a phone of zeros', (m) => (m.parcels[0].consignee.phone = '０００ 00')],
    ['a lower-case country', (m) => (m.parcels[0].route.origin.country = 'cn')],
    ['a lower-case currency', (m) => (m.parcels[0].goods[0].declaredValue.currency = 'cny')],
    ['a negative weight', (m) => (m.parcels[0].declaredGrossWeightKg = -1)],
    ['a zero weight', (m) => (m.parcels[0].declaredGrossWeightKg = 0)],
    ['a weight above 50 t', (m) => (m.parcels[0].declaredGrossWeightKg = 50_000.5)],
    ['a too-fine quantity', (m) => (m.parcels[0].goods[0].quantity = 1e-7)],
    ['a too-fine amount', (m) => (m.parcels[0].goods[0].declaredValue.amount = 5e-324)],
    ['a string weight', (m) => (m.parcels[0].declaredGrossWeightKg = '12')],
    ['a fractional piece count', (m) => (m.parcels[0].pieceCount = 1.5)],
    ['a null measured weight', (m) => (m.parcels[0].measuredWeightKg = null)],
    ['blank text', (m) => (m.parcels[0].goods[0].description = '   ')],
    ['a zero-width space for a name', (m) => (m.parcels[0].consignee.name = '\u200b')],
    ['zero-width joiners for a city', (m) => (m.parcels[0].route.destination.city = '\u200b\u200d')],
    ['a word joiner between spaces', (m) => (m.parcels[0].goods[0].description = ' \u2060 ')],
    ['a byte order mark for a region', (m) => (m.parcels[0].consignee.address.region = '\ufeff')],
    ['a soft hyphen for an address line', (m) => (m.parcels[0].shipper.address.line = '\u00ad')],
    [
      'a word joiner and a byte order mark for an ID document number',
      (m) => (m.parcels[0].consignee.idDocument = { type: 'passport', number: '\u2060\ufeff' }),
    ],
    ['a tag character for a conveyance reference', (m) => (m.transport.conveyanceReference = '\u{e0041}')],
    ['a variation selector for a place of loading', (m) => (m.transport.placeOfLoading.city = '\ufe0f')],
    ['text with a bidirectional override', (m) => (m.parcels[0].goods[0].description = 'a\u202Eb')],
    ['text with a C1 control character', (m) => (m.parcels[0].route.origin.city = 'Rui\u0085li')],
    ['text with a left-to-right mark', (m) => (m.parcels[0].goods[0].description = 'a\u200Eb')],
    ['text with a paragraph separator', (m) => (m.parcels[0].consignee.name = 'Li\u2029Wei')],
    ['text with an escape character', (m) => (m.parcels[0].consignee.name = '\u001b[2J')],
    ['text over 512 characters', (m) => (m.parcels[0].goods[0].description = 'x'.repeat(513))],
    ['a name over 200 characters', (m) => (m.parcels[0].consignee.name = 'n'.repeat(201))],
    ['a city over 100 characters', (m) => (m.parcels[0].route.destination.city = 'c'.repeat(101))],
    ['a postcode over 16 characters', (m) => (m.parcels[0].consignee.address.postcode = '1'.repeat(17))],
    [
      'a postcode with a bidirectional override',
      (m) => (m.parcels[0].consignee.address.postcode = '\u202e12'),
    ],
    ['an empty postcode', (m) => (m.parcels[0].consignee.address.postcode = '')],
    ['a postcode of spaces', (m) => (m.parcels[0].shipper.address.postcode = '   ')],
    ['a zero-width space for a postcode', (m) => (m.parcels[0].consignee.address.postcode = '\u200b')],
    ['a byte order mark for a postcode', (m) => (m.parcels[1].consignee.address.postcode = '\ufeff')],
    [
      'a padded postcode over 16 characters',
      (m) => (m.parcels[0].consignee.address.postcode = ` ${'1'.repeat(17)} `),
    ],
    ['a postcode that is a number', (m) => (m.parcels[0].consignee.address.postcode = 518000)],
    ['a bad email', (m) => (m.parcels[0].consignee.email = 'not-an-email')],
    ['an unknown payment method', (m) => (m.parcels[0].paymentMethod = 'barter')],
    ['an unknown content category', (m) => (m.parcels[0].contentCategory = 'Gift')],
    [
      'an unknown ID document type',
      (m) => (m.parcels[0].consignee.idDocument = { type: 'visa', number: '1' }),
    ],
    ['no goods', (m) => (m.parcels[0].goods = [])],
    ['51 goods lines', (m) => (m.parcels[0].goods = Array(51).fill(m.parcels[0].goods[0]))],
    ['11 stops', (m) => (m.parcels[0].route.via = Array(11).fill(m.parcels[0].route.origin))],
    ['a bad house document number', (m) => (m.parcels[0].parcelId = '-starts-with-dash')],
    ['a 65-character id', (m) => (m.manifestId = 'M'.repeat(65))],
    [
      'a house document number with a slash after its first character',
      (m) => (m.parcels[0].parcelId = 'HAWB/001'),
    ],
    ['a partner id with a space', (m) => (m.partnerId = 'pearl express')],
    ['a master document number with a space', (m) => (m.transport.masterDocumentNumber = '784 11223344')],
    ['a four-letter currency', (m) => (m.parcels[0].goods[0].declaredValue.currency = 'CNYX')],
    [
      'a phone with letters after its digits',
      (m) => (m.parcels[0].consignee.phone = '+86 138 0000 0000 ext'),
    ],
    ['a phone of 33 characters', (m) => (m.parcels[0].consignee.phone = '1'.repeat(33))],
    [
      'an email over 254 characters',
      (m) => (m.parcels[0].consignee.email = `${'a'.repeat(243)}@example.com`),
    ],
    ['a declared value that is NaN', (m) => (m.parcels[0].goods[0].declaredValue.amount = Number.NaN)],
    ['a place of unloading without a city', (m) => delete m.transport.placeOfUnloading.city],
    ['a conveyance reference over 64 characters', (m) => (m.transport.conveyanceReference = 'x'.repeat(65))],
    ['stops that are an object, not a list', (m) => (m.parcels[0].route.via = {})],
    [
      '501 parcels',
      (m) =>
        (m.parcels = Array.from({ length: 501 }, (_, index) => ({
          ...structuredClone(m.parcels[0]),
          parcelId: `P-${index}`,
        }))),
    ],
    ['a duplicate house document number', (m) => (m.parcels[1].parcelId = m.parcels[0].parcelId)],
    ['a submittedAt without offset', (m) => (m.submittedAt = '2026-06-01 08:00')],
    ['an unknown transport mode', (m) => (m.transport.mode = 'drone')],
    ['no parcels', (m) => (m.parcels = [])],
    ['a parcel that is an array', (m) => (m.parcels[0] = [])],
    ['a parcel that is null', (m) => (m.parcels[0] = null)],
    [
      'several errors at once',
      (m) => {
        m.parcels[0].goods[0].hsCode = 'x';
        m.parcels[1].consignee.phone = 1;
        m.extra = true;
      },
    ],
  ])('invalid variant: %s goes to zod, with zod’s issues', (_name, mutate) => {
    // Prepare
    const manifest = base();
    mutate(manifest);
    // Act / Assess
    expect(fastValidManifest(manifest)).toBeUndefined();
    expect(parseManifest(manifest).ok).toBe(false);
    expectSameAsZod(manifest);
  });

  it.each<[string, Mutation]>([
    [
      'a description of 300 emoji (600 UTF-16 units, 300 characters)',
      (m) => {
        m.parcels[0].goods[0].description = '🪵'.repeat(300);
      },
    ],
    [
      'a name of 150 rare ideographs (300 UTF-16 units, its bound 200 characters)',
      (m) => {
        m.parcels[0].consignee.name = '𠀀'.repeat(150);
      },
    ],
    [
      'a postcode of 10 emoji',
      (m) => {
        m.parcels[0].consignee.address.postcode = '📮'.repeat(10);
      },
    ],
  ])(
    'accepts fast, as zod does, text longer in UTF-16 units than its bound but not in characters: %s',
    (_name, mutate) => {
      // Prepare
      const manifest = base();
      mutate(manifest);
      // Act / Assess
      expect(fastValidManifest(structuredClone(manifest))).toStrictEqual(ManifestSchema.parse(manifest));
      expectSameAsZod(manifest);
    },
  );

  it('takes its transport modes and ID document types from the contract, each listed once', () => {
    // Prepare: every value the contract lists, in a manifest each
    const withMode = TRANSPORT_MODES.map((mode) => {
      const manifest = base();
      manifest.transport.mode = mode;
      return manifest;
    });
    const withType = ID_DOCUMENT_TYPES.map((type) => {
      const manifest = base();
      manifest.parcels[0].consignee.idDocument = { type, number: 'E1234' };
      return manifest;
    });
    // Act
    const accepted = [...withMode, ...withType].map((manifest) => fastValidManifest(manifest) !== undefined);
    // Assess: the zod enums are made of the same lists, and the fast path takes each value in them
    expect(ManifestSchema.shape.transport.shape.mode.options).toEqual([...TRANSPORT_MODES]);
    expect(SentParcelSchema.shape.consignee.shape.idDocument.unwrap().shape.type.options).toEqual([
      ...ID_DOCUMENT_TYPES,
    ]);
    expect(accepted.every(Boolean)).toBe(true);
  });

  it('leaves a submittedAt of more than 9 digits after the second to zod, which refuses it', () => {
    // Prepare
    const manifest = base();
    manifest.submittedAt = '2026-12-01T08:00:00.12345678901234Z';
    // Act / Assess
    expect(fastValidManifest(structuredClone(manifest))).toBeUndefined();
    expect(zodOnly(manifest)).toMatchObject({ ok: false, issues: [{ path: 'submittedAt' }] });
    expectSameAsZod(manifest);
  });

  it('leaves text past its bound in characters to zod, which refuses it', () => {
    // Prepare
    const manifest = base();
    manifest.parcels[0].goods[0].description = '🪵'.repeat(513);
    // Act / Assess
    expect(fastValidManifest(manifest)).toBeUndefined();
    expect(parseManifest(manifest).ok).toBe(false);
    expectSameAsZod(manifest);
  });

  it.each([['\u200b'], ['\u200b\u200d'], [' \u2060 '], ['\u00ad'], ['\u2060\ufeff']])(
    'leaves a parcel with a name of only invisible characters (%j) to zod: ParcelSchema, which messages carry, takes it',
    (name) => {
      // Prepare
      const parcel = base().parcels[0];
      parcel.consignee.name = name;
      // Act
      const fast = fastValidParcel(structuredClone(parcel));
      // Assess: the manifest refuses it; a message queued before it did is still screened
      expect(fast).toBeUndefined();
      expect(ParcelSchema.safeParse(parcel).success).toBe(true);
    },
  );

  it.each([[''], ['   '], ['\u200b'], [' \u2060 '], ['\ufeff']])(
    'leaves a parcel with a blank or invisible postcode (%j) to zod: ParcelSchema, which messages carry, takes it',
    (postcode) => {
      // Prepare
      const parcel = base().parcels[0];
      parcel.consignee.address.postcode = postcode;
      // Act
      const fast = fastValidParcel(structuredClone(parcel));
      // Assess: the manifest refuses it; a message queued before it did is still screened
      expect(fast).toBeUndefined();
      expect(ParcelSchema.safeParse(parcel).success).toBe(true);
    },
  );

  it('returns a padded postcode trimmed, as zod does for a parcel and a manifest', () => {
    // Prepare
    const manifest = base();
    manifest.parcels[0].consignee.address.postcode = '  530022  ';
    // Act
    const fastParcel = fastValidParcel(structuredClone(manifest.parcels[0]));
    const fastManifest = fastValidManifest(structuredClone(manifest));
    // Assess
    expect(fastParcel?.consignee.address.postcode).toBe('530022');
    expect(fastParcel).toStrictEqual(ParcelSchema.parse(manifest.parcels[0]));
    expect(fastManifest?.parcels[0]?.consignee.address.postcode).toBe('530022');
    expectSameAsZod(manifest);
  });

  it('leaves a key present with undefined to zod, which accepts it', () => {
    // Prepare
    const manifest = base();
    manifest.parcels[0].measuredWeightKg = undefined;
    // Act / Assess
    expect(fastValidManifest(manifest)).toBeUndefined();
    expect(parseManifest(manifest).ok).toBe(true);
    expectSameAsZod(manifest);
  });

  it('returns zod’s output, text trimmed, for a valid manifest it leaves to zod', () => {
    // Prepare: a key present with undefined sends the manifest to zod, which accepts it
    const manifest = base();
    manifest.parcels[0].measuredWeightKg = undefined;
    manifest.parcels[0].goods[0].description = '  Phone case  ';
    // Act
    const result = parseManifest(manifest);
    // Assess
    expect(result.ok && result.manifest.parcels[0]!.goods[0]!.description).toBe('Phone case');
    expectSameAsZod(manifest);
  });

  it('rejects what is not a plain object, leaving it to zod', () => {
    for (const value of [null, undefined, 1, 'x', [], new Map(), Object.create(null)]) {
      expect(fastValidManifest(value)).toBeUndefined();
      expectSameAsZod(value);
    }
  });
});

/** Values near every bound of the contract, valid and not, so generated parcels cross each boundary. */
const oneIn = <T>(valid: fc.Arbitrary<T>, ...invalid: unknown[]) =>
  fc.oneof({ weight: 60, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...invalid) });
const text = (max: number) =>
  oneIn(
    fc.oneof(
      fc.constantFrom('Ruili', '瑞丽市', ' padded ', 'ｒｕｉｌｉ', 'x'.repeat(max), ` ${'y'.repeat(max)} `),
      fc.string({ minLength: 1, maxLength: 12 }),
    ),
    '',
    '   ',
    '\u200b',
    ' \u2060\u00ad ',
    'z'.repeat(max + 1),
    7,
    null,
  );
const measure = (max: number) =>
  oneIn(
    fc.oneof(fc.constantFrom(0.000001, 1, max, 0.5), fc.double({ min: 0.000001, max, noNaN: true })),
    0,
    -0,
    -1,
    1e-7,
    max + 0.001,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '1',
  );
const place = fc.record(
  { country: oneIn(fc.constantFrom('CN', 'MM'), 'cn', 'CHN', ''), region: text(100), city: text(100) },
  { requiredKeys: ['country', 'city'] },
);
const party = fc.record(
  {
    name: text(200),
    address: fc.record(
      {
        country: oneIn(fc.constant('CN'), 'C'),
        region: text(100),
        city: text(100),
        postcode: oneIn(
          fc.constantFrom('518000', ' 530022 ', '📮'.repeat(16)),
          '',
          '   ',
          '\u200b',
          '1'.repeat(17),
          518000,
        ),
        line: text(512),
      },
      { requiredKeys: ['country', 'region', 'city', 'line'] },
    ),
    phone: oneIn(
      fc.constantFrom('+86 138 0000 0000', '（０８７１）１２３４５', '12345'),
      '1234',
      'phone',
      12345,
    ),
    email: oneIn(fc.constantFrom('a@example.com', 'a.b+c@mail.example.cn'), 'a@b', 'a..b@example.com'),
    idDocument: fc.record({
      type: oneIn(fc.constantFrom('passport', 'national-id'), 'visa'),
      number: text(64),
    }),
  },
  { requiredKeys: ['name', 'address', 'phone'] },
);
const goodsLine = fc.record({
  description: text(512),
  hsCode: oneIn(fc.constantFrom('940360', '4420101000', '392690'), '94036', '94036012345', '9403.60'),
  quantity: measure(1e6),
  declaredValue: fc.record({
    amount: oneIn(fc.constantFrom(0, 0.000001, 1e9, 12.5), -1, 1e-7, 1e9 + 1),
    currency: oneIn(fc.constantFrom('CNY', 'USD'), 'cny', 'CN'),
  }),
});
const withExtraKey = <T extends object>(arbitrary: fc.Arbitrary<T>) =>
  fc.tuple(arbitrary, fc.nat(40)).map(([value, n]) => (n === 0 ? { ...value, unexpected: true } : value));
const parcelArbitrary = withExtraKey(
  fc.record(
    {
      parcelId: oneIn(fc.constantFrom('P-1', 'HAWB.2026:0001'), '', '-x', 'a'.repeat(65)),
      shipper: withExtraKey(party),
      consignee: party,
      route: fc.record({
        origin: withExtraKey(place),
        via: fc.oneof(
          { weight: 20, arbitrary: fc.array(place, { maxLength: 3 }) },
          fc.constant(Array(11).fill({ country: 'CN', city: 'Kunming' })),
        ),
        destination: place,
        inspectionOffice: oneIn(fc.constant('CIQ-NN'), ' '),
      }),
      goods: fc.oneof(
        { weight: 20, arbitrary: fc.array(withExtraKey(goodsLine), { minLength: 1, maxLength: 3 }) },
        fc.constant([]),
      ),
      pieceCount: oneIn(fc.integer({ min: 1, max: 10_000 }), 0, 1.5, 10_001),
      declaredGrossWeightKg: measure(50_000),
      measuredWeightKg: measure(50_000),
      dimensions: fc.record({ lengthCm: measure(2000), widthCm: measure(2000), heightCm: measure(2000) }),
      paymentMethod: oneIn(fc.constantFrom('prepaid', 'cash', 'cash-on-delivery'), 'Cash'),
      contentCategory: oneIn(fc.constantFrom('merchandise', 'gift', 'other'), 'junk'),
    },
    {
      requiredKeys: [
        'parcelId',
        'shipper',
        'consignee',
        'route',
        'goods',
        'pieceCount',
        'declaredGrossWeightKg',
        'paymentMethod',
        'contentCategory',
      ],
    },
  ),
);

describe('fast manifest validator, generated inputs', () => {
  it('never accepts what zod rejects, and returns exactly zod’s output when it accepts', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(parcelArbitrary, (parcel) => {
        const slow = ParcelSchema.safeParse(parcel);
        const fast = fastValidParcel(parcel);
        if (!slow.success) rejected++;
        if (fast === undefined) return;
        accepted++;
        expect(slow.success).toBe(true);
        expect(fast).toStrictEqual(slow.data);
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.data));
      }),
      { numRuns: 3_000 },
    );
    // The generator must exercise both the fast path and the fallback.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });

  it('accepts fast every generated parcel a manifest may send (so valid input stays on the fast path)', () => {
    fc.assert(
      fc.property(parcelArbitrary, (parcel) => {
        const slow = SentParcelSchema.safeParse(parcel);
        if (!slow.success) return;
        expect(fastValidParcel(parcel)).toStrictEqual(slow.data);
      }),
      { numRuns: 3_000 },
    );
  });

  it('parseManifest gives zod’s result on generated manifests, valid or not', () => {
    fc.assert(
      fc.property(
        fc.array(parcelArbitrary, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (parcels, duplicate) => {
          const manifest = base();
          manifest.parcels = parcels;
          if (duplicate && parcels.length > 1)
            (parcels[1] as Record<string, unknown>).parcelId = (
              parcels[0] as Record<string, unknown>
            ).parcelId;
          expectSameAsZod(manifest);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastValidManifest } from '../../events/fast-manifest-validator.js';
import { toInputIssues } from '../../events/input-issues.js';
import {
  AddressSchema,
  EMPTY_TEXT_MESSAGE,
  INVISIBLE_TEXT_MESSAGE,
  ManifestSchema,
  ParcelSchema,
  SAFE_TEXT,
  SAFE_TEXT_MESSAGE,
} from '../../events/manifest-v1.js';
import { parseManifest } from '../../events/parse-manifest.js';
import { ScreeningRequestedSchema } from '../../events/screening-requested-v1.js';
import { aManifest, readSample } from '../support/factories.js';

type Mutation = (manifest: Record<string, any>) => void;

describe('manifest contract v1', () => {
  const samples = readdirSync(resolve(import.meta.dirname, '../../events/samples/manifests'));

  it.each(samples)('accepts the sample %s', (file) => {
    // Prepare
    const manifest = readSample(file);
    // Act
    const result = parseManifest(manifest);
    // Assess
    expect(result).toMatchObject({ ok: true });
  });

  it.each<[string, Mutation]>([
    ['an emoji (a whole surrogate pair)', (m) => (m.parcels[0].goods[0].description = 'phone case 📱')],
    ['a supplementary ideograph (a whole surrogate pair)', (m) => (m.parcels[1].consignee.name = '𠮷田')],
  ])('accepts text with %s, by the fast path and zod alike', (_name, mutate) => {
    // Prepare
    const manifest = aManifest() as Record<string, any>;
    mutate(manifest);
    // Act
    const fast = parseManifest(manifest);
    const zod = ManifestSchema.safeParse(manifest);
    // Assess
    expect(fast).toMatchObject({ ok: true });
    expect(zod.success).toBe(true);
  });

  it.each<[string, Mutation, string, RegExp]>([
    ['an unknown top-level field', (m) => (m.priority = 'high'), 'priority', /^unknown field 'priority'$/],
    [
      'an unknown field in a goods line',
      (m) => (m.parcels[0].goods[0].colour = 'red'),
      'parcels[0].goods[0].colour',
      /^unknown field 'colour'$/,
    ],
    [
      'a 5-digit HS code',
      (m) => (m.parcels[0].goods[0].hsCode = '94036'),
      'parcels[0].goods[0].hsCode',
      /6 to 10 digits/,
    ],
    [
      'a dotted HS code',
      (m) => (m.parcels[1].goods[1].hsCode = '8544.42'),
      'parcels[1].goods[1].hsCode',
      /6 to 10 digits/,
    ],
    [
      'a missing consignee phone',
      (m) => delete m.parcels[0].consignee.phone,
      'parcels[0].consignee.phone',
      /^missing: a required field, expected string$/,
    ],
    [
      'a consignee phone that is a number',
      (m) => (m.parcels[0].consignee.phone = 8613800000000),
      'parcels[0].consignee.phone',
      /^Invalid input: expected string, received number$/,
    ],
    [
      'a consignee phone without digits, which would make every such consignee one party',
      (m) => (m.parcels[0].consignee.phone = '-----'),
      'parcels[0].consignee.phone',
      /at least 5 digits, not all zeros/,
    ],
    [
      'a shipper phone of zeros',
      (m) => (m.parcels[1].shipper.phone = '000-00000'),
      'parcels[1].shipper.phone',
      /at least 5 digits, not all zeros/,
    ],
    [
      'a lower-case country',
      (m) => (m.parcels[0].route.origin.country = 'cn'),
      'parcels[0].route.origin.country',
      /ISO 3166/,
    ],
    [
      'a negative weight',
      (m) => (m.parcels[2].declaredGrossWeightKg = -1),
      'parcels[2].declaredGrossWeightKg',
      /greater than 0|>0/,
    ],
    [
      'an unknown payment method',
      (m) => (m.parcels[0].paymentMethod = 'crypto'),
      'parcels[0].paymentMethod',
      /expected one of/,
    ],
    ['no parcels', (m) => (m.parcels = []), 'parcels', /at least 1|>=1/],
    [
      'a zero piece count',
      (m) => (m.parcels[0].pieceCount = 0),
      'parcels[0].pieceCount',
      />=1|at least 1|greater than or equal/,
    ],
    [
      'a submittedAt that is not a date-time',
      (m) => (m.submittedAt = 'yesterday'),
      'submittedAt',
      /^expected an ISO 8601 time with an offset, such as 2026-11-27T08:00:00Z/,
    ],
    [
      'no submittedAt',
      (m) => delete m.submittedAt,
      'submittedAt',
      /^missing: a required field, expected string$/,
    ],
    [
      'a submittedAt without an offset, which names no instant',
      (m) => (m.submittedAt = '2026-11-27T08:00:00'),
      'submittedAt',
      /^expected an ISO 8601 time with an offset/,
    ],
    [
      'a submittedAt with more than 9 digits after the second, which screening messages and decisions carry',
      (m) => (m.submittedAt = `2026-11-27T08:00:00.${'1'.repeat(4000)}Z`),
      'submittedAt',
      /^at most 9 digits after the second \(35 characters at most/,
    ],
    [
      'a duplicate house document number',
      (m) => (m.parcels[1].parcelId = m.parcels[0].parcelId),
      'parcels[1].parcelId',
      /duplicate/,
    ],
    [
      'a bad currency',
      (m) => (m.parcels[0].goods[0].declaredValue.currency = 'yuan'),
      'parcels[0].goods[0].declaredValue.currency',
      /ISO 4217/,
    ],
    [
      'a via point without a city',
      (m) => (m.parcels[2].route.via[0] = { country: 'CN' }),
      'parcels[2].route.via[0].city',
      /expected string/,
    ],
    [
      'an over-long description',
      (m) => (m.parcels[0].goods[0].description = 'x'.repeat(513)),
      'parcels[0].goods[0].description',
      /512/,
    ],
    [
      'a description with a right-to-left override',
      (m) => (m.parcels[0].goods[0].description = 'Silicone \u202Eesac enohp'),
      'parcels[0].goods[0].description',
      /no control characters, bidirectional formatting characters or lone surrogates/,
    ],
    [
      'a description with a right-to-left mark',
      (m) => (m.parcels[0].goods[0].description = 'phone \u200Fcase'),
      'parcels[0].goods[0].description',
      /no control characters, bidirectional formatting characters or lone surrogates/,
    ],
    [
      'a city with an Arabic letter mark',
      (m) => (m.parcels[0].route.origin.city = 'Rui\u061Cli'),
      'parcels[0].route.origin.city',
      /bidirectional/,
    ],
    [
      'a consignee name with a line separator',
      (m) => (m.parcels[1].consignee.name = 'Li\u2028Wei'),
      'parcels[1].consignee.name',
      /no control characters/,
    ],
    [
      'a consignee name with a terminal escape sequence',
      (m) => (m.parcels[1].consignee.name = 'Li \u001b[31mWei'),
      'parcels[1].consignee.name',
      /no control characters/,
    ],
    [
      'an address line with a line break inside',
      (m) => (m.parcels[0].consignee.address.line = 'No. 8\nHuangshan Road'),
      'parcels[0].consignee.address.line',
      /no control characters/,
    ],
    [
      'a postcode with a terminal escape and a right-to-left override',
      (m) => (m.parcels[0].consignee.address.postcode = '\u001b[2J\u202e12'),
      'parcels[0].consignee.address.postcode',
      /no control characters, bidirectional formatting characters or lone surrogates/,
    ],
    [
      'a consignee name with a lone surrogate (half of a UTF-16 pair)',
      (m) => (m.parcels[1].consignee.name = 'Li \ud800Wei'),
      'parcels[1].consignee.name',
      /lone surrogates/,
    ],
    [
      'a description ending in the low half of a pair',
      (m) => (m.parcels[0].goods[0].description = 'phone case \udc00'),
      'parcels[0].goods[0].description',
      /lone surrogates/,
    ],
    [
      'a transport mode of teleport',
      (m) => (m.transport.mode = 'teleport'),
      'transport.mode',
      /expected one of/,
    ],
    [
      'a four-letter currency',
      (m) => (m.parcels[0].goods[0].declaredValue.currency = 'CNYX'),
      'parcels[0].goods[0].declaredValue.currency',
      /ISO 4217/,
    ],
    [
      'a consignee phone of 4 characters',
      (m) => (m.parcels[0].consignee.phone = '1234'),
      'parcels[0].consignee.phone',
      />=5 characters/,
    ],
    [
      'a consignee phone of 33 characters',
      (m) => (m.parcels[0].consignee.phone = '1'.repeat(33)),
      'parcels[0].consignee.phone',
      /<=32 characters/,
    ],
    [
      'a consignee email over 254 characters',
      (m) => (m.parcels[0].consignee.email = `${'a'.repeat(243)}@example.com`),
      'parcels[0].consignee.email',
      /<=254 characters/,
    ],
    [
      '501 parcels',
      (m) =>
        (m.parcels = Array.from({ length: 501 }, (_, index) => ({
          ...structuredClone(m.parcels[0]),
          parcelId: `P-${index}`,
        }))),
      'parcels',
      /<=500 items/,
    ],
    [
      'a house document number used a third time, naming where it was first used',
      (m) => {
        m.parcels[1].parcelId = m.parcels[0].parcelId;
        m.parcels[2].parcelId = m.parcels[0].parcelId;
      },
      'parcels[2].parcelId',
      /^duplicate house document number, first used at parcels\[0\]$/,
    ],
    [
      'a description with a left-to-right embedding',
      (m) => (m.parcels[0].goods[0].description = '\u202aphone case'),
      'parcels[0].goods[0].description',
      /bidirectional/,
    ],
    [
      'a consignee name with a NUL character',
      (m) => (m.parcels[1].consignee.name = 'Li\u0000Wei'),
      'parcels[1].consignee.name',
      /no control characters/,
    ],
    [
      'a consignee name with a DEL character',
      (m) => (m.parcels[1].consignee.name = 'Li\u007fWei'),
      'parcels[1].consignee.name',
      /no control characters/,
    ],
    [
      'the second of two unknown fields in a goods line, at its own path',
      (m) => {
        m.parcels[0].goods[0].colour = 'red';
        m.parcels[0].goods[0].size = 'L';
      },
      'parcels[0].goods[0].size',
      /^unknown field 'size'$/,
    ],
    [
      'a blank consignee name, saying it is empty once trimmed',
      (m) => (m.parcels[1].consignee.name = '   '),
      'parcels[1].consignee.name',
      /^empty once trimmed \(white space at either end is dropped\)/,
    ],
    [
      'a submittedAt with 14 digits after the second',
      (m) => (m.submittedAt = '2026-12-01T08:00:00.12345678901234Z'),
      'submittedAt',
      /^at most 9 digits after the second/,
    ],
    [
      'a submittedAt with 10 digits after the second and an offset, once',
      (m) => (m.submittedAt = '2026-12-01T08:00:00.1234567890+08:00'),
      'submittedAt',
      /^at most 9 digits after the second/,
    ],
  ])('rejects %s and names the path', (_name, mutate, path, message) => {
    // Prepare
    const manifest = aManifest() as Record<string, any>;
    mutate(manifest);
    // Act
    const result = parseManifest(manifest);
    // Assess
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  describe('text of only invisible characters, which shows blank', () => {
    /** Empty once trimmed: `trim()` takes U+FEFF for white space (ECMAScript does). */
    const TOO_SHORT = EMPTY_TEXT_MESSAGE;
    const INVISIBLE = INVISIBLE_TEXT_MESSAGE;
    type Field = [string, (m: Record<string, any>, value: string) => void, string];
    const description: Field = [
      'a goods description',
      (m, value) => (m.parcels[0].goods[0].description = value),
      'parcels[0].goods[0].description',
    ];
    const fields: Field[] = [
      description,
      ['a consignee name', (m, value) => (m.parcels[0].consignee.name = value), 'parcels[0].consignee.name'],
      [
        'a destination city',
        (m, value) => (m.parcels[1].route.destination.city = value),
        'parcels[1].route.destination.city',
      ],
      [
        'an origin region',
        (m, value) => (m.parcels[0].route.origin.region = value),
        'parcels[0].route.origin.region',
      ],
      [
        'a shipper address line',
        (m, value) => (m.parcels[0].shipper.address.line = value),
        'parcels[0].shipper.address.line',
      ],
      [
        'an ID document number',
        (m, value) => (m.parcels[0].consignee.idDocument = { type: 'passport', number: value }),
        'parcels[0].consignee.idDocument.number',
      ],
      [
        'a conveyance reference',
        (m, value) => (m.transport.conveyanceReference = value),
        'transport.conveyanceReference',
      ],
      [
        'a place of loading',
        (m, value) => (m.transport.placeOfLoading.city = value),
        'transport.placeOfLoading.city',
      ],
      [
        'a consignee postcode',
        (m, value) => (m.parcels[0].consignee.address.postcode = value),
        'parcels[0].consignee.address.postcode',
      ],
    ];
    const values: [string, string, string | RegExp][] = [
      ['a zero-width space', '\u200b', INVISIBLE],
      ['a zero-width space and a zero-width joiner', '\u200b\u200d', INVISIBLE],
      ['a word joiner between spaces', ' \u2060 ', INVISIBLE],
      ['a soft hyphen', '\u00ad', INVISIBLE],
      ['a word joiner and a byte order mark', '\u2060\ufeff', INVISIBLE],
      ['zero-width spaces around a space', '\u200b \u200b', INVISIBLE],
      ['a variation selector', '\ufe0f', INVISIBLE],
      ['a tag character (a surrogate pair)', '\u{e0041}', INVISIBLE],
      ['a Hangul filler', '\u3164', INVISIBLE],
      ['Braille pattern blanks around a space', '\u2800 \u2800', INVISIBLE],
      ['the interlinear annotation marks', '\ufff9\ufffa\ufffb', INVISIBLE],
      ['a byte order mark', '\ufeff', TOO_SHORT],
    ];

    const rejects = (field: Field, value: string, message: string | RegExp) => {
      // Prepare
      const [, set, path] = field;
      const manifest = aManifest() as Record<string, any>;
      set(manifest, value);
      // Act
      const result = parseManifest(manifest);
      const zod = ManifestSchema.safeParse(manifest);
      // Assess: refused by both, with one issue naming the field and why, zod's issues exactly
      expect(fastValidManifest(structuredClone(manifest))).toBeUndefined();
      expect(zod.success).toBe(false);
      expect(result).toStrictEqual({ ok: false, issues: toInputIssues(zod.error!) });
      const issues = result.ok ? [] : result.issues;
      expect(issues).toEqual([
        { path, message: typeof message === 'string' ? message : expect.stringMatching(message) },
      ]);
    };

    it.each(values)('rejects a description of %s, saying why', (_name, value, message) =>
      rejects(description, value, message),
    );

    it.each(fields)('rejects %s of only a zero-width space, naming the path', (_name, set, path) =>
      rejects([_name, set, path], '\u200b', INVISIBLE),
    );

    it.each([
      ['a zero-width space between letters', 'a\u200bb'],
      ['a zero-width space between ideographs', '木\u200b雕'],
      ['a zero-width space before a word', '\u200b Ruili'],
      ['a soft hyphen in a word', 'rose\u00adwood'],
    ])('accepts text with %s, by the fast path and zod alike, as written', (_name, value) => {
      // Prepare
      const manifest = aManifest() as Record<string, any>;
      for (const [, set] of fields) set(manifest, value);
      // Act
      const fast = fastValidManifest(structuredClone(manifest));
      const zod = ManifestSchema.parse(manifest);
      // Assess
      expect(fast).toStrictEqual(zod);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
      expect(zod.parcels[0]!.goods[0]!.description).toBe(value.trim());
    });

    it('leaves the parcel of a queued message to screen: the parcel contract it carries takes such text', () => {
      // Prepare: a message ingest queued before the manifest refused such text
      const parcel = aManifest().parcels[0] as Record<string, any>;
      parcel.consignee.name = '\u200b';
      parcel.goods[0].description = ' \u2060 ';
      // Act
      const parsed = ParcelSchema.safeParse(parcel);
      // Assess
      expect(parsed.success).toBe(true);
      expect(parsed.data?.goods[0]?.description).toBe('\u2060');
    });
  });

  describe('postcodes, text like any other', () => {
    const POSTCODE = 'parcels[0].consignee.address.postcode';
    const TOO_SHORT = EMPTY_TEXT_MESSAGE;
    /** The postcode of every message queued before postcodes became text (and of manifests then). */
    const EARLIER_POSTCODE = z.string().max(16).regex(SAFE_TEXT, SAFE_TEXT_MESSAGE);

    it.each<[string, string, string | RegExp]>([
      ['an empty postcode', '', TOO_SHORT],
      ['a postcode of spaces', '   ', TOO_SHORT],
      ['a postcode of a tab and an ideographic space', '\t\u3000', TOO_SHORT],
      ['a postcode of a byte order mark', '\ufeff', TOO_SHORT],
      ['a postcode of a zero-width space', '\u200b', INVISIBLE_TEXT_MESSAGE],
      ['a postcode of a word joiner between spaces', ' \u2060 ', INVISIBLE_TEXT_MESSAGE],
      ['a postcode of a soft hyphen and a zero-width joiner', '\u00ad\u200d', INVISIBLE_TEXT_MESSAGE],
    ])('rejects %s, naming the path, by the fast path and zod alike', (_name, postcode, message) => {
      // Prepare
      const manifest = aManifest() as Record<string, any>;
      manifest.parcels[0].consignee.address.postcode = postcode;
      // Act
      const result = parseManifest(manifest);
      const zod = ManifestSchema.safeParse(manifest);
      // Assess
      expect(fastValidManifest(structuredClone(manifest))).toBeUndefined();
      expect(zod.success).toBe(false);
      expect(result).toStrictEqual({ ok: false, issues: toInputIssues(zod.error!) });
      expect(result.ok ? [] : result.issues).toEqual([
        { path: POSTCODE, message: typeof message === 'string' ? message : expect.stringMatching(message) },
      ]);
    });

    it.each([
      ['spaces around it', '  518000  ', '518000'],
      ['a tab and a line of spaces after it', '518000\t   ', '518000'],
      ['16 characters and spaces around them', ' 1234567890123456 ', '1234567890123456'],
      ['a zero-width space within it', '518\u200b000', '518\u200b000'],
    ])('accepts a postcode with %s, trimmed, by the fast path and zod alike', (_name, postcode, stored) => {
      // Prepare
      const manifest = aManifest() as Record<string, any>;
      manifest.parcels[0].consignee.address.postcode = postcode;
      // Act
      const fast = fastValidManifest(structuredClone(manifest));
      const zod = ManifestSchema.parse(manifest);
      // Assess
      expect(zod.parcels[0]!.consignee.address.postcode).toBe(stored);
      expect(fast).toStrictEqual(zod);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(zod));
    });

    it.each([
      ['an empty postcode', '', ''],
      ['a postcode of spaces', '   ', ''],
      ['a postcode of a zero-width space', '\u200b', '\u200b'],
      ['a postcode of a word joiner between spaces', ' \u2060 ', '\u2060'],
      ['a padded postcode', '  518000  ', '518000'],
      ['a postcode of 16 characters', '1'.repeat(16), '1'.repeat(16)],
    ])(
      'leaves the parcel of a queued message with %s to screen: the parcel contract it carries takes it',
      (_name, postcode, parsedPostcode) => {
        // Prepare: a message ingest queued before the manifest refused such a postcode
        const parcel = aManifest().parcels[0] as Record<string, any>;
        parcel.consignee.address.postcode = postcode;
        // Act
        const parsed = ParcelSchema.safeParse(parcel);
        // Assess
        expect(EARLIER_POSTCODE.safeParse(postcode).success).toBe(true);
        expect(parsed.success).toBe(true);
        expect(parsed.data?.consignee.address.postcode).toBe(parsedPostcode);
      },
    );

    it('takes in a message every postcode a message could carry before (no queued message is dead-lettered)', () => {
      // Prepare
      const address = aManifest().parcels[0]!.consignee.address;
      const earlier = fc
        .string({
          unit: fc.constantFrom(' ', '\t', '\u3000', '\u200b', '\ufeff', '\u00ad', '5', 'A', '-', '📮'),
        })
        .filter((postcode) => EARLIER_POSTCODE.safeParse(postcode).success);
      // Act / Assess
      fc.assert(
        fc.property(earlier, (postcode) => {
          expect(AddressSchema.safeParse({ ...address, postcode }).success).toBe(true);
        }),
        { numRuns: 2_000 },
      );
    });
  });

  describe("the order of issues: the contract's, parcels by index", () => {
    it.each<[string, Mutation, string[]]>([
      [
        "a duplicate house document number before a later parcel's HS code",
        (m) => {
          m.parcels[1].parcelId = m.parcels[0].parcelId;
          m.parcels[2].goods[0].hsCode = '94036';
        },
        ['parcels[1].parcelId', 'parcels[2].goods[0].hsCode'],
      ],
      [
        "each duplicate in its parcel's place, among the other parcels' issues",
        (m) => {
          m.parcels[0].goods[0].description = 'x'.repeat(513);
          m.parcels[1].parcelId = m.parcels[0].parcelId;
          m.parcels[1].consignee.name = '';
          m.parcels[2].parcelId = m.parcels[0].parcelId;
          m.parcels[2].route.origin.city = '   ';
        },
        [
          'parcels[0].goods[0].description',
          'parcels[1].parcelId',
          'parcels[1].consignee.name',
          'parcels[2].parcelId',
          'parcels[2].route.origin.city',
        ],
      ],
      [
        'a duplicate house document number first in its own parcel, as parcelId is its first field',
        (m) => {
          m.parcels[1].parcelId = m.parcels[0].parcelId;
          m.parcels[1].goods[0].hsCode = '94036';
          m.parcels[1].shipper.address.line = '   ';
        },
        ['parcels[1].parcelId', 'parcels[1].shipper.address.line', 'parcels[1].goods[0].hsCode'],
      ],
      [
        "the manifest's own fields before the parcels, whatever the parcels hold",
        (m) => {
          m.submittedAt = 'yesterday';
          m.transport.conveyanceReference = 'x'.repeat(65);
          m.parcels[2].goods[0].hsCode = '94036';
          m.parcels[1].parcelId = m.parcels[0].parcelId;
        },
        ['submittedAt', 'transport.conveyanceReference', 'parcels[1].parcelId', 'parcels[2].goods[0].hsCode'],
      ],
      [
        "the manifest's unknown fields after the parcels (zod's order, kept)",
        (m) => {
          m.priority = 'high';
          m.parcels[0].colour = 'red';
          m.parcels[2].goods[0].hsCode = '94036';
          m.parcels[0].goods[0].hsCode = '94036';
        },
        ['parcels[0].goods[0].hsCode', 'parcels[0].colour', 'parcels[2].goods[0].hsCode', 'priority'],
      ],
      [
        'a repeated house document number beside a field of the wrong value, which makes zod skip its check',
        (m) => {
          m.transport.mode = 'teleport';
          m.parcels[2].parcelId = m.parcels[0].parcelId;
          m.parcels[1].pieceCount = 'two';
        },
        ['transport.mode', 'parcels[1].pieceCount', 'parcels[2].parcelId'],
      ],
      [
        'a repeated house document number that is not a valid id: only its own issue',
        (m) => {
          m.parcels[0].parcelId = 'bad id';
          m.parcels[1].parcelId = 'bad id';
          m.transport.mode = 'teleport';
        },
        ['transport.mode', 'parcels[0].parcelId', 'parcels[1].parcelId'],
      ],
      [
        "the manifest's unknown fields after a repeated house document number, reported after them",
        (m) => {
          m.priority = 'high';
          m.parcels[1].parcelId = m.parcels[0].parcelId;
        },
        ['parcels[1].parcelId', 'priority'],
      ],
    ])('lists %s', (_name, mutate, paths) => {
      // Prepare
      const manifest = aManifest() as Record<string, any>;
      mutate(manifest);
      // Act
      const result = parseManifest(manifest);
      // Assess
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual(paths);
    });
  });

  describe('submittedAt: at most 9 digits after the second, as a partner sends it', () => {
    it.each([
      ['14 digits', '2026-12-01T08:00:00.12345678901234Z'],
      ['10 digits', '2026-12-01T08:00:00.1234567890Z'],
      ['10 digits and an offset (over 35 characters too)', '2026-12-01T08:00:00.1234567890+08:00'],
    ])('refuses %s once, saying so, by the fast path and zod alike', (_name, submittedAt) => {
      // Prepare
      const manifest = { ...aManifest(), submittedAt };
      // Act
      const result = parseManifest(manifest);
      // Assess
      expect(fastValidManifest(structuredClone(manifest))).toBeUndefined();
      expect(result).toStrictEqual({
        ok: false,
        issues: [
          {
            path: 'submittedAt',
            message:
              'at most 9 digits after the second (35 characters at most, as in 2026-11-27T16:00:00.123456789+08:00)',
          },
        ],
      });
    });

    it.each([
      ['2026-12-01T08:00:00.123456789+08:00'],
      ['2026-12-01T08:00:00.123456789Z'],
      ['2026-12-01T08:00:00Z'],
    ])('takes %s', (submittedAt) => {
      // Act
      const result = parseManifest({ ...aManifest(), submittedAt });
      // Assess
      expect(result).toMatchObject({ ok: true, manifest: { submittedAt } });
    });

    it('leaves a queued screening message with a finer submittedAt to screen, as it took it before', () => {
      // Prepare
      const submittedAt = '2026-12-01T08:00:00.12345678901234Z';
      // Act
      const queued = ScreeningRequestedSchema.shape.submittedAt.safeParse(submittedAt);
      // Assess
      expect(queued.success).toBe(true);
    });
  });

  describe('the smallest measure: what each field takes', () => {
    it.each<[string, Mutation, string, string]>([
      [
        'a declared gross weight of 1e-7',
        (m) => (m.parcels[0].declaredGrossWeightKg = 1e-7),
        'parcels[0].declaredGrossWeightKg',
        'at least 0.000001',
      ],
      [
        'a measured weight of 1e-7',
        (m) => (m.parcels[0].measuredWeightKg = 1e-7),
        'parcels[0].measuredWeightKg',
        'at least 0.000001',
      ],
      [
        'a length of 1e-7',
        (m) => (m.parcels[0].dimensions = { lengthCm: 1e-7, widthCm: 10, heightCm: 10 }),
        'parcels[0].dimensions.lengthCm',
        'at least 0.000001',
      ],
      [
        'a quantity of 1e-7',
        (m) => (m.parcels[0].goods[0].quantity = 1e-7),
        'parcels[0].goods[0].quantity',
        'at least 0.000001',
      ],
      [
        'a declared value of 1e-7',
        (m) => (m.parcels[0].goods[0].declaredValue.amount = 1e-7),
        'parcels[0].goods[0].declaredValue.amount',
        '0 or at least 0.000001',
      ],
    ])('refuses %s, saying what the field takes', (_name, mutate, path, message) => {
      // Prepare
      const manifest = aManifest() as Record<string, any>;
      mutate(manifest);
      // Act
      const result = parseManifest(manifest);
      // Assess
      expect(result).toStrictEqual({ ok: false, issues: [{ path, message }] });
    });

    it('takes a declared value of 0, and no declared gross weight of 0', () => {
      // Prepare
      const free = aManifest() as Record<string, any>;
      free.parcels[0].goods[0].declaredValue.amount = 0;
      const weightless = aManifest() as Record<string, any>;
      weightless.parcels[0].declaredGrossWeightKg = 0;
      // Act
      const value = parseManifest(free);
      const weight = parseManifest(weightless);
      // Assess
      expect(value.ok).toBe(true);
      expect(weight).toMatchObject({ ok: false, issues: [{ path: 'parcels[0].declaredGrossWeightKg' }] });
    });
  });

  it('exports a JSON Schema that forbids unknown fields', () => {
    // Act
    const schema = z.toJSONSchema(ManifestSchema) as { additionalProperties?: boolean; required?: string[] };
    // Assess
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['manifestId', 'partnerId', 'parcels']));
  });
});

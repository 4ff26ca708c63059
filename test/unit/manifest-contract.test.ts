import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManifestSchema } from '../../events/manifest-v1.js';
import { parseManifest } from '../../events/parse-manifest.js';
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
    ['an unknown top-level field', (m) => (m.priority = 'high'), '(root)', /unknown field 'priority'/],
    [
      'an unknown field in a goods line',
      (m) => (m.parcels[0].goods[0].colour = 'red'),
      'parcels[0].goods[0]',
      /unknown field 'colour'/,
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
      /expected string/,
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
      /datetime/i,
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

  it('exports a JSON Schema that forbids unknown fields', () => {
    // Act
    const schema = z.toJSONSchema(ManifestSchema) as { additionalProperties?: boolean; required?: string[] };
    // Assess
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['manifestId', 'partnerId', 'parcels']));
  });
});

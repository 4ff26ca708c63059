import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asciiDigits,
  CONTRACT_NAMES,
  CONTRACTS,
  contractJsonSchema,
  isContractName,
  isReadOutside,
} from '../../events/contracts.js';
import type { ManifestReceipt } from '../../events/manifest-receipt-v1.js';
import type { ManifestStatus } from '../../events/manifest-status-v1.js';
import { type Manifest, ManifestSchema } from '../../events/manifest-v1.js';
import type { ParcelFlagged } from '../../events/parcel-flagged-v1.js';
import type { ParcelReferred } from '../../events/parcel-referred-v1.js';
import type { ScreeningRequested } from '../../events/screening-requested-v1.js';
import { parcelKey, referralIdOf } from '../../functions/core/keys.js';
import { partnerLane } from '../../functions/core/screening/lane.js';
import { referralPayload } from '../../functions/notify/deliver-referral.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { aScreeningMessage } from '../support/screening-messages.js';

const SAMPLES = resolve(import.meta.dirname, '../../events/samples');
const read = (path: string): unknown => JSON.parse(readFileSync(resolve(SAMPLES, path), 'utf8'));
const MANIFESTS = readdirSync(resolve(SAMPLES, 'manifests')).map((file) => `manifests/${file}`);
const MESSAGES = readdirSync(resolve(SAMPLES, 'messages')).map((file) => `messages/${file}`);
/** Each contract's samples: the sample manifests, or `messages/<contract>.json`. */
const samplesOf = (name: string) => (name === 'manifest-v1' ? MANIFESTS : [`messages/${name}.json`]);
/** Every `pattern` of a JSON Schema, at any depth. */
const patternsOf = (node: unknown): string[] => {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'pattern' && typeof value === 'string' ? [value] : patternsOf(value),
  );
};

describe('event contracts and their samples', () => {
  it.each(CONTRACT_NAMES.flatMap((name) => samplesOf(name).map((path) => [name, path])))(
    '%s: %s parses as it is written',
    (name, path) => {
      // Prepare
      const sample = read(path);
      // Act
      const parsed = CONTRACTS[name as keyof typeof CONTRACTS].schema.safeParse(sample);
      // Assess
      expect(parsed.error?.issues).toBeUndefined();
      expect(parsed.data).toEqual(sample);
    },
  );

  it('screens a parcel ingest took before the phone rule, which a manifest sent now is refused for', () => {
    // Prepare: the same parcel, with a phone of no digits, in a manifest and in a queued message
    const manifest = read(MANIFESTS[0]!) as Manifest;
    manifest.parcels[0]!.consignee.phone = '-----';
    const message = read('messages/screening-requested-v1.json') as ScreeningRequested;
    message.items[0]!.parcel.consignee.phone = '-----';
    // Act
    const sent = CONTRACTS['manifest-v1'].schema.safeParse(manifest);
    const queued = CONTRACTS['screening-requested-v1'].schema.safeParse(message);
    // Assess
    expect(sent.error?.issues).toMatchObject([{ path: ['parcels', 0, 'consignee', 'phone'] }]);
    expect(queued.error?.issues).toBeUndefined();
  });

  it('carries a parcel whose address names no street without an address key, and one queued with it', () => {
    // Prepare: the sample message's item as ingest now sends it (no key: derivePartyKeys) and as queued before
    const message = read('messages/screening-requested-v1.json') as ScreeningRequested;
    const { address: queuedKey, ...keys } = message.items[0]!.partyKeys;
    const now = { ...message, items: [{ ...message.items[0]!, partyKeys: keys }] };
    // Act
    const sent = CONTRACTS['screening-requested-v1'].schema.parse(now);
    const queued = CONTRACTS['screening-requested-v1'].schema.parse(message);
    // Assess
    expect(sent.items[0]!.partyKeys).not.toHaveProperty('address');
    expect(queued.items[0]!.partyKeys.address).toBe(queuedKey);
  });

  it('has a sample for every message contract and no sample of a contract it does not know', () => {
    // Act
    const named = MESSAGES.map((path) => path.replace(/^messages\/|\.json$/g, ''));
    // Assess
    expect(named.filter((name) => !isContractName(name))).toEqual([]);
    expect(named.sort()).toEqual(CONTRACT_NAMES.filter((name) => name !== 'manifest-v1').sort());
    expect(MANIFESTS.length).toBeGreaterThan(0);
  });

  it.each<[string, string, (sample: Record<string, any>) => void]>([
    ['referral-webhook-v1', 'another event type', (s) => (s.type = 'parcel.flagged')],
    ['referral-webhook-v1', 'a timestamp that is not a date-time', (s) => (s.timestamp = 'yesterday')],
    ['manifest-status-v1', 'a held parcel without its referral id', (s) => delete s.parcels[0].referralId],
    ['manifest-status-v1', 'the internal review lane', (s) => (s.parcels[0].status = 'review')],
    ['manifest-status-v1', 'a receivedAt that is not a date-time', (s) => (s.receivedAt = 'yesterday')],
    ['manifest-status-v1', 'a parcel of an unknown status', (s) => (s.parcels[1].status = 'lost')],
    ['manifest-receipt-v1', 'no parcels', (s) => (s.parcelCount = 0)],
    ['manifest-receipt-v1', 'a fractional parcel count', (s) => (s.parcelCount = 1.5)],
    ['manifest-receipt-v1', 'another status', (s) => (s.status = 'received')],
  ])('%s: refuses its sample with %s', (name, _what, mutate) => {
    // Prepare
    const sample = read(`messages/${name}.json`) as Record<string, any>;
    mutate(sample);
    // Act
    const parsed = CONTRACTS[name as keyof typeof CONTRACTS].schema.safeParse(sample);
    // Assess
    expect(parsed.success).toBe(false);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'knows no contract named %s (a name every object has)',
    (name) => {
      // Act / Assess
      expect(isContractName(name)).toBe(false);
    },
  );

  it.each(CONTRACT_NAMES)('%s: exports a JSON Schema naming exactly the fields of its sample', (name) => {
    // Act
    const schema = contractJsonSchema(name) as {
      $schema: string;
      type: string;
      properties: object;
      required: string[];
      additionalProperties: boolean;
    };
    // Assess
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
    for (const path of samplesOf(name)) {
      const fields = Object.keys(read(path) as object);
      expect(schema.required.every((field) => fields.includes(field))).toBe(true);
      expect(fields.every((field) => Object.hasOwn(schema.properties, field))).toBe(true);
    }
  });

  it.each(CONTRACT_NAMES)('%s: exports patterns of ASCII digits, [0-9], never \\d', (name) => {
    // Act
    const patterns = patternsOf(contractJsonSchema(name));
    // Assess: Python's jsonschema reads \d as any Unicode digit, so ６１０９１０ would pass as an HS code
    expect(patterns.length).toBeGreaterThan(0);
    expect(patterns.filter((pattern) => /\\d/.test(pattern))).toEqual([]);
  });

  it.each<[string, boolean]>([
    ['manifest-v1', false],
    ['screening-requested-v1', false],
    ['parcel-referred-v1', false],
    ['manifest-receipt-v1', true],
    ['manifest-status-v1', true],
    ['referral-webhook-v1', true],
    ['parcel-flagged-v1', true],
  ])('%s: allows fields it does not list when read outside parcelguard (%s)', (name, open) => {
    // Act
    const schema = JSON.stringify(contractJsonSchema(name as keyof typeof CONTRACTS));
    // Assess: a reader outside ignores fields it does not know (README), so its schema must not refuse them
    expect(isReadOutside(name as keyof typeof CONTRACTS)).toBe(open);
    expect(schema.includes('"additionalProperties":false')).toBe(!open);
  });

  it('exports the manifest’s submittedAt with at most 9 digits after the second, as ingest takes it', () => {
    // Prepare
    const schema = contractJsonSchema('manifest-v1') as unknown as {
      properties: { submittedAt: { pattern: string; format: string; maxLength: number } };
    };
    const { submittedAt } = schema.properties;
    const pattern = new RegExp(submittedAt.pattern, 'u');
    // Act / Assess
    expect(submittedAt).toMatchObject({ format: 'date-time', maxLength: 35 });
    expect(pattern.test('2026-12-01T08:00:00.123456789+08:00')).toBe(true);
    expect(pattern.test('2026-12-01T08:00:00Z')).toBe(true);
    expect(pattern.test('2026-12-01T08:00:00.12345678901234Z')).toBe(false);
    expect(pattern.test('2026-12-01T08:00:00.1234567890Z')).toBe(false);
  });

  it.each<[string, string, boolean]>([
    ['a name', 'Li Wei', true],
    ['a description ending in a CRLF, as a spreadsheet exports it', 'carved table\r\n', true],
    ['a city starting with a tab', '\tRuili', true],
    ['a city between line separators', '\u2028Ruili\u2029', true],
    ['a tab inside the text', 'Rui\tli', false],
    ['a line break inside the text', 'carved\ntable', false],
    ['a right-to-left override inside the text', 'Rui\u202eli', false],
  ])('exports the manifest’s text pattern taking %s as ingest does (%j: %s)', (_name, text, taken) => {
    // Prepare: ingest trims text before it looks for control characters
    const schema = contractJsonSchema('manifest-v1') as unknown as {
      properties: {
        parcels: { items: { properties: { consignee: { properties: { name: { pattern: string } } } } } };
      };
    };
    const { pattern } = schema.properties.parcels.items.properties.consignee.properties.name;
    const manifest = readSample(RUILI_MANIFEST);
    manifest.parcels[0]!.consignee.name = text;

    // Act
    const zodTakes = ManifestSchema.safeParse(manifest).success;

    // Assess
    expect(new RegExp(pattern, 'u').test(text)).toBe(taken);
    expect(zodTakes).toBe(taken);
  });

  it('writes \\d as [0-9] outside a character class and 0-9 inside one, and leaves an escaped backslash', () => {
    // Act / Assess
    expect(asciiDigits('^\\d{2}[\\d.]\\\\d$')).toBe('^[0-9]{2}[0-9.]\\\\d$');
  });

  it('exports a field with a default as optional, as an older sender leaves it out', () => {
    // Act
    const schema = contractJsonSchema('screening-requested-v1') as unknown as {
      $defs?: object;
      properties: { items: { items: { properties: { manifestFacts: { required: string[] } } } } };
    };
    // Assess
    const { required } = schema.properties.items.items.properties.manifestFacts;
    expect(required).toContain('consigneesOfShipper');
    expect(required).not.toContain('consigneeNamesOfPhone');
    expect(required).not.toContain('weightToConsigneeKg');
    expect(required).not.toContain('weightToPhoneKg');
    expect(required).not.toContain('weightToAddressKg');
  });

  it('shows in the screening message what ingest sends for the Ruili sample manifest', () => {
    // Prepare
    const sample = read('messages/screening-requested-v1.json') as ScreeningRequested;
    // Act
    const built = aScreeningMessage(RUILI_MANIFEST, { receivedAt: sample.receivedAt });
    // Assess
    expect(sample).toEqual(built);
  });

  it("follows that message's held parcel to the inspection queue, the referral queue and the partner's webhook", () => {
    // Prepare
    const screening = read('messages/screening-requested-v1.json') as ScreeningRequested;
    const flagged = read('messages/parcel-flagged-v1.json') as ParcelFlagged;
    const referred = read('messages/parcel-referred-v1.json') as ParcelReferred;
    const parcel = screening.items[0]!.parcel;
    // Act
    const referralId = referralIdOf(parcelKey(screening.partnerId, parcel.parcelId), screening.receivedAt);
    // Assess
    const same = {
      partnerId: screening.partnerId,
      manifestId: screening.manifestId,
      parcelId: parcel.parcelId,
    };
    expect(flagged).toMatchObject({ ...same, region: screening.region, referralId });
    expect(flagged.inspectionOffice).toBe(parcel.route.inspectionOffice);
    expect(referred).toMatchObject({
      ...same,
      lane: flagged.lane,
      referralId,
      referredAt: flagged.decidedAt,
    });
    expect(read('messages/referral-webhook-v1.json')).toEqual(referralPayload(referred));
  });

  it('answers the partner about that manifest: its receipt, then each parcel as the partner may see it', () => {
    // Prepare
    const screening = read('messages/screening-requested-v1.json') as ScreeningRequested;
    const flagged = read('messages/parcel-flagged-v1.json') as ParcelFlagged;
    const manifest = read(`manifests/${RUILI_MANIFEST}`) as Manifest;
    // Act
    const receipt = read('messages/manifest-receipt-v1.json') as ManifestReceipt;
    const status = read('messages/manifest-status-v1.json') as ManifestStatus;
    // Assess
    const same = {
      partnerId: manifest.partnerId,
      manifestId: manifest.manifestId,
      receivedAt: screening.receivedAt,
    };
    expect(receipt).toEqual({ ...same, parcelCount: manifest.parcels.length, status: 'accepted' });
    expect(status).toMatchObject(same);
    expect(status.parcels.map((parcel) => parcel.parcelId)).toEqual(
      manifest.parcels.map((parcel) => parcel.parcelId),
    );
    expect(status.parcels).toContainEqual({
      parcelId: flagged.parcelId,
      status: partnerLane(flagged.lane),
      referralId: flagged.referralId,
    });
  });
});

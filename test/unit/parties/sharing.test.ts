import { describe, expect, it } from 'vitest';
import {
  countCounterpartsAcrossRegions,
  countSharedSeizures,
  sharedCounterpartEntry,
  sharedDeliveryRef,
} from '../../../functions/core/parties/shared-history.js';
import {
  parseSharingAgreements,
  possibleSharingPartners,
  SharingAgreementsError,
  sharingPartners,
} from '../../../functions/core/parties/sharing.js';

const agreements = parseSharingAgreements(
  {
    version: '2026-11-01',
    agreements: [
      {
        id: 'border',
        regions: ['yunnan', 'guangxi', 'guangdong'],
        indicators: ['phone', 'address'],
        since: '2026-01-01',
        owner: 'a',
      },
      {
        id: 'ids',
        regions: ['yunnan', 'sichuan'],
        indicators: ['idDocument'],
        since: '2026-06-01',
        until: '2026-12-31',
        owner: 'b',
      },
    ],
  },
  'test',
);

describe('sharingPartners', () => {
  it.each([
    { region: 'yunnan', kind: 'phone' as const, day: '2026-11-27', partners: ['guangdong', 'guangxi'] },
    { region: 'guangxi', kind: 'address' as const, day: '2026-11-27', partners: ['guangdong', 'yunnan'] },
    { region: 'guangxi', kind: 'consignee' as const, day: '2026-11-27', partners: [] },
    { region: 'yunnan', kind: 'idDocument' as const, day: '2026-06-01', partners: ['sichuan'] },
    { region: 'yunnan', kind: 'idDocument' as const, day: '2026-05-31', partners: [] },
    { region: 'sichuan', kind: 'idDocument' as const, day: '2027-01-01', partners: [] },
    { region: 'sichuan', kind: 'idDocument' as const, day: '2026-12-31', partners: ['yunnan'] },
    { region: 'tibet', kind: 'phone' as const, day: '2026-11-27', partners: [] },
  ])('gives $region the partners $partners for $kind on $day', ({ region, kind, day, partners }) => {
    // Prepare: the table row

    // Act
    const result = sharingPartners(agreements, region, kind, day);

    // Assess
    expect(result).toEqual(partners);
  });
});

describe('parseSharingAgreements', () => {
  it.each([
    { what: 'a single region', agreement: { regions: ['yunnan'] }, path: 'agreements.0.regions' },
    { what: 'an unknown indicator', agreement: { indicators: ['name'] }, path: 'agreements.0.indicators.0' },
    { what: 'a region twice', agreement: { regions: ['yunnan', 'yunnan'] }, path: 'agreements.0.regions' },
    { what: 'an unknown field', agreement: { clearData: true }, path: 'agreements.0' },
    { what: 'no indicator', agreement: { indicators: [] }, path: 'agreements.0.indicators' },
    { what: 'no owner', agreement: { owner: '' }, path: 'agreements.0.owner' },
    { what: 'an id beginning with a dash', agreement: { id: '-x' }, path: 'agreements.0.id' },
    { what: 'an end that is not a date', agreement: { until: 'never' }, path: 'agreements.0.until' },
    {
      what: 'a region id beginning with a dash',
      agreement: { regions: ['-a', 'b'] },
      path: 'agreements.0.regions.0',
    },
    {
      what: 'a region id of 64 characters',
      agreement: { regions: ['a'.repeat(64), 'b'] },
      path: 'agreements.0.regions.0',
    },
  ])('rejects $what with its path', ({ agreement, path }) => {
    // Prepare
    const data = {
      version: '1',
      agreements: [
        {
          id: 'x',
          regions: ['a', 'b'],
          indicators: ['phone'],
          since: '2026-01-01',
          owner: 'o',
          ...agreement,
        },
      ],
    };

    // Act
    const parse = () => parseSharingAgreements(data, 'rules/sharing/agreements.yaml');

    // Assess
    expect(parse).toThrow(SharingAgreementsError);
    expect(parse).toThrow(`rules/sharing/agreements.yaml: ${path}`);
  });
});

describe('parseSharingAgreements, the document', () => {
  const anAgreement = (id: string) => ({
    id,
    regions: ['a', 'b'],
    indicators: ['phone'],
    since: '2026-01-01',
    owner: 'o',
  });

  it.each([
    {
      what: 'two agreements with one id',
      data: { version: '1', agreements: [anAgreement('x'), anAgreement('x')] },
      message: 'rules/sharing/agreements.yaml: agreements.1.id: duplicate agreement id',
    },
    {
      what: 'an agreement that ends before it starts',
      data: { version: '1', agreements: [{ ...anAgreement('x'), until: '2025-12-31' }] },
      message:
        'rules/sharing/agreements.yaml: agreements.0.until: ends before it starts: until 2025-12-31 is before since 2026-01-01',
    },
    {
      what: 'an empty version',
      data: { version: '', agreements: [anAgreement('x')] },
      message: 'rules/sharing/agreements.yaml: version: ',
    },
    {
      what: 'an unknown field in the document',
      data: { version: '1', agreements: [anAgreement('x')], clearData: true },
      message: 'rules/sharing/agreements.yaml: (root): ',
    },
    {
      what: 'a document that is not an object',
      data: null,
      message: 'rules/sharing/agreements.yaml: (root): ',
    },
  ])('rejects $what, naming where', ({ data, message }) => {
    // Prepare: the table row

    // Act
    const parse = () => parseSharingAgreements(data, 'rules/sharing/agreements.yaml');

    // Assess
    expect(parse).toThrow(SharingAgreementsError);
    expect(parse).toThrow(message);
  });

  it('accepts a region id of 63 characters', () => {
    // Prepare
    const data = { version: '1', agreements: [{ ...anAgreement('x'), regions: ['a'.repeat(63), 'b'] }] };

    // Act
    const parsed = parseSharingAgreements(data, 'rules/sharing/agreements.yaml');

    // Assess
    expect(parsed.agreements[0]!.regions[0]).toHaveLength(63);
  });
});

describe('possibleSharingPartners', () => {
  it.each([
    { region: 'yunnan', kind: 'idDocument' as const, partners: ['sichuan'] },
    { region: 'sichuan', kind: 'idDocument' as const, partners: ['yunnan'] },
    { region: 'guangxi', kind: 'phone' as const, partners: ['guangdong', 'yunnan'] },
    { region: 'sichuan', kind: 'phone' as const, partners: [] },
    { region: 'guangxi', kind: 'idDocument' as const, partners: [] },
  ])('gives $region the partners $partners for $kind, whatever the day', ({ region, kind, partners }) => {
    // Prepare: the table row

    // Act
    const result = possibleSharingPartners(agreements, region, kind);

    // Assess
    expect(result).toEqual(partners);
  });
});

describe('countSharedSeizures', () => {
  const NOW = '2026-11-29T23:00:00.000Z';
  it.each([
    {
      what: 'a seizure of day(now) in a partner region',
      from: 'yunnan',
      entries: ['2026-11-29|r1'],
      counted: 1,
    },
    // A summary asked for a past now, or a partner's clock a little ahead around midnight UTC.
    { what: 'a seizure dated after day(now)', from: 'yunnan', entries: ['2026-11-30|r1'], counted: 0 },
    { what: 'a seizure before the agreement began', from: 'yunnan', entries: ['2025-12-31|r1'], counted: 0 },
    {
      what: 'a region no agreement links to this one',
      from: 'tibet',
      entries: ['2026-11-29|r1'],
      counted: 0,
    },
    { what: 'the reading region’s own seizure', from: 'guangxi', entries: ['2026-11-29|r1'], counted: 0 },
    {
      what: 'one parcel seized, logged twice',
      from: 'yunnan',
      entries: ['2026-11-28|r1', '2026-11-28|r1'],
      counted: 1,
    },
  ])('guangxi counts $what as $counted', ({ from, entries, counted }) => {
    const shared = [{ kind: 'phone' as const, sourceRegion: from, entries }];

    expect(countSharedSeizures(shared, agreements, 'guangxi', NOW)).toBe(counted);
  });
});

describe('countCounterpartsAcrossRegions', () => {
  const NOW = '2026-11-29T23:00:00.000Z';
  const count = (entries: string[], delivery?: string) =>
    countCounterpartsAcrossRegions({
      own: new Set(),
      shared: [{ kind: 'phone', sourceRegion: 'yunnan', entries }],
      ...(delivery === undefined ? {} : { delivery }),
      agreements,
      region: 'guangxi',
      now: NOW,
    });

  it.each([
    { what: 'an entry with no counterpart', entry: '2026-11-29' },
    { what: 'an entry of more parts than day, counterpart and delivery', entry: '2026-11-29|n1|d1|extra' },
  ])('counts no name for $what, as no version wrote it', ({ entry }) => {
    expect(count([entry, '2026-11-28|n2'])).toBe(1);
  });

  it('counts an entry written before deliveries were named, whatever delivery is screened', () => {
    expect(count(['2026-11-28|n1', '2026-11-28|n2|d1'], 'd1')).toBe(1);
  });
});

describe('sharedDeliveryRef', () => {
  const ref = sharedDeliveryRef('southwest-freight', 'M-20261129-1', '2026-11-29T08:00:00.000Z');

  it('names one delivery the same way every time, and never by its manifest id', () => {
    expect(sharedDeliveryRef('southwest-freight', 'M-20261129-1', '2026-11-29T08:00:00.000Z')).toBe(ref);
    expect(ref).toMatch(/^[\w-]{16}$/);
    expect(ref).not.toContain('M-20261129-1');
  });

  it('names one delivery the same way however its receipt time is written, so a region leaves out its own entries', () => {
    expect(sharedDeliveryRef('southwest-freight', 'M-20261129-1', '2026-11-29T16:00:00+08:00')).toBe(ref);
  });

  it.each([
    {
      what: 'the same manifest id received again later',
      partner: 'southwest-freight',
      manifest: 'M-20261129-1',
      received: '2026-11-29T09:00:00.000Z',
    },
    {
      what: 'another partner’s manifest of the same id',
      partner: 'east-coast-post',
      manifest: 'M-20261129-1',
      received: '2026-11-29T08:00:00.000Z',
    },
    {
      what: 'another manifest',
      partner: 'southwest-freight',
      manifest: 'M-20261129-2',
      received: '2026-11-29T08:00:00.000Z',
    },
  ])('names $what as another delivery', ({ partner, manifest, received }) => {
    expect(sharedDeliveryRef(partner, manifest, received)).not.toBe(ref);
  });

  it('is the last part of the entry a shared counterpart is written as', () => {
    expect(sharedCounterpartEntry('2026-11-29', 'n1', ref)).toBe(`2026-11-29|n1|${ref}`);
    expect(sharedCounterpartEntry('2026-11-29', 'n1')).toBe('2026-11-29|n1');
  });
});

import { describe, expect, it } from 'vitest';
import { countSharedSeizures } from '../../../functions/core/parties/history-model.js';
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

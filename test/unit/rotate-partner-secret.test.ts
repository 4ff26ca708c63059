import { describe, expect, it } from 'vitest';
import { makeRotatePartnerSecret } from '../../functions/operations/rotate-partner-secret.js';
import type { PartnerSecret, PartnerSecrets } from '../../functions/ports/partner-secrets.js';

const NOW = '2026-11-29T08:00:00.000Z';

/** One partner's secrets in memory, recording each replacement and the version it expected. */
const storeWith = (secrets: PartnerSecret[], version = 7) => {
  const replacements: { secrets: PartnerSecret[]; expectedVersion: number }[] = [];
  const stored: PartnerSecrets = { partnerId: 'pearl-express', secrets, version };
  return {
    replacements,
    store: {
      read: async (partnerId: string) => (partnerId === stored.partnerId ? stored : undefined),
      replace: async (_partnerId: string, next: PartnerSecret[], expectedVersion: number) => {
        replacements.push({ secrets: next, expectedVersion });
      },
    },
  };
};

const rotateWith = (store: ReturnType<typeof storeWith>['store']) =>
  makeRotatePartnerSecret({
    secrets: store,
    clock: { now: () => new Date(NOW) },
    generateSecret: () => 'whsec_new',
  });

describe('rotating a partner secret', () => {
  it('adds the new secret and gives every live one the overlap, at the version it read', async () => {
    // Prepare
    const { store, replacements } = storeWith([{ secret: 'whsec_a' }]);
    // Act
    const result = await rotateWith(store)('pearl-express', 24);
    // Assess
    expect(result).toEqual({
      partnerId: 'pearl-express',
      secret: 'whsec_new',
      previousValidUntil: '2026-11-30T08:00:00.000Z',
      removed: 0,
      liveBefore: 1,
      at: NOW,
    });
    expect(replacements).toEqual([
      {
        secrets: [{ secret: 'whsec_a', notAfter: '2026-11-30T08:00:00.000Z' }, { secret: 'whsec_new' }],
        expectedVersion: 7,
      },
    ]);
  });

  it('drops secrets whose overlap has ended and never extends a shorter one', async () => {
    // Prepare
    const { store, replacements } = storeWith([
      { secret: 'whsec_gone', notAfter: '2026-11-29T07:59:59.000Z' },
      { secret: 'whsec_ending', notAfter: '2026-11-29T09:00:00.000Z' },
      { secret: 'whsec_current' },
    ]);
    // Act
    const result = await rotateWith(store)('pearl-express', 24);
    // Assess
    expect(result.removed).toBe(1);
    expect(replacements[0]!.secrets).toEqual([
      { secret: 'whsec_ending', notAfter: '2026-11-29T09:00:00.000Z' },
      { secret: 'whsec_current', notAfter: '2026-11-30T08:00:00.000Z' },
      { secret: 'whsec_new' },
    ]);
  });

  it('ends the old secrets at once with no overlap', async () => {
    // Prepare
    const { store, replacements } = storeWith([{ secret: 'whsec_a' }]);
    // Act
    await rotateWith(store)('pearl-express', 0);
    // Assess
    expect(replacements[0]!.secrets[0]).toEqual({ secret: 'whsec_a', notAfter: NOW });
  });

  it.each([
    ['a negative overlap', 'pearl-express', -1, RangeError],
    ['an overlap that is not a number', 'pearl-express', Number.NaN, RangeError],
  ])('refuses %s before reading anything', async (_name, partnerId, hours, error) => {
    // Prepare
    const { store, replacements } = storeWith([{ secret: 'whsec_a' }]);
    // Act / Assess
    await expect(rotateWith(store)(partnerId, hours)).rejects.toThrow(error);
    expect(replacements).toEqual([]);
  });

  it('refuses an overlap that is not a number saying why, without reading the partner', async () => {
    // Prepare
    let reads = 0;
    const { store, replacements } = storeWith([{ secret: 'whsec_a' }]);
    const counted = {
      ...store,
      read: (partnerId: string) => {
        reads += 1;
        return store.read(partnerId);
      },
    };
    // Act / Assess
    await expect(rotateWith(counted)('pearl-express', Number.NaN)).rejects.toThrow(
      'the overlap must be zero or more hours',
    );
    expect(reads).toBe(0);
    expect(replacements).toEqual([]);
  });

  it('refuses a partner that does not exist, changing nothing', async () => {
    // Prepare
    const { store, replacements } = storeWith([{ secret: 'whsec_a' }]);
    // Act / Assess
    await expect(rotateWith(store)('nobody', 24)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(replacements).toEqual([]);
  });
});

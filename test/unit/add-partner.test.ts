import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileOfficeDirectory } from '../../functions/adapters/file-office-directory.js';
import {
  makeAddPartner,
  type NewPartner,
  validateNewPartner,
} from '../../functions/operations/add-partner.js';
import { makeSetPartnerCallback } from '../../functions/operations/set-partner-callback.js';
import { ConflictError, NotFoundError, ValidationError } from '../../functions/platform/errors.js';
import type { PartnerItem } from '../../functions/ports/partner-registry.js';

const offices = new FileOfficeDirectory(
  resolve(import.meta.dirname, '../../rules/reference/offices.yaml'),
).load();
const valid: NewPartner = { partnerId: 'delta-cargo', region: 'guangdong' };

/** A partners table in memory: adds only where no partner is, changes callbacks only where one is. */
const memoryRegistry = () => {
  const items = new Map<string, PartnerItem>();
  return {
    items,
    add: async (item: PartnerItem) => {
      if (items.has(item.partnerId)) return false;
      items.set(item.partnerId, item);
      return true;
    },
    setCallbackUrl: async (partnerId: string, callbackUrl: string | undefined) => {
      const item = items.get(partnerId);
      if (item === undefined) return undefined;
      const { callbackUrl: previous, ...rest } = item;
      items.set(partnerId, callbackUrl === undefined ? rest : { ...rest, callbackUrl });
      return { previous };
    },
  };
};

describe('validateNewPartner', () => {
  it.each([
    ['a plain id and a region', valid],
    ['an id with . _ : -', { ...valid, partnerId: 'delta.cargo_2:east-1' }],
    ['an id of 64 characters', { ...valid, partnerId: 'd'.repeat(64) }],
    ['the other region', { ...valid, region: 'yunnan-guangxi' }],
    ['an https callback URL', { ...valid, callbackUrl: 'https://hooks.delta.example/parcelguard' }],
    [
      'a callback URL of 2048 characters',
      {
        ...valid,
        callbackUrl: `https://hooks.example/${'a'.repeat(2048 - 'https://hooks.example/'.length)}`,
      },
    ],
  ])('accepts %s', (_, partner) => {
    // Act
    const issues = validateNewPartner(partner, offices);
    // Assess
    expect(issues).toEqual([]);
  });

  it.each([
    [
      'an id with a space',
      { ...valid, partnerId: 'delta cargo' },
      'partnerId',
      /letters, digits and \. _ : -/,
    ],
    ['an id starting with a dash', { ...valid, partnerId: '-delta' }, 'partnerId', /starting with a letter/],
    ['an empty id', { ...valid, partnerId: '' }, 'partnerId', /not a partner id/],
    ['an id of 65 characters', { ...valid, partnerId: 'd'.repeat(65) }, 'partnerId', /1 to 64 characters/],
    ['an id with #', { ...valid, partnerId: 'delta#1' }, 'partnerId', /not a partner id/],
    [
      'an id with capital letters',
      { ...valid, partnerId: 'Pearl-Express' },
      'partnerId',
      /capital letters: a new partner id is written in lower case \("pearl-express"\)/,
    ],
    [
      'an unknown region',
      { ...valid, region: 'atlantis' },
      'region',
      /"atlantis" is not a region.*guangdong/,
    ],
    ['a city as region', { ...valid, region: 'nanning' }, 'region', /"nanning" is a city .*not a region/],
    [
      'an office as region',
      { ...valid, region: 'nanning-customs' },
      'region',
      /is a county-office .*not a region/,
    ],
    [
      'an http callback URL',
      { ...valid, callbackUrl: 'http://hooks.example/cb' },
      'callbackUrl',
      /not https/,
    ],
    ['a callback that is no URL', { ...valid, callbackUrl: 'hooks.example/cb' }, 'callbackUrl', /not a URL/],
    [
      'a callback URL with credentials',
      { ...valid, callbackUrl: 'https://user:secret@hooks.example/cb' },
      'callbackUrl',
      /carries credentials/,
    ],
    [
      'a callback URL on the metadata address',
      { ...valid, callbackUrl: 'https://169.254.169.254/latest/meta-data' },
      'callbackUrl',
      /link-local address/,
    ],
    [
      'a callback URL on localhost',
      { ...valid, callbackUrl: 'https://localhost:8443/cb' },
      'callbackUrl',
      /names this machine/,
    ],
    [
      'an overlong callback URL',
      { ...valid, callbackUrl: `https://hooks.example/${'a'.repeat(2048)}` },
      'callbackUrl',
      /longer than 2048/,
    ],
    [
      'a callback URL longer than 2048 characters only once percent-encoded',
      { ...valid, callbackUrl: `https://hooks.example/${'é'.repeat(1000)}` },
      'callbackUrl',
      /longer than 2048 characters once percent-encoded \(6022\)/,
    ],
  ])('refuses %s, naming the field and why', (_, partner, path, why) => {
    // Act
    const issues = validateNewPartner(partner, offices);
    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toMatch(why);
  });

  it('names every invalid field at once', () => {
    // Act
    const issues = validateNewPartner(
      { partnerId: 'x y', region: 'atlantis', callbackUrl: 'ftp://x' },
      offices,
    );
    // Assess
    expect(issues.map((issue) => issue.path)).toEqual(['partnerId', 'region', 'callbackUrl']);
  });
});

describe('makeAddPartner', () => {
  it('stores the partner with its first secret in the shape the partner directory reads', async () => {
    // Prepare
    const registry = memoryRegistry();
    const addPartner = makeAddPartner({ partners: registry, offices, generateSecret: () => 'whsec_first' });
    // Act
    const added = await addPartner({ ...valid, callbackUrl: 'https://hooks.delta.example' });
    // Assess
    expect(added).toEqual({
      partnerId: 'delta-cargo',
      region: 'guangdong',
      callbackUrl: 'https://hooks.delta.example/',
      secret: 'whsec_first',
    });
    expect(registry.items.get('delta-cargo')).toEqual({
      partnerId: 'delta-cargo',
      region: 'guangdong',
      secrets: [{ secret: 'whsec_first' }],
      callbackUrl: 'https://hooks.delta.example/',
    });
  });

  it('refuses a partner that exists and keeps its secrets', async () => {
    // Prepare
    const registry = memoryRegistry();
    let n = 0;
    const addPartner = makeAddPartner({
      partners: registry,
      offices,
      generateSecret: () => `whsec_${++n}`,
    });
    await addPartner(valid);
    // Act
    const second = addPartner({ ...valid, region: 'yunnan-guangxi' });
    // Assess
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    await expect(second).rejects.toThrow(/already exists/);
    expect(registry.items.get('delta-cargo')).toEqual({
      partnerId: 'delta-cargo',
      region: 'guangdong',
      secrets: [{ secret: 'whsec_1' }],
    });
  });

  it('refuses an invalid partner without writing or making a secret', async () => {
    // Prepare
    const registry = memoryRegistry();
    let made = 0;
    const addPartner = makeAddPartner({
      partners: registry,
      offices,
      generateSecret: () => `whsec_${++made}`,
    });
    // Act
    const added = addPartner({ ...valid, callbackUrl: 'http://hooks.example' });
    // Assess
    await expect(added).rejects.toBeInstanceOf(ValidationError);
    expect(registry.items.size).toBe(0);
    expect(made).toBe(0);
  });
});

describe('makeSetPartnerCallback', () => {
  const withPartner = () => {
    const registry = memoryRegistry();
    registry.items.set('delta-cargo', {
      partnerId: 'delta-cargo',
      region: 'guangdong',
      secrets: [{ secret: 's' }],
    });
    return registry;
  };

  it("sets, replaces and removes a partner's callback URL, stored as notify posts to it", async () => {
    // Prepare
    const registry = withPartner();
    const setCallback = makeSetPartnerCallback({ partners: registry, localReceivers: false });
    // Act
    const first = await setCallback('delta-cargo', 'https://HOOKS.delta.example');
    const stored = registry.items.get('delta-cargo')?.callbackUrl;
    const removed = await setCallback('delta-cargo', undefined);
    // Assess
    expect(first).toEqual({ partnerId: 'delta-cargo', callbackUrl: 'https://hooks.delta.example/' });
    expect(stored).toBe('https://hooks.delta.example/');
    expect(removed).toEqual({ partnerId: 'delta-cargo', previous: 'https://hooks.delta.example/' });
    expect(registry.items.get('delta-cargo')).toEqual({
      partnerId: 'delta-cargo',
      region: 'guangdong',
      secrets: [{ secret: 's' }],
    });
  });

  it.each([
    ['http://127.0.0.1:4101/hook', false, 'is not https'],
    ['https://10.0.0.5/hook', false, 'private'],
    ['http://hooks.delta.example/hook', true, 'is not https'],
    ['https://user:pw@hooks.delta.example/', true, 'credentials'],
  ])('refuses %s (loopback receivers allowed: %s), naming callbackUrl', async (url, localReceivers, why) => {
    // Prepare
    const registry = withPartner();
    const setCallback = makeSetPartnerCallback({ partners: registry, localReceivers });
    // Act
    const refused = await setCallback('delta-cargo', url).catch((error: unknown) => error);
    // Assess
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues).toEqual([
      { path: 'callbackUrl', message: expect.stringContaining(why) },
    ]);
    expect(registry.items.get('delta-cargo')?.callbackUrl).toBeUndefined();
  });

  it.each([
    [true, true],
    [false, false],
  ])(
    'says plain http to this machine is the alternative only on the embedded stack (loopback receivers allowed: %s)',
    async (localReceivers, said) => {
      // Prepare
      const setCallback = makeSetPartnerCallback({ partners: withPartner(), localReceivers });
      // Act
      const refused = await setCallback('delta-cargo', 'http://hooks.delta.example/hook').catch(
        (error: unknown) => error,
      );
      // Assess
      expect(
        (refused as ValidationError).issues[0]!.message.endsWith(
          'on public hosts (or, on the embedded stack, plain http to this machine)',
        ),
      ).toBe(said);
    },
  );

  it("takes the embedded stack's loopback receiver when loopback receivers are allowed", async () => {
    // Prepare
    const registry = withPartner();
    const setCallback = makeSetPartnerCallback({ partners: registry, localReceivers: true });
    // Act
    const set = await setCallback('delta-cargo', 'http://127.0.0.1:4101/hook');
    // Assess
    expect(set.callbackUrl).toBe('http://127.0.0.1:4101/hook');
  });

  it('refuses a partner that does not exist, and an id no manifest could carry', async () => {
    // Prepare
    const registry = withPartner();
    const setCallback = makeSetPartnerCallback({ partners: registry, localReceivers: false });
    // Act
    const unknown = await setCallback('omega-cargo', 'https://hooks.omega.example').catch(
      (error: unknown) => error,
    );
    const invalid = await setCallback('omega cargo', undefined).catch((error: unknown) => error);
    // Assess
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect((unknown as NotFoundError).message).toContain('no partner omega-cargo');
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues.map((issue) => issue.path)).toEqual(['partnerId']);
    expect(registry.items.has('omega-cargo')).toBe(false);
  });
});

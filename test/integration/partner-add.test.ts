import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPartnerDirectory } from '../../functions/adapters/dynamodb-partner-directory.js';
import { DynamoDbPartnerSecrets } from '../../functions/adapters/dynamodb-partner-secrets.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { syntheticManifest } from '../../functions/local/synthetic-manifests.js';
import { postAsPartner } from '../support/embedded.js';
import { readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { partnerTool as partner } from '../support/tools.js';

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

describe('npm run partner -- add', () => {
  let stack: EmbeddedStack;

  const directory = () => new DynamoDbPartnerDirectory(stack.db, stack.tables.partners, () => new Date());
  const deliverAs = (partnerId: string, secret: string, manifestId: string) => {
    const manifest = {
      ...syntheticManifest(readSample(SHENZHEN_MANIFEST), { manifestId, parcelCount: 1 }),
      partnerId,
    };
    return postAsPartner(stack, partnerId, JSON.stringify(manifest), { secret });
  };

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('adds a partner whose signed manifests ingest accepts, printing only its secret on stdout', async () => {
    // Prepare
    const partnerId = 'delta-cargo';
    const refusedBefore = await deliverAs(partnerId, 'whsec_G5SPp4ch49uiLD1+649q9tx3r6J9TL9P', 'ADD-0');
    // Act
    const run = await partner([
      'add',
      partnerId,
      '--region',
      'guangdong',
      '--callback-url',
      'https://hooks.delta.example/parcelguard',
    ]);
    // Assess
    expect(refusedBefore.status).toBe(401);
    expect(run.code).toBe(0);
    const secret = run.stdout.trim();
    expect(secret).toMatch(SECRET);
    expect(run.stdout).toBe(`${secret}\n`);
    expect(run.stderr).toContain('added delta-cargo in region guangdong');
    expect(run.stderr).not.toContain(secret.slice('whsec_'.length, 20));
    expect(await directory().find(partnerId)).toEqual({
      partnerId,
      region: 'guangdong',
      secrets: [secret],
      callbackUrl: 'https://hooks.delta.example/parcelguard',
    });
    const accepted = await deliverAs(partnerId, secret, 'ADD-1');
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ partnerId, manifestId: 'ADD-1', status: 'accepted' });
  });

  it('adds a partner that rotate can then give a new secret', async () => {
    // Prepare
    const added = await partner(['add', 'echo-post', '--region', 'yunnan-guangxi']);
    // Act
    const rotated = await partner(['rotate', 'echo-post']);
    // Assess
    expect(added.code).toBe(0);
    expect(rotated.code).toBe(0);
    const found = await directory().find('echo-post');
    expect(found?.secrets.sort()).toEqual([added.stdout.trim(), rotated.stdout.trim()].sort());
    expect(found).not.toHaveProperty('callbackUrl');
  });

  it('refuses a partner that exists and keeps its first secret', async () => {
    // Prepare
    const first = await partner(['add', 'foxtrot-freight', '--region', 'guangdong']);
    expect(first.code).toBe(0);
    // Act
    const second = await partner(['add', 'foxtrot-freight', '--region', 'yunnan-guangxi']);
    // Assess
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/CONFLICT: partner foxtrot-freight already exists: nothing changed/);
    expect(await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read('foxtrot-freight')).toEqual(
      {
        partnerId: 'foxtrot-freight',
        secrets: [{ secret: first.stdout.trim() }],
        version: 0,
      },
    );
    expect((await directory().find('foxtrot-freight'))?.region).toBe('guangdong');
  });

  it.for<[string, string[], string, RegExp]>([
    [
      'a partner id ingest would refuse',
      ['add', 'golf cargo', '--region', 'guangdong'],
      'partnerId',
      /"golf cargo" is not a partner id.*letters, digits and \. _ : - only/,
    ],
    [
      'an unknown region',
      ['add', 'golf-cargo', '--region', 'atlantis'],
      'region',
      /"atlantis" is not a region of the office hierarchy \(regions: yunnan-guangxi, guangdong\)/,
    ],
    [
      'an http callback URL',
      ['add', 'golf-cargo', '--region', 'guangdong', '--callback-url', 'http://hooks.golf.example/cb'],
      'callbackUrl',
      /not https: notify posts referrals to https callback URLs only/,
    ],
  ])(
    'refuses %s with exit 2, naming the field and why, and stores nothing',
    async ([, args, field, why], { expect }) => {
      // Act
      const run = await partner(args);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`  ${field}: `);
      expect(run.stderr).toMatch(why);
      expect(await directory().find('golf-cargo')).toBeUndefined();
    },
  );

  it.for<[string, string[], RegExp]>([
    ['without --region', ['add', 'hotel-cargo'], /add needs --region <region>/],
    ['with an unknown command', ['remove', 'hotel-cargo'], /expected a command: add, rotate or callback/],
    [
      'with a second partner id',
      ['add', 'hotel-cargo', 'kilo-cargo', '--region', 'guangdong'],
      /expected: add <partnerId>/,
    ],
    [
      'with --overlap-hours, which is for rotate',
      ['add', 'hotel-cargo', '--region', 'guangdong', '--overlap-hours', '2'],
      /--overlap-hours is for rotate/,
    ],
    [
      'with --none, which is for callback',
      ['add', 'hotel-cargo', '--region', 'guangdong', '--none'],
      /--url and --none are for callback/,
    ],
  ])('answers %s with the usage and exit 2', async ([, args, why], { expect }) => {
    // Act
    const run = await partner(args);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(why);
    expect(run.stderr).toContain('usage: npm run partner -- add <partnerId> --region <region>');
  });

  it('names the missing setting and exits 2 when PARTNERS_TABLE is not set', async () => {
    // Act
    const run = await partner(['add', 'india-cargo', '--region', 'guangdong'], { PARTNERS_TABLE: '' });
    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('PARTNERS_TABLE');
    expect(await directory().find('india-cargo')).toBeUndefined();
  });
});

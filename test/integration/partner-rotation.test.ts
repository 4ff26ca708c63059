import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbPartnerSecrets } from '../../functions/adapters/dynamodb-partner-secrets.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { syntheticManifest } from '../../functions/local/synthetic-manifests.js';
import { postAsPartner } from '../support/embedded.js';
import { readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { partnerTool as partner } from '../support/tools.js';

const PARTNER = 'pearl-express';
let sequence = 0;

describe('npm run partner -- rotate', () => {
  let stack: EmbeddedStack;
  let original: string;

  const deliver = (secret: string) => {
    sequence += 1;
    const manifest = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: `ROTATE-${sequence}`,
      parcelCount: 1,
    });
    return postAsPartner(stack, PARTNER, JSON.stringify(manifest), { secret });
  };

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
    original = stack.partners.find((partner) => partner.partnerId === PARTNER)!.secrets[0]!.secret;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('prints a new secret once that signs accepted deliveries, while the old one still verifies during the overlap', async () => {
    // Act
    const run = await partner(['rotate', PARTNER]);
    // Assess
    expect(run.code).toBe(0);
    const secret = run.stdout.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(run.stdout).toBe(`${secret}\n`);
    expect(run.stderr).not.toContain(secret.slice('whsec_'.length, 20));
    expect((await deliver(secret)).status).toBe(202);
    expect((await deliver(original)).status).toBe(202);
    const stored = await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER);
    const oldEntry = stored!.secrets.find((entry) => entry.secret === original)!;
    const hoursLeft = (Date.parse(oldEntry.notAfter!) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(23.9);
    expect(hoursLeft).toBeLessThanOrEqual(24);
  });

  it('refuses deliveries signed with a previous secret once the overlap has ended', async () => {
    // Prepare: a rotation with no overlap, so the previous secret ends at once (the overlap arithmetic
    // is unit-tested in test/unit/rotate-partner-secret.test.ts)
    const run = await partner(['rotate', PARTNER, '--overlap-hours', '0']);
    expect(run.code).toBe(0);
    const secret = run.stdout.trim();
    // Act
    const after = await deliver(original);
    const withNew = await deliver(secret);
    // Assess
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');
    expect(withNew.status).toBe(202);
  });

  it.each([['--overlap-hours='], ['--overlap-hours= '], ['--overlap-hours=0x10'], ['--overlap-hours=-1']])(
    'refuses %s as usage, keeping every secret (an empty value is not an overlap of 0 hours)',
    async (flag) => {
      // Prepare
      const before = await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER);
      // Act
      const run = await partner(['rotate', PARTNER, flag]);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `--overlap-hours must be a number of hours between 0 and 720, not ${JSON.stringify(flag.slice(16))}`,
      );
      expect(await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER)).toEqual(before);
    },
  );

  it.each([[''], ['not a partner id!'], ['p'.repeat(3000)]])(
    'refuses %j as usage before reading anything: no manifest could name it',
    async (partnerId) => {
      // Act
      const run = await partner(['rotate', partnerId]);
      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('partnerId: ');
      expect(run.stderr).toContain('is not a partner id the manifest contract accepts');
      expect(run.stdout).toBe('');
    },
  );

  it('refuses --region and --callback-url, which are for add, keeping every secret', async () => {
    // Prepare
    const before = await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER);
    // Act
    const run = await partner(['rotate', PARTNER, '--region', 'guangdong']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--region and --callback-url are for add');
    expect(run.stdout).toBe('');
    expect(await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER)).toEqual(before);
  });

  it('fails without changing anything for a partner that does not exist', async () => {
    // Prepare
    const before = await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER);
    // Act
    const run = await partner(['rotate', 'no-such-partner']);
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('NOT_FOUND');
    expect(run.stdout).toBe('');
    expect(await new DynamoDbPartnerSecrets(stack.db, stack.tables.partners).read(PARTNER)).toEqual(before);
  });

  it('takes the longest overlap, 720 hours (30 days)', async () => {
    // Act
    const run = await partner(['rotate', PARTNER, '--overlap-hours', '720']);
    // Assess
    expect(run.code).toBe(0);
    const until = /previous secrets verify until ([^;\s]+)/.exec(run.stderr)![1]!;
    const hoursLeft = (Date.parse(until) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(719.9);
    expect(hoursLeft).toBeLessThanOrEqual(720);
  });
});

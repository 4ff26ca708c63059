import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferralWebhookSchema } from '../../events/referral-webhook-v1.js';
import { DynamoDbPartnerDirectory } from '../../functions/adapters/dynamodb-partner-directory.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { startCallbackReceiver } from '../support/staff.js';
import { partnerTool as partner } from '../support/tools.js';

const PARTNER = 'southwest-freight';

/** `npm run partner -- callback`, run as the docs say: on the embedded stack, with its env file's settings. */
describe('npm run partner -- callback', () => {
  let stack: EmbeddedStack;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

  const directory = () => new DynamoDbPartnerDirectory(stack.db, stack.tables.partners, () => new Date());
  /** The Ruili sample's furniture parcel again, under new ids: held, so referred. */
  const postHeldParcel = (suffix: string) => {
    const sample = readSample(RUILI_MANIFEST);
    const manifest = {
      ...sample,
      manifestId: `SWF-CALLBACK-${suffix}`,
      parcels: [{ ...sample.parcels[0]!, parcelId: `SWFCB${suffix}` }],
    };
    return postAsPartner(stack, PARTNER, JSON.stringify(manifest));
  };

  beforeAll(async () => {
    receiver = await startCallbackReceiver(204);
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it("points a partner's referrals at a loopback receiver, which then gets them signed", async () => {
    // Act
    const run = await partner(['callback', PARTNER, '--url', receiver.url]);
    const posted = await postHeldParcel('0001');
    await stack.waitForIdle();
    // Assess
    expect(posted.status).toBe(202);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toContain(`${PARTNER}: referrals posted to ${receiver.url}`);
    expect((await directory().find(PARTNER))?.callbackUrl).toBe(receiver.url);
    const delivered = receiver.received.filter((request) => request.body.includes('SWFCB0001'));
    expect(delivered).toHaveLength(1);
    const secret = stack.partners.find((partner) => partner.partnerId === PARTNER)!.secrets[0]!.secret;
    const body = new Webhook(secret).verify(delivered[0]!.body, {
      'webhook-id': String(delivered[0]!.headers['webhook-id']),
      'webhook-timestamp': String(delivered[0]!.headers['webhook-timestamp']),
      'webhook-signature': String(delivered[0]!.headers['webhook-signature']),
    });
    expect(ReferralWebhookSchema.parse(body).data).toMatchObject({ parcelId: 'SWFCB0001', lane: 'hold' });
  });

  it('stops posting with --none: the partner reads its referrals by GET again', async () => {
    // Prepare
    const before = receiver.received.length;
    // Act
    const run = await partner(['callback', PARTNER, '--none']);
    const posted = await postHeldParcel('0002');
    await stack.waitForIdle();
    // Assess
    expect(posted.status).toBe(202);
    expect(run).toMatchObject({ code: 0, stdout: '' });
    expect(run.stderr).toContain(`${PARTNER}: no callback URL, referrals by GET /v1/manifests/{id}`);
    expect((await directory().find(PARTNER))?.callbackUrl).toBeUndefined();
    expect(receiver.received).toHaveLength(before);
  });

  it('refuses a loopback receiver outside the embedded stack, an unknown partner and a wrong usage', async () => {
    // Act: "outside" has sourced the embedded stack's env file, then pointed DynamoDB at AWS
    const [outside, unknown, both, neither] = await Promise.all([
      partner(['callback', PARTNER, '--url', receiver.url], {
        AWS_ENDPOINT_URL_DYNAMODB: 'https://dynamodb.ap-east-1.amazonaws.com',
        REFERRAL_ALLOW_HTTP: 'true',
      }),
      partner(['callback', 'omega-cargo', '--url', 'https://hooks.omega.example/']),
      partner(['callback', PARTNER, '--url', receiver.url, '--none']),
      partner(['callback', PARTNER]),
    ]);
    // Assess
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('callbackUrl: ');
    expect(outside.stderr).toContain('is not https');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no partner omega-cargo');
    for (const usage of [both, neither]) {
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('callback needs either --url <callback URL> or --none');
    }
    expect((await directory().find(PARTNER))?.callbackUrl).toBeUndefined();
  });
});

import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestStatusSchema } from '../../events/manifest-status-v1.js';
import { ReferralWebhookSchema } from '../../events/referral-webhook-v1.js';
import { DynamoDbAuditLog } from '../../functions/adapters/dynamodb-audit-log.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbReviewQueue } from '../../functions/adapters/dynamodb-review-queue.js';
import { makeVerifyAuditLog } from '../../functions/audit/verify-audit-log.js';
import { parcelKey, referralIdOf } from '../../functions/core/keys.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { InMemoryAuditAnchors } from '../support/audit-anchors.js';
import { drainQueue, postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readMessageSample, readSample } from '../support/factories.js';
import { asStaff, partnerStatus, SEIZURE, startCallbackReceiver, tokenFor } from '../support/staff.js';
import { auditTool as audit } from '../support/tools.js';

const PARCEL = 'SWF7781000123';
/** The referral id the samples show: that of the sample screening message's receipt time. */
const SAMPLE_REFERRAL_ID = 'ref_577d05f676055ae5f357';
const PARCEL_PATH = `/v1/inspections/southwest-freight/${PARCEL}`;

describe('the customs review workflow on the embedded stack', () => {
  let stack: EmbeddedStack;
  let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
  let failingReceiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

  beforeAll(async () => {
    receiver = await startCallbackReceiver(204);
    failingReceiver = await startCallbackReceiver(503);
    stack = await startEmbeddedStack({
      visibilityTimeoutSeconds: 1,
      env: { REFERRAL_RETRY_BASE_SECONDS: '0' },
    });
    const withCallback = (partnerId: string, callbackUrl: string) => ({
      ...stack.partners.find((partner) => partner.partnerId === partnerId)!,
      callbackUrl,
    });
    await stack.db.send(
      new PutCommand({
        TableName: stack.tables.partners,
        Item: withCallback('southwest-freight', receiver.url),
      }),
    );
    await stack.db.send(
      new PutCommand({
        TableName: stack.tables.partners,
        Item: withCallback('pearl-express', failingReceiver.url),
      }),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    await failingReceiver?.stop();
  });

  it('takes a flagged parcel from screening to a seizure that raises the next parcel and reaches the partner only as a referral', async () => {
    // Prepare
    const manifest = readSample(RUILI_MANIFEST);
    const [wuzhou, wuzhou2] = await Promise.all([
      tokenFor('officer', 'wuzhou'),
      tokenFor('officer', 'wuzhou-2'),
    ]);
    expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(manifest))).status).toBe(202);
    await stack.waitForIdle();

    // Act: the officer of the right office lists the queue and claims; a second officer is refused
    const queue = await asStaff(stack.apiUrl, wuzhou, 'GET', '/v1/inspections?office=wuzhou-customs');
    const claimed = await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/claim`);
    const refused = await asStaff(stack.apiUrl, wuzhou2, 'POST', `${PARCEL_PATH}/claim`);
    const seized = await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/outcome`, SEIZURE);
    const again = await asStaff(stack.apiUrl, wuzhou, 'POST', `${PARCEL_PATH}/outcome`, {
      outcome: 'cleared',
    });

    // Assess: the queue entry carries the decision with reasons and values, the parcel and the history
    expect(queue.status).toBe(200);
    const entry = queue.body.items.find((item: { parcelId: string }) => item.parcelId === PARCEL);
    expect(entry).toMatchObject({
      status: 'open',
      inspectionOffice: 'wuzhou-customs',
      decision: { lane: 'hold' },
    });
    expect(entry.decision.firedRules.length).toBeGreaterThanOrEqual(4);
    for (const rule of entry.decision.firedRules) {
      expect(rule.reason.length).toBeGreaterThan(10);
      expect(Object.keys(rule.values).length).toBeGreaterThan(0);
    }
    expect(entry.parcel.parcelId).toBe(PARCEL);
    expect(entry.consigneeHistory).toMatchObject({ known: false, seizures: 0 });

    expect(claimed).toMatchObject({ status: 200, body: { status: 'claimed', lease: { heldBy: 'wuzhou' } } });
    expect(refused.status).toBe(409);
    expect(refused.contentType).toBe('application/problem+json');
    expect(refused.body).toMatchObject({
      code: 'CONFLICT',
      heldBy: 'wuzhou',
      leaseUntil: claimed.body.lease.until,
    });
    expect(seized).toMatchObject({
      status: 200,
      body: { status: 'closed', outcome: { outcome: 'seized', recordedBy: 'wuzhou' } },
    });
    expect(again.status).toBe(409);

    // Assess: the consignee's history shows the seizure
    const item = (await new DynamoDbReviewQueue(stack.db, stack.tables.reviewQueue).get(
      `southwest-freight#${PARCEL}`,
    ))!;
    const history = new DynamoDbPartyHistory(stack.db, stack.tables.partyHistory);
    const [facts] = await history.summarize([item.partyKeys], item.region, new Date().toISOString());
    expect(facts!.consignee).toMatchObject({ seizures: 1, inspections: 1 });

    // Act: the next parcel to the same consignee
    const next = {
      ...manifest,
      manifestId: 'SWF-20261128-0007',
      parcels: [{ ...manifest.parcels[0]!, parcelId: 'SWF7781000999' }],
    };
    expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(next))).status).toBe(202);
    await stack.waitForIdle();

    // Assess: it is screened with the seizure in its facts
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    const nextDecision = decisions.find((decision) => decision.parcelId === 'SWF7781000999')!;
    expect(nextDecision.facts.history.consignee.seizures).toBe(1);

    // Assess: the partner sees `hold` and a referral id, and nothing of scores, rules or reasons
    const status = await partnerStatus(stack, 'southwest-freight', 'SWF-20261127-0041');
    expect(status.status).toBe(200);
    const held = status.body.parcels.find((parcel: { parcelId: string }) => parcel.parcelId === PARCEL);
    expect(held).toEqual({
      parcelId: PARCEL,
      status: 'hold',
      referralId: expect.stringMatching(/^ref_[0-9a-f]{20}$/),
    });
    expect(status.text).not.toMatch(/score|rule|reason|seiz|outcome/i);
    // The contract's sample is this answer, but for the time and the referral id, which is of that time
    const answer = ManifestStatusSchema.parse(status.body);
    const referralId = referralIdOf(parcelKey('southwest-freight', PARCEL), answer.receivedAt);
    expect(held.referralId).toBe(referralId);
    const asSampled = (sample: unknown) =>
      JSON.parse(JSON.stringify(sample).replaceAll(SAMPLE_REFERRAL_ID, referralId));
    expect(answer).toEqual({
      ...asSampled(readMessageSample('manifest-status-v1')),
      receivedAt: answer.receivedAt,
    });
    for (const rule of entry.decision.firedRules) expect(status.text).not.toContain(rule.reason);

    // Assess: the partner's callback received the referral, signed with its secret
    const delivered = receiver.received.filter(
      (request) => request.headers['webhook-id'] === held.referralId,
    );
    expect(delivered.length).toBeGreaterThanOrEqual(1);
    const secret = stack.partners.find((partner) => partner.partnerId === 'southwest-freight')!.secrets[0]!
      .secret;
    const payload = new Webhook(secret).verify(delivered[0]!.body, {
      'webhook-id': String(delivered[0]!.headers['webhook-id']),
      'webhook-timestamp': String(delivered[0]!.headers['webhook-timestamp']),
      'webhook-signature': String(delivered[0]!.headers['webhook-signature']),
    }) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(payload).toMatchObject({
      type: 'parcel.referred',
      data: { parcelId: PARCEL, lane: 'hold', referralId: held.referralId },
    });
    // The contract's sample is this body, but for the time and the referral id
    const sample = asSampled(readMessageSample('referral-webhook-v1')) as Record<string, unknown>;
    expect(ReferralWebhookSchema.parse(payload)).toEqual({ ...sample, timestamp: payload.timestamp });
    expect(delivered[0]!.body).not.toMatch(/score|rule|reason/i);

    // Act: an admin corrects the seizure away; Assess: the consignee's history follows the correction
    const corrected = await asStaff(
      stack.apiUrl,
      await tokenFor('admin'),
      'POST',
      `${PARCEL_PATH}/correction`,
      {
        finding: { outcome: 'cleared' },
        reason: 'lab found no controlled substance',
        corrections: 0,
      },
    );
    expect(corrected.status).toBe(200);
    // The office's officers read what the correction replaced, and why, beside the outcome it reads now
    const closed = await asStaff(
      stack.apiUrl,
      wuzhou,
      'GET',
      '/v1/inspections?office=wuzhou-customs&status=closed',
    );
    const corrections = {
      corrections: 1,
      correctionHistory: [
        {
          from: expect.objectContaining({ outcome: 'seized' }),
          // Who recorded the finding it replaced: the officer, where staff saw only the admin before
          fromRecordedBy: 'wuzhou',
          fromRecordedAt: expect.any(String),
          to: { outcome: 'cleared' },
          reason: 'lab found no controlled substance',
          correctedBy: 'admin',
          correctedAt: expect.any(String),
        },
      ],
    };
    expect(corrected.body).toMatchObject(corrections);
    expect(
      (closed.body as { items: { parcelId: string }[] }).items.find((entry) => entry.parcelId === PARCEL),
    ).toMatchObject({ outcome: { outcome: 'cleared', recordedBy: 'admin' }, ...corrections });
    // The same correction sent again records nothing twice; one decided before it is refused
    const correction = { finding: { outcome: 'cleared' }, reason: 'lab found no controlled substance' };
    const resent = await asStaff(stack.apiUrl, await tokenFor('admin'), 'POST', `${PARCEL_PATH}/correction`, {
      ...correction,
      corrections: 0,
    });
    expect([resent.status, resent.body]).toEqual([200, corrected.body]);
    const stale = await asStaff(stack.apiUrl, await tokenFor('admin'), 'POST', `${PARCEL_PATH}/correction`, {
      finding: { outcome: 'documents-irregular' },
      reason: 'invoice found to be forged',
      corrections: 0,
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      detail: expect.stringMatching(/corrected since you read it: it reads cleared .* after 1 correction/),
      corrections: 1,
      outcome: 'cleared',
    });
    const [correctedFacts] = await history.summarize([item.partyKeys], item.region, new Date().toISOString());
    expect(correctedFacts!.consignee).toMatchObject({ seizures: 0, inspections: 1 });

    // Assess: the audit log holds the claim, the outcome and the correction, and every chain verifies
    const verification = await makeVerifyAuditLog(
      new DynamoDbAuditLog(stack.db, stack.tables.auditLog),
      new InMemoryAuditAnchors(),
    )();
    expect(verification.ok).toBe(true);
    const entries = await scanAll(stack.db, stack.tables.auditLog);
    expect(
      entries.filter((audit) => audit.target === `southwest-freight#${PARCEL}`).map((audit) => audit.action),
    ).toEqual(['claim', 'outcome', 'correction']);
    // The CLI runs in a process of its own, against this process's embedded DynamoDB: it must not block us.
    const cli = await audit(['verify'], {
      AUDIT_LOG_TABLE: stack.tables.auditLog,
    });
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/audit verify passed/);
  });

  it('retries a referral the callback refuses, with backoff, and dead-letters it where it stays visible', async () => {
    // Prepare
    const referral = {
      type: 'ParcelReferred',
      version: 1,
      partnerId: 'pearl-express',
      manifestId: 'PEX-DLQ-1',
      parcelId: 'PEX-DLQ-1-P1',
      lane: 'do-not-load',
      referralId: 'ref_dead_letter_probe',
      referredAt: new Date().toISOString(),
    };

    // Act
    await stack.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.queues.referral.url, MessageBody: JSON.stringify(referral) }),
    );
    await stack.waitForIdle(45_000);

    // Assess
    const attempts = failingReceiver.received.filter(
      (request) => request.headers['webhook-id'] === referral.referralId,
    );
    expect(attempts).toHaveLength(8);
    const deadLetters = (await drainQueue(stack.sqs, stack.queues.referral.dlqUrl)).map((body) =>
      JSON.parse(body),
    );
    expect(deadLetters).toEqual([referral]);
  }, 60_000);
});

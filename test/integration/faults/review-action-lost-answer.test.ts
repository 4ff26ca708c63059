import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbReviewQueue } from '../../../functions/adapters/dynamodb-review-queue.js';
import { scanAll } from '../../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../../support/factories.js';
import { keyAttribute, useFaultyStack } from '../../support/faulty-stack.js';
import { asStaff, tokenFor } from '../../support/staff.js';

/**
 * A review-queue write takes effect but its answer is lost; the SDK sends it again and the retry fails
 * its condition against the write itself. The request must still count its action once and finish it.
 */
describe('a staff action whose review-queue write landed but whose answer was lost', () => {
  const env = useFaultyStack();
  const { faults } = env;
  const parcelId = 'SWF7781000123';
  const key = `southwest-freight#${parcelId}`;
  const path = `/v1/inspections/southwest-freight/${parcelId}`;

  beforeAll(async () => {
    await env.post(readSample(RUILI_MANIFEST));
    await env.stack.waitForIdle();
  });

  const queue = () => new DynamoDbReviewQueue(env.stack.db, env.stack.tables.reviewQueue);
  const audited = async () =>
    (await scanAll(env.stack.db, env.stack.tables.auditLog))
      .filter((entry) => entry.target === key)
      .map((entry) => entry.action);

  it('claims once: one audit entry and one version for the one request', async () => {
    // Prepare
    const officer = await tokenFor('officer', 'wuzhou');
    const lost = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.reviewQueue,
      when: (request) => keyAttribute(request, 'pk') === key,
      times: 1,
      fault: { kind: 'lose-answer' },
    });

    // Act
    const claimed = await asStaff(env.stack.apiUrl, officer, 'POST', `${path}/claim`);

    // Assess
    expect(lost.injected).toBe(1);
    expect(lost.matched).toBe(2); // the SDK's retry, refused by its condition
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', lease: { heldBy: 'wuzhou' } });
    expect((await queue().get(key))?.version).toBe(1);
    expect(await audited()).toEqual(['claim']);
  });

  it('finishes its effects before answering when the answer to its finishing claim is lost', async () => {
    // Prepare: the parcel claimed above; the claim on the release's pending effects loses its answer
    const officer = await tokenFor('officer', 'wuzhou');
    const lost = faults.inject({
      operation: 'UpdateItem',
      resource: env.stack.tables.reviewQueue,
      when: (request) =>
        keyAttribute(request, 'pk') === key &&
        String(request.body.UpdateExpression).startsWith('SET pendingFinisher'),
      times: 1,
      fault: { kind: 'lose-answer' },
    });

    // Act
    const released = await asStaff(env.stack.apiUrl, officer, 'POST', `${path}/release`);

    // Assess: audited and no longer pending now, not left to the sweep once the lost claim runs out
    expect(lost.injected).toBe(1);
    expect(released.status).toBe(200);
    const item = await queue().get(key);
    expect(item?.version).toBe(2);
    expect(item?.pending).toBeUndefined();
    expect(await audited()).toEqual(['claim', 'release']);
  });
});

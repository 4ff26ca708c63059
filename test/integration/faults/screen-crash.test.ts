import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../events/manifest-v1.js';
import { parcelKey } from '../../../functions/core/keys.js';
import { derivePartyKeys } from '../../../functions/core/parties/party-keys.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../../functions/local/embedded-stack.js';
import { dynamoDbError, FaultPlan, type ProxiedRequest } from '../../../functions/local/fault-proxy.js';
import { syntheticManifest } from '../../../functions/local/synthetic-manifests.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../../support/effects.js';
import { postAsPartner } from '../../support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../../support/factories.js';

const keyAttribute = (request: ProxiedRequest, name: string): string | undefined =>
  ((request.body.Key ?? request.body.Item) as Record<string, { S?: string }> | undefined)?.[name]?.S;

describe('the screen handler crashing mid-batch', () => {
  const faults = new FaultPlan();
  let stack: EmbeddedStack;
  let accepted = 0;

  const post = async (manifest: Manifest) => {
    const response = await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest));
    expect(response.status).toBe(202);
    accepted += manifest.parcels.length;
  };

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('counts history once when a history write took effect but its answer was lost, and the record is redelivered', async () => {
    // Prepare: ten parcels to one consignee (one coalesced bucket write), next to a manifest that succeeds
    const crashing = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'CRASH-HISTORY',
      parcelCount: 10,
      consignees: 1,
    });
    const neighbour = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'CRASH-NEIGHBOUR',
      parcelCount: 10,
      consignees: 3,
      consigneeOffset: 100,
    });
    const consignee = derivePartyKeys(crashing.parcels[0]!, stack.partyKeySalt).consignee;
    const fault = faults.inject({
      operation: 'UpdateItem',
      resource: stack.tables.partyHistory,
      when: (request) =>
        keyAttribute(request, 'pk')?.endsWith(`#${consignee}`) === true &&
        keyAttribute(request, 'sk')?.startsWith('D#') === true,
      times: 3, // every attempt the SDK makes (maxAttempts 3): the failure reaches the handler
      fault: { kind: 'lose-answer' },
    });
    // Act
    await Promise.all([post(crashing), post(neighbour)]);
    await stack.waitForIdle(25_000);
    // Assess
    expect(fault.injected).toBe(3);
    expect(fault.matched).toBeGreaterThan(3); // the redelivery wrote (and found the parcels counted)
    await expectEffectivelyOnce(stack, accepted);
    await expectDeadLetters(stack, []);
  });

  it('finishes the effects once when a review-queue write fails after the decision and history are recorded', async () => {
    // Prepare: the Ruili furniture parcel (index 0 of its sample) is flagged, so it goes to the review queue
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'CRASH-REVIEW',
      parcelCount: 6,
      consignees: 2,
      consigneeOffset: 200,
    });
    const flaggedParcel = parcelKey(manifest.partnerId, manifest.parcels[0]!.parcelId);
    const fault = faults.inject({
      operation: 'PutItem',
      resource: stack.tables.reviewQueue,
      when: (request) => keyAttribute(request, 'pk') === flaggedParcel,
      times: 3,
      fault: dynamoDbError('InternalServerError', 500),
    });
    // Act
    await post(manifest);
    await stack.waitForIdle(25_000);
    // Assess
    expect(fault.injected).toBe(3);
    expect(fault.matched).toBe(4);
    const report = await expectEffectivelyOnce(stack, accepted);
    expect(report.flagged).toBeGreaterThan(0);
    await expectDeadLetters(stack, []);
  });
});

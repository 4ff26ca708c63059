import { describe, expect, it } from 'vitest';
import { parcelKey } from '../../../functions/core/keys.js';
import { derivePartyKeys } from '../../../functions/core/parties/party-keys.js';
import { dynamoDbError } from '../../../functions/local/fault-proxy.js';
import { syntheticManifest } from '../../../functions/local/synthetic-manifests.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../../support/effects.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../../support/factories.js';
import {
  EVERY_DYNAMODB_ATTEMPT,
  keyAttribute,
  readsDecisionOf,
  useFaultyStack,
} from '../../support/faulty-stack.js';

describe('the screen handler crashing mid-batch', () => {
  const env = useFaultyStack();
  const { faults } = env;

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
    const consignee = derivePartyKeys(crashing.parcels[0]!, env.stack.partyKeySalt).consignee;
    const fault = faults.inject({
      operation: 'UpdateItem',
      resource: env.stack.tables.partyHistory,
      when: (request) =>
        keyAttribute(request, 'pk')?.endsWith(`#${consignee}`) === true &&
        keyAttribute(request, 'sk')?.startsWith('D#') === true,
      times: EVERY_DYNAMODB_ATTEMPT, // every attempt the SDK makes: the failure reaches the handler
      fault: { kind: 'lose-answer' },
    });
    const screenings = faults.observe({
      operation: 'BatchGetItem',
      resource: env.stack.tables.decisions,
      when: readsDecisionOf(
        env.stack.tables.decisions,
        parcelKey(crashing.partnerId, crashing.parcels[0]!.parcelId),
      ),
    });
    // Act
    await Promise.all([env.post(crashing), env.post(neighbour)]);
    await env.stack.waitForIdle(25_000);
    // Assess
    expect(fault.injected).toBe(EVERY_DYNAMODB_ATTEMPT);
    expect(fault.matched).toBeGreaterThan(EVERY_DYNAMODB_ATTEMPT); // the redelivery wrote (and found the parcels counted)
    expect(screenings.matched).toBe(2); // the message was delivered twice
    await expectEffectivelyOnce(env.stack, env.accepted);
    await expectDeadLetters(env.stack, []);
  });

  it('finishes the effects once when a review-queue write fails after the decision is recorded', async () => {
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
      resource: env.stack.tables.reviewQueue,
      when: (request) => keyAttribute(request, 'pk') === flaggedParcel,
      times: EVERY_DYNAMODB_ATTEMPT,
      fault: dynamoDbError('InternalServerError', 500),
    });
    const screenings = faults.observe({
      operation: 'BatchGetItem',
      resource: env.stack.tables.decisions,
      when: readsDecisionOf(env.stack.tables.decisions, flaggedParcel),
    });
    // Act
    await env.post(manifest);
    await env.stack.waitForIdle(25_000);
    // Assess: every attempt of the first write failed, and the redelivery wrote the review item
    expect(fault.injected).toBe(EVERY_DYNAMODB_ATTEMPT);
    expect(fault.matched).toBe(EVERY_DYNAMODB_ATTEMPT + 1);
    expect(screenings.matched).toBe(2); // the message was delivered twice
    const report = await expectEffectivelyOnce(env.stack, env.accepted);
    expect(report.flagged).toBeGreaterThan(0);
    await expectDeadLetters(env.stack, []);
  });
});

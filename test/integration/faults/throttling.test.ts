import { describe, expect, it } from 'vitest';
import { regionOf } from '../../../functions/core/access/offices.js';
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
import { OFFICES } from '../../support/screening-messages.js';

const throttled = dynamoDbError('ProvisionedThroughputExceededException');

describe('DynamoDB throttling (ProvisionedThroughputExceeded) during screening', () => {
  const env = useFaultyStack();
  const { faults } = env;

  it('absorbs a short throttle of a decision write within the SDK retries', async () => {
    // Prepare
    const manifest = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'THROTTLE-SHORT',
      parcelCount: 5,
    });
    const target = parcelKey(manifest.partnerId, manifest.parcels[2]!.parcelId);
    const fault = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === target,
      times: 2,
      fault: throttled,
    });
    // Act
    await env.post(manifest);
    await env.stack.waitForIdle(25_000);
    // Assess
    expect(fault).toMatchObject({ injected: 2, matched: 3 });
    await expectEffectivelyOnce(env.stack, env.accepted);
    await expectDeadLetters(env.stack, []);
  });

  it('redelivers the record when a decision write stays throttled longer than the SDK retries, then screens it once', async () => {
    // Prepare
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'THROTTLE-DECISION',
      parcelCount: 8,
      consignees: 2,
      consigneeOffset: 300,
    });
    const target = parcelKey(manifest.partnerId, manifest.parcels[0]!.parcelId);
    const fault = faults.inject({
      operation: 'PutItem',
      resource: env.stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === target,
      times: EVERY_DYNAMODB_ATTEMPT,
      fault: throttled,
    });
    const screenings = faults.observe({
      operation: 'BatchGetItem',
      resource: env.stack.tables.decisions,
      when: readsDecisionOf(env.stack.tables.decisions, target),
    });
    // Act
    await env.post(manifest);
    await env.stack.waitForIdle(25_000);
    // Assess: every attempt of the first write failed, and the redelivery wrote the decision
    expect(fault).toMatchObject({ injected: EVERY_DYNAMODB_ATTEMPT, matched: EVERY_DYNAMODB_ATTEMPT + 1 });
    expect(screenings.matched).toBe(2); // the message holding the parcel was delivered twice
    await expectEffectivelyOnce(env.stack, env.accepted);
    await expectDeadLetters(env.stack, []);
  });

  it('counts history once when a history counter write is throttled past the SDK retries and the record is redelivered', async () => {
    // Prepare: one consignee for all parcels, so their counts share one bucket write
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'THROTTLE-HISTORY',
      parcelCount: 12,
      consignees: 1,
      consigneeOffset: 400,
    });
    // The parcels are screened in two regions, one message and one bucket write each: fault one region's,
    // else the faults split between the two writes and the SDK absorbs both
    const first = manifest.parcels[0]!;
    const consignee = derivePartyKeys(first, env.stack.partyKeySalt).consignee;
    const bucket = `H#${regionOf(OFFICES, first.route.inspectionOffice)}#${consignee}`;
    const fault = faults.inject({
      operation: 'UpdateItem',
      resource: env.stack.tables.partyHistory,
      when: (request) =>
        keyAttribute(request, 'pk') === bucket && keyAttribute(request, 'sk')?.startsWith('D#') === true,
      times: EVERY_DYNAMODB_ATTEMPT,
      fault: throttled,
    });
    const screenings = faults.observe({
      operation: 'BatchGetItem',
      resource: env.stack.tables.decisions,
      when: readsDecisionOf(env.stack.tables.decisions, parcelKey(manifest.partnerId, first.parcelId)),
    });
    // Act
    await env.post(manifest);
    await env.stack.waitForIdle(25_000);
    // Assess
    expect(fault.injected).toBe(EVERY_DYNAMODB_ATTEMPT);
    expect(fault.matched).toBeGreaterThan(EVERY_DYNAMODB_ATTEMPT); // the redelivery wrote the bucket
    expect(screenings.matched).toBe(2); // the message holding the parcels was delivered twice
    await expectEffectivelyOnce(env.stack, env.accepted);
    await expectDeadLetters(env.stack, []);
  });
});

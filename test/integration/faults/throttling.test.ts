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

const throttled = dynamoDbError('ProvisionedThroughputExceededException');

describe('DynamoDB throttling (ProvisionedThroughputExceeded) during screening', () => {
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

  it('absorbs a short throttle of a decision write within the SDK retries', async () => {
    // Prepare
    const manifest = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'THROTTLE-SHORT',
      parcelCount: 5,
    });
    const target = parcelKey(manifest.partnerId, manifest.parcels[2]!.parcelId);
    const fault = faults.inject({
      operation: 'PutItem',
      resource: stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === target,
      times: 2,
      fault: throttled,
    });
    // Act
    await post(manifest);
    await stack.waitForIdle(25_000);
    // Assess
    expect(fault).toMatchObject({ injected: 2, matched: 3 });
    await expectEffectivelyOnce(stack, accepted);
    await expectDeadLetters(stack, []);
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
      resource: stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === target,
      times: 3,
      fault: throttled,
    });
    // Act
    await post(manifest);
    await stack.waitForIdle(25_000);
    // Assess
    expect(fault).toMatchObject({ injected: 3, matched: 4 });
    await expectEffectivelyOnce(stack, accepted);
    await expectDeadLetters(stack, []);
  });

  it('counts history once when a history counter write is throttled past the SDK retries and the record is redelivered', async () => {
    // Prepare: one consignee for all parcels, so their counts share one bucket write
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'THROTTLE-HISTORY',
      parcelCount: 12,
      consignees: 1,
      consigneeOffset: 400,
    });
    const consignee = derivePartyKeys(manifest.parcels[0]!, stack.partyKeySalt).consignee;
    const fault = faults.inject({
      operation: 'UpdateItem',
      resource: stack.tables.partyHistory,
      when: (request) =>
        keyAttribute(request, 'pk')?.endsWith(`#${consignee}`) === true &&
        keyAttribute(request, 'sk')?.startsWith('D#') === true,
      times: 3,
      fault: throttled,
    });
    // Act
    await post(manifest);
    await stack.waitForIdle(25_000);
    // Assess
    expect(fault.injected).toBe(3);
    expect(fault.matched).toBeGreaterThan(3);
    await expectEffectivelyOnce(stack, accepted);
    await expectDeadLetters(stack, []);
  });
});

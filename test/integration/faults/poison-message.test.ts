import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbParcelStore } from '../../../functions/adapters/dynamodb-parcel-store.js';
import { regionOf } from '../../../functions/core/access/offices.js';
import { derivePartyKeys } from '../../../functions/core/parties/party-keys.js';
import { computeManifestFacts } from '../../../functions/core/screening/manifest-facts.js';
import { buildRegionalScreeningMessages } from '../../../functions/ingest/screening-messages.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../../functions/local/embedded-stack.js';
import { FaultPlan } from '../../../functions/local/fault-proxy.js';
import { syntheticManifest } from '../../../functions/local/synthetic-manifests.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../../support/effects.js';
import { RUILI_MANIFEST, readSample } from '../../support/factories.js';
import { OFFICES } from '../../support/screening-messages.js';

describe('a malformed screening message', () => {
  const faults = new FaultPlan();
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('goes to the DLQ after maxReceiveCount receives while the rest of its batch is screened once', async () => {
    // Prepare: a manifest handed over as ingest does (parcels stored, screening messages built), sent
    // in one SendMessageBatch with a message that can never be parsed, so they arrive in one batch
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'POISON-BATCH',
      parcelCount: 30,
      consignees: 5,
    });
    // Each parcel is screened in the region of its inspection office
    const regions = manifest.parcels.map((parcel) => regionOf(OFFICES, parcel.route.inspectionOffice)!);
    const receivedAt = new Date().toISOString();
    await new DynamoDbParcelStore(stack.db, stack.tables.parcels).putAll(
      manifest.parcels.map((parcel, index) => ({
        partnerId: manifest.partnerId,
        manifestId: manifest.manifestId,
        region: regions[index]!,
        receivedAt,
        parcel,
      })),
    );
    const partyKeys = manifest.parcels.map((parcel) => derivePartyKeys(parcel, stack.partyKeySalt));
    const manifestFacts = computeManifestFacts(manifest, partyKeys);
    const messages = buildRegionalScreeningMessages(
      manifest,
      receivedAt,
      manifest.parcels.map((parcel, index) => ({
        region: regions[index]!,
        item: { parcel, partyKeys: partyKeys[index]!, manifestFacts: manifestFacts[index]! },
      })),
    );
    const poison = JSON.stringify({ type: 'ScreeningRequested', version: 1, items: 'not a list' });
    const screenings = faults.observe({ operation: 'BatchGetItem', resource: stack.tables.decisions });
    // Act
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.screening.url,
        Entries: [
          { Id: 'm0', MessageBody: JSON.stringify(messages[0]) },
          { Id: 'poison', MessageBody: poison },
          ...messages
            .slice(1)
            .map((message, index) => ({ Id: `m${index + 1}`, MessageBody: JSON.stringify(message) })),
        ],
      }),
    );
    await stack.waitForIdle(25_000);
    // Assess: the good messages were screened once each, on the first receive
    expect(messages.length).toBeGreaterThan(1);
    expect(screenings.matched).toBe(messages.length);
    await expectDeadLetters(stack, [poison]);
    await expectEffectivelyOnce(stack, manifest.parcels.length);
  });
});

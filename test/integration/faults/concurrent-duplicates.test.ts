import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbParcelStore } from '../../../functions/adapters/dynamodb-parcel-store.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../../functions/local/embedded-stack.js';
import { syntheticManifest } from '../../../functions/local/synthetic-manifests.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../../support/effects.js';
import { postAsPartner, storedParcelsOf } from '../../support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../../support/factories.js';

describe('the same manifest posted twice concurrently', () => {
  let stack: EmbeddedStack;
  let accepted = 0;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('accepts both deliveries with one answer and screens every parcel once', async () => {
    // Prepare: two deliveries of the same bytes, as a partner whose first attempt timed out resends
    const manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'TWICE-CONCURRENT',
      parcelCount: 40,
      consignees: 3,
    });
    const body = JSON.stringify(manifest);
    // Act
    const [first, second] = await Promise.all([
      postAsPartner(stack, manifest.partnerId, body),
      postAsPartner(stack, manifest.partnerId, body),
    ]);
    await stack.waitForIdle(25_000);
    accepted += manifest.parcels.length;
    // Assess
    expect(first.status).toBe(202);
    expect(second).toEqual({ ...first, headers: second.headers });
    await expectEffectivelyOnce(stack, accepted);
    await expectDeadLetters(stack, []);
  });

  it('accepts one of two different bodies posted concurrently under one manifest id and stores only its parcels', async () => {
    // Prepare
    const original = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'TWICE-DIFFERENT',
      parcelCount: 6,
    });
    const altered = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'TWICE-DIFFERENT',
      parcelCount: 9,
    });
    // Act
    const responses = await Promise.all([
      postAsPartner(stack, original.partnerId, JSON.stringify(original)),
      postAsPartner(stack, altered.partnerId, JSON.stringify(altered)),
    ]);
    await stack.waitForIdle(25_000);
    // Assess
    expect(responses.map((response) => response.status).sort()).toEqual([202, 409]);
    const winner = responses[0]!.status === 202 ? original : altered;
    accepted += winner.parcels.length;
    const stored = await storedParcelsOf(stack.db, stack.tables.parcels, winner.partnerId, winner.manifestId);
    expect(stored.map((record) => record.parcel.parcelId).sort()).toEqual(
      winner.parcels.map((parcel) => parcel.parcelId).sort(),
    );
    await expectEffectivelyOnce(stack, accepted);
  });

  it('accepts one of two different manifests sharing a parcel id posted concurrently, and never overwrites its parcel', async () => {
    // Prepare: two manifests of one partner; the second reuses a parcel id of the first
    const first = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'SHARED-ID-A',
      parcelCount: 5,
    });
    const second = syntheticManifest(readSample(SHENZHEN_MANIFEST), {
      manifestId: 'SHARED-ID-B',
      parcelCount: 5,
    });
    const shared = first.parcels[2]!.parcelId;
    second.parcels[4] = { ...second.parcels[4]!, parcelId: shared };

    // Act
    const responses = await Promise.all([
      postAsPartner(stack, first.partnerId, JSON.stringify(first)),
      postAsPartner(stack, second.partnerId, JSON.stringify(second)),
    ]);
    await stack.waitForIdle(25_000);

    // Assess: one wins; the other is refused, naming the shared id, and owns no stored parcel of that id
    const statuses = responses.map((response) => response.status);
    expect(statuses).toContain(202);
    expect(statuses).toContain(409);
    const refused = responses.find((response) => response.status === 409)!;
    expect(JSON.stringify(refused.body)).toContain(shared);
    const winner = responses[0]!.status === 202 ? first : second;
    const store = new DynamoDbParcelStore(stack.db, stack.tables.parcels);
    const owners = await store.manifestsOf(winner.partnerId, [shared], new Date().toISOString());
    expect(owners.get(shared)).toBe(winner.manifestId);
    accepted += winner.parcels.length;
    await expectEffectivelyOnce(stack, accepted);
  });
});

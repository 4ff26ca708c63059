import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Parcel } from '../../events/manifest-v1.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { historyKeysOf } from '../../functions/core/parties/history-model.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import { checkEffects } from '../../functions/local/effects-check.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';

describe('the effects check of the load test', () => {
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack({});
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('reports a rule counter in a region that screened no parcel, as hits that should not be', async () => {
    // Prepare: nothing screened, yet a hit counted under guangdong
    await stack.db.send(
      new UpdateCommand({
        TableName: stack.tables.ruleStatistics,
        Key: { ruleId: 'new-consignee', counter: 'guangdong#2026-11-28#1' },
        UpdateExpression: 'ADD hits :one',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );

    // Act
    const report = await checkEffects(stack);

    // Assess
    expect(report.ruleHits).toEqual([
      { key: 'guangdong#2026-11-28#1 of new-consignee', counter: 'hits', expected: 0, actual: 1 },
    ]);
  });

  it('reports party history counted in a region where no accepted parcel implies the key', async () => {
    // Prepare: a manifest screened; then its yunnan-guangxi parcels counted a second time in guangdong
    const manifest = readSample(RUILI_MANIFEST);
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await stack.waitForIdle(20_000);
    expect((await checkEffects(stack)).history).toEqual([]);
    const parcels = await scanAll(stack.db, stack.tables.parcels);
    const keysOf = (items: typeof parcels) =>
      new Set(
        items.flatMap((item) => historyKeysOf(derivePartyKeys(item.parcel as Parcel, stack.partyKeySalt))),
      );
    const elsewhere = parcels.filter((item) => item.region !== 'guangdong');
    const inGuangdong = keysOf(parcels.filter((item) => item.region === 'guangdong'));
    const unimplied = [...keysOf(elsewhere)].filter((key) => !inGuangdong.has(key));
    expect(unimplied.length).toBeGreaterThan(0);
    await new DynamoDbPartyHistory(stack.db, stack.tables.partyHistory).record(
      elsewhere.map((item) => ({
        parcelKey: String(item.pk),
        region: 'guangdong',
        observedAt: new Date().toISOString(),
        keys: derivePartyKeys(item.parcel as Parcel, stack.partyKeySalt),
        originCity: 'Ruili',
        flagged: true,
      })),
    );

    // Act
    const report = await checkEffects(stack);

    // Assess: each of those keys, under guangdong, as shipments and flags that should not be there
    const outside = (counter: string) =>
      report.history
        .filter((mismatch) => mismatch.counter === counter)
        .map(({ key, expected }) => ({ key, expected }))
        .sort((a, b) => a.key.localeCompare(b.key));
    const expected = unimplied
      .map((key) => ({ key: `guangdong#${key}`, expected: 0 }))
      .sort((a, b) => a.key.localeCompare(b.key));
    expect(outside('shipments')).toEqual(expected);
    expect(outside('flags')).toEqual(expected);
  });
});

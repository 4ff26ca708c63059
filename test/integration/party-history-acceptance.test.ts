import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, Parcel } from '../../events/manifest-v1.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { loadSharingAgreements } from '../../functions/adapters/file-sharing-agreements.js';
import type { PartyKeys } from '../../functions/core/parties/party-keys.js';
import { derivePartyKeys } from '../../functions/core/parties/party-keys.js';
import type { HistoryFacts } from '../../functions/core/screening/facts.js';
import { type EmbeddedStack, REPO_ROOT, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { FaultPlan, type InjectedFault } from '../../functions/local/fault-proxy.js';
import { expectEffectivelyOnce } from '../support/effects.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { aManifest, aParcel } from '../support/factories.js';

/**
 * Issue 4's acceptance: one phone under five spellings of a consignee, across three manifests from
 * partners in two regions (yunnan-guangxi and guangdong share phones by agreement). The fifth parcel is
 * flagged for it; then every screening message is delivered twice more and no counter moves.
 */

const PHONE = '+86 139 0771 8842';
const SPELLINGS = ['张伟', '張偉', 'Zhang Wei', 'Cheung Wai', 'Chang Wei'] as const;

const parcelFor = (parcelId: string, name: string, inspectionOffice: string, weightKg: number): Parcel => {
  const parcel = aParcel({ parcelId, declaredGrossWeightKg: weightKg, measuredWeightKg: weightKg });
  parcel.consignee = { ...parcel.consignee, name, phone: PHONE };
  parcel.route = { ...parcel.route, inspectionOffice };
  return parcel;
};

const manifestOf = (partnerId: string, manifestId: string, parcels: Parcel[]): Manifest => ({
  ...aManifest({ manifestId, partnerId }),
  parcels,
});

/** In screening order: each manifest is screened (and counted) before the next is posted. */
const MANIFESTS = [
  manifestOf('southwest-freight', 'ACC-SWF-1', [
    parcelFor('ACC-P1', SPELLINGS[0], 'nanning-customs', 1.2),
    parcelFor('ACC-P2', SPELLINGS[1], 'nanning-customs', 3.4),
  ]),
  manifestOf('pearl-express', 'ACC-PEX-1', [
    parcelFor('ACC-P3', SPELLINGS[2], 'wuzhou-customs', 2.1),
    parcelFor('ACC-P4', SPELLINGS[3], 'wuzhou-customs', 5.6),
  ]),
  manifestOf('lingnan-parcel', 'ACC-LNP-1', [parcelFor('ACC-P5', SPELLINGS[4], 'guangzhou-customs', 1.7)]),
];
const PARCELS = MANIFESTS.flatMap((manifest) => manifest.parcels);
const REGIONS = ['yunnan-guangxi', 'guangdong'];

describe('party history acceptance on the embedded stack', () => {
  const faults = new FaultPlan();
  const screeningBodies: string[] = [];
  let stack: EmbeddedStack;
  let capture: InjectedFault;
  let history: DynamoDbPartyHistory;
  let keys: PartyKeys[];

  const readCounters = async (now: string): Promise<Record<string, HistoryFacts[]>> =>
    Object.fromEntries(
      await Promise.all(REGIONS.map(async (region) => [region, await history.summarize(keys, region, now)])),
    );

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults });
    // Every body ingest sends to the screening queue, exactly as sent.
    capture = faults.observe({
      operation: 'SendMessageBatch',
      when: (request) => {
        if (!String(request.body.QueueUrl).endsWith('-screening')) return false;
        const entries = request.body.Entries as { MessageBody: string }[];
        screeningBodies.push(...entries.map((entry) => entry.MessageBody));
        return true;
      },
    });
    history = new DynamoDbPartyHistory(
      stack.db,
      stack.tables.partyHistory,
      loadSharingAgreements(`${REPO_ROOT}/rules/sharing/agreements.yaml`),
    );
    keys = PARCELS.map((parcel) => derivePartyKeys(parcel, stack.partyKeySalt));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('flags the fifth parcel for a phone used under five spellings across two regions, and only it', async () => {
    // Act
    for (const manifest of MANIFESTS) {
      const accepted = await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest));
      expect(accepted.status).toBe(202);
      await stack.waitForIdle();
    }

    // Assess
    const decisions = new Map(
      (await scanAll(stack.db, stack.tables.decisions)).map((decision) => [decision.parcelId, decision]),
    );
    const fired = PARCELS.map(({ parcelId }) =>
      (decisions.get(parcelId)!.firedRules as { ruleId: string }[]).map((rule) => rule.ruleId),
    );
    expect(fired.map((ruleIds) => ruleIds.includes('phone-many-consignees'))).toEqual([
      false,
      false,
      false,
      false,
      true,
    ]);
    const fifth = decisions.get('ACC-P5')!;
    expect(fifth).toMatchObject({ region: 'guangdong' });
    expect(fifth.lane).not.toBe('release');
    expect(fifth.facts.history.phone).toMatchObject({
      known: false,
      distinctCounterparts: 0,
      sharedDistinctCounterparts: 5,
    });
    expect(new Set(keys.map((parcelKeys) => parcelKeys.consignee)).size).toBe(1);
    expect(new Set(keys.map((parcelKeys) => parcelKeys.consigneeName)).size).toBe(5);
  });

  it('leaves every history counter unchanged when every screening message is delivered twice more', async () => {
    // Prepare
    capture.clear();
    expect(screeningBodies).toHaveLength(MANIFESTS.length);
    const allKeys = [...new Set(keys.flatMap((parcelKeys) => Object.values(parcelKeys) as string[]))];
    const now = new Date().toISOString();
    const before = await readCounters(now);
    const nodesBefore = await Promise.all(REGIONS.map((region) => history.nodes(allKeys, region, now)));
    const screenings = faults.observe({ operation: 'BatchGetItem', resource: stack.tables.decisions });

    // Act
    for (const round of [1, 2]) {
      await stack.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: stack.queues.screening.url,
          Entries: screeningBodies.map((body, index) => ({ Id: `r${round}-${index}`, MessageBody: body })),
        }),
      );
    }
    await stack.waitForIdle();

    // Assess
    expect(screenings.matched).toBeGreaterThanOrEqual(2 * MANIFESTS.length);
    expect(await readCounters(now)).toEqual(before);
    expect(await Promise.all(REGIONS.map((region) => history.nodes(allKeys, region, now)))).toEqual(
      nodesBefore,
    );
    expect(before['yunnan-guangxi']![3]!.phone).toMatchObject({ parcels90d: 4, distinctCounterparts: 4 });
    expect(before.guangdong![4]!.phone).toMatchObject({ parcels90d: 1, sharedDistinctCounterparts: 5 });
    await expectEffectivelyOnce(stack, PARCELS.length);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParcelFlaggedSchema } from '../../events/parcel-flagged-v1.js';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { DynamoDbPastParcels } from '../../functions/adapters/dynamodb-past-parcels.js';
import { priorityKey } from '../../functions/adapters/dynamodb-review-queue.js';
import { DynamoDbRuleStatistics } from '../../functions/adapters/dynamodb-rule-statistics.js';
import { CONTROL_SAMPLE_COUNTER } from '../../functions/core/screening/control-sample.js';
import { aggregateRuleStatistics } from '../../functions/core/statistics/rule-statistics.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { expectEffectivelyOnce } from '../support/effects.js';
import { drainQueue, postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { asStaff, partnerStatus, tokenFor } from '../support/staff.js';

const SEIZURE = {
  outcome: 'seized',
  seizure: { substance: 'heroin', quantity: { amount: 1.5, unit: 'kg' }, concealment: 'phone case lining' },
};

/**
 * Control samples on the embedded stack with every released parcel picked (1000 per thousand): the
 * Shenzhen sample's three ordinary parcels are held for inspection, the Ruili furniture is held by its rules.
 */
describe('control samples on the embedded stack', () => {
  let stack: EmbeddedStack;
  /** Every decision of this test is made after this: the backtest reads from it on. */
  const started = new Date().toISOString();

  beforeAll(async () => {
    stack = await startEmbeddedStack({
      visibilityTimeoutSeconds: 1,
      env: { CONTROL_SAMPLE_PER_MILLE: '1000' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('holds released parcels for inspection, tells the officer why, and hides it from the partner', async () => {
    // Prepare
    const nanning = await tokenFor('officer', 'nanning');
    // Act
    const ordinary = await postAsPartner(
      stack,
      'pearl-express',
      JSON.stringify(readSample(SHENZHEN_MANIFEST)),
    );
    const furniture = await postAsPartner(
      stack,
      'southwest-freight',
      JSON.stringify(readSample(RUILI_MANIFEST)),
    );
    await stack.waitForIdle();
    const queue = await asStaff(stack.apiUrl, nanning, 'GET', '/v1/inspections?office=nanning-customs');
    const status = await partnerStatus(stack, 'pearl-express', readSample(SHENZHEN_MANIFEST).manifestId);
    const inspection = (await drainQueue(stack.sqs, stack.queues.inspection.url)).map((body) =>
      ParcelFlaggedSchema.parse(JSON.parse(body)),
    );
    // Assess
    expect([ordinary.status, furniture.status]).toEqual([202, 202]);
    const decisions = await scanAll(stack.db, stack.tables.decisions);
    const sampled = decisions.filter((decision) => decision.controlSample === true);
    expect(sampled.map((decision) => decision.parcelId).sort()).toEqual(
      readSample(SHENZHEN_MANIFEST)
        .parcels.map((parcel) => parcel.parcelId)
        .sort(),
    );
    for (const decision of sampled) expect(decision).toMatchObject({ lane: 'hold' });
    // Only what the rules release is sampled: the furniture (hold) and its companion (review) are not
    const byRules = decisions
      .filter((decision) => decision.partnerId === 'southwest-freight')
      .map((decision) => [decision.parcelId, decision.lane, decision.controlSample ?? 'not sampled'])
      .sort();
    expect(byRules).toEqual([
      ['SWF7781000123', 'hold', 'not sampled'],
      ['SWF7781000124', 'review', 'not sampled'],
    ]);
    // Samples wait in the queue where the rule set's holds start (60), not at their own low score
    const stored = await scanAll(stack.db, stack.tables.reviewQueue);
    const storedSamples = stored.filter((entry) => entry.controlSample === true);
    expect(storedSamples).toHaveLength(3);
    for (const item of storedSamples) {
      expect(item.score).toBeLessThan(60);
      expect(item.queueScore).toBe(60);
      expect(item.priority).toBe(priorityKey(60, item.flaggedAt, item.parcelKey));
    }

    expect(queue.status).toBe(200);
    expect(queue.body.items).toHaveLength(3);
    for (const item of queue.body.items)
      expect(item.decision).toMatchObject({ lane: 'hold', controlSample: true });

    expect(status.body.parcels).toHaveLength(3);
    for (const parcel of status.body.parcels)
      expect(parcel).toMatchObject({ status: 'hold', referralId: expect.any(String) });
    expect(status.text).not.toMatch(/control|sample|random/i);

    const sampledMessages = inspection.filter((message) => message.controlSample === true);
    expect(sampledMessages.map((message) => message.parcelId).sort()).toEqual(
      sampled.map((decision) => decision.parcelId).sort(),
    );
    const furnitureMessage = inspection.find((message) => message.parcelId === 'SWF7781000123');
    expect(furnitureMessage).toMatchObject({ lane: 'hold' });
    expect(furnitureMessage).not.toHaveProperty('controlSample');
    await expectEffectivelyOnce(stack, 5);
  });

  it("counts samples and their outcomes apart from the rules, and not as their parties' flags", async () => {
    // Prepare
    const nanning = await tokenFor('officer', 'nanning');
    const analyst = await tokenFor('analyst');
    const parcelId = readSample(SHENZHEN_MANIFEST).parcels[0]!.parcelId;
    const path = `/v1/inspections/pearl-express/${parcelId}`;
    // Act
    const claimed = await asStaff(stack.apiUrl, nanning, 'POST', `${path}/claim`);
    const seized = await asStaff(stack.apiUrl, nanning, 'POST', `${path}/outcome`, SEIZURE);
    const statistics = aggregateRuleStatistics(
      await new DynamoDbRuleStatistics(stack.db, stack.tables.ruleStatistics).read('yunnan-guangxi'),
    );
    const served = await asStaff(stack.apiUrl, analyst, 'GET', '/v1/rules/statistics?region=yunnan-guangxi');
    const past = [];
    for await (const page of new DynamoDbPastParcels(
      stack.db,
      stack.tables.decisions,
      stack.tables.reviewQueue,
    ).decidedBetween(started, new Date().toISOString()))
      past.push(...page);
    // Assess
    expect([claimed.status, seized.status]).toEqual([200, 200]);
    expect(statistics.find((rule) => rule.ruleId === CONTROL_SAMPLE_COUNTER)).toMatchObject({
      hits: 3,
      inspections: 1,
      seizures: 1,
    });
    // The rules that fired on the seized sample keep the precision of the parcels they flagged
    expect(statistics.find((rule) => rule.ruleId === 'new-consignee')).toMatchObject({
      inspections: 0,
      seizures: 0,
    });
    expect(served.status).toBe(200);
    expect(JSON.stringify(served.body)).toContain(CONTROL_SAMPLE_COUNTER);
    // The samples' counter is no rule of the rule set: served apart from its rules, with no title
    const servedRows = served.body.rules as { ruleId: string }[];
    expect(servedRows.find((row) => row.ruleId === CONTROL_SAMPLE_COUNTER)).toEqual({
      ruleId: CONTROL_SAMPLE_COUNTER,
      hits: 3,
      inspections: 1,
      seizures: 1,
      precision: 1,
      inspectionRate: 0.3333,
      inRuleSet: false,
      title: null,
      enabled: null,
    });
    expect(servedRows.find((row) => row.ruleId === 'new-consignee')).toMatchObject({
      inspections: 0,
      inRuleSet: true,
      enabled: true,
    });
    const sampledPast = past.find((parcel) => parcel.parcelKey === `pearl-express#${parcelId}`);
    expect(sampledPast).toMatchObject({ lane: 'release', outcome: 'seized' });
    expect(past.find((parcel) => parcel.parcelKey === 'southwest-freight#SWF7781000123')).toMatchObject({
      lane: 'hold',
    });
    const item = (await scanAll(stack.db, stack.tables.reviewQueue)).find(
      (entry) => entry.parcelId === parcelId,
    )!;
    const [history] = await new DynamoDbPartyHistory(stack.db, stack.tables.partyHistory).summarize(
      [item.partyKeys],
      'yunnan-guangxi',
      new Date().toISOString(),
    );
    expect(history!.consignee).toMatchObject({ flags: 0, seizures: 1 });
  });
});

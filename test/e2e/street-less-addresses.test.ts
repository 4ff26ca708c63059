import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Parcel } from '../../events/manifest-v1.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample, SHENZHEN_MANIFEST } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';

/**
 * An address that names no street ("Room 1, Wuzhou") says no more than its city. Were it keyed, every
 * such address of the city would be one party: one seizure at "Room 1, Wuzhou" would count, through the
 * yunnan-guangxi–guangdong sharing agreement, against a stranger's parcel to "Flat 22, Wuzhou" sent by
 * another partner to another region's office.
 */
describe('a consignee address that names no street', () => {
  let stack: EmbeddedStack;

  const decisionOf = async (parcelKey: string) => {
    const decision = (await scanAll(stack.db, stack.tables.decisions)).find(
      (item) => item.parcelKey === parcelKey,
    );
    if (decision === undefined) throw new Error(`no decision for ${parcelKey}`);
    return {
      lane: decision.lane as string,
      sharedSeizures: decision.facts.history.sharedSeizures as number,
      parties: decision.facts.parties as Record<string, string>,
      fired: (decision.firedRules as { ruleId: string }[]).map((rule) => rule.ruleId),
    };
  };

  beforeAll(async () => {
    stack = await startEmbeddedStack({ logLevel: 'warn' });
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('gets no address key, so a seizure at another street-less address of its city is not shared against it', async () => {
    // Prepare: southwest-freight's parcel to "Room 1", Wuzhou, held at wuzhou-customs (yunnan-guangxi) and seized
    const ruili = readSample(RUILI_MANIFEST);
    const seized = {
      ...ruili.parcels[0]!,
      parcelId: 'STREETLESS-A1',
      consignee: {
        ...ruili.parcels[0]!.consignee,
        address: { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line: 'Room 1' },
      },
    };
    const first = { ...ruili, manifestId: 'STREETLESS-A', parcels: [seized] };
    expect((await postAsPartner(stack, ruili.partnerId, JSON.stringify(first))).status).toBe(202);
    await stack.waitForIdle(60_000);
    const officer = await tokenFor('officer', 'wuzhou');
    const path = '/v1/inspections/southwest-freight/STREETLESS-A1';
    expect((await asStaff(stack.apiUrl, officer, 'POST', `${path}/claim`)).status).toBe(200);
    const seizure = {
      outcome: 'seized',
      seizure: { substance: 'heroin', quantity: { amount: 1, unit: 'kg' }, concealment: 'panel' },
    };
    expect((await asStaff(stack.apiUrl, officer, 'POST', `${path}/outcome`, seizure)).status).toBe(200);
    await stack.waitForIdle(60_000);

    // Act: lingnan-parcel sends strangers' parcels to guangzhou-customs (guangdong): one to "Flat 22",
    // Wuzhou, one to a street, and one to the seized parcel's consignee phone (the sharing still works)
    const shenzhen = readSample(SHENZHEN_MANIFEST);
    const toWuzhou = (parcelId: string, line: string, phone: string, name: string): Parcel => ({
      ...structuredClone(shenzhen.parcels[0]!),
      parcelId,
      route: { ...shenzhen.parcels[0]!.route, inspectionOffice: 'guangzhou-customs' },
      consignee: {
        ...shenzhen.parcels[0]!.consignee,
        name,
        phone,
        address: { country: 'CN', region: 'Guangxi', city: 'Wuzhou', line },
      },
    });
    const second = {
      ...structuredClone(shenzhen),
      partnerId: 'lingnan-parcel',
      manifestId: 'STREETLESS-B',
      parcels: [
        toWuzhou('STREETLESS-B1', 'Flat 22', '+86 139 1111 2222', 'Chen Jie'),
        toWuzhou('STREETLESS-B2', '18 Xijiang Road, Flat 22', '+86 139 3333 4444', 'Liu Yang'),
        toWuzhou('STREETLESS-B3', 'Flat 9', seized.consignee.phone, 'Wang Fang'),
      ],
    };
    expect((await postAsPartner(stack, 'lingnan-parcel', JSON.stringify(second))).status).toBe(202);
    await stack.waitForIdle(60_000);
    const [seizedDecision, stranger, withStreet, samePhone] = await Promise.all([
      decisionOf('southwest-freight#STREETLESS-A1'),
      decisionOf('lingnan-parcel#STREETLESS-B1'),
      decisionOf('lingnan-parcel#STREETLESS-B2'),
      decisionOf('lingnan-parcel#STREETLESS-B3'),
    ]);

    // Assess: the stranger meets no shared seizure, as neither street-less parcel has an address key
    expect(stranger.fired).not.toContain('shared-seizures');
    expect(stranger).toMatchObject({ sharedSeizures: 0 });
    expect(seizedDecision.parties).not.toHaveProperty('address');
    expect(stranger.parties).not.toHaveProperty('address');
    expect(withStreet.parties.address).toMatch(/^ad_/);
    expect(withStreet).toMatchObject({ lane: 'release', sharedSeizures: 0 });
    expect(samePhone.sharedSeizures).toBe(1);
    expect(samePhone.fired).toContain('shared-seizures');
  }, 180_000);
});

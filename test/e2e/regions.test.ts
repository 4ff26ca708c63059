import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { postAsPartner } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';
import { asStaff, tokenFor } from '../support/staff.js';

/**
 * A partner of one region may route a parcel to another region's office (Ruili furniture inspected in
 * Guangzhou). That region's officers see the decision and its facts, so the parcel is screened with, and
 * feeds back into, that region's own history; the partner's region reaches it only as shared intelligence.
 */
describe('a parcel routed to another region’s office', () => {
  let stack: EmbeddedStack;
  const sample = readSample(RUILI_MANIFEST);
  const furniture = sample.parcels[0]!; // consignee 139 7741 2080, inspected at wuzhou-customs (yunnan-guangxi)
  const copyOf = (parcelId: string, inspectionOffice: string) => ({
    ...furniture,
    parcelId,
    route: { ...furniture.route, inspectionOffice },
  });
  const queueOf = async (officer: string, office: string) =>
    (
      await asStaff(
        stack.apiUrl,
        await tokenFor('officer', officer),
        'GET',
        `/v1/inspections?office=${office}`,
      )
    ).body.items as {
      parcelId: string;
      region: string;
      partyKeys: { consignee: string };
      consigneeHistory: Record<string, unknown>;
    }[];

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is screened with the history of its office’s region, not the partner’s', async () => {
    // Prepare: the consignee's history in yunnan-guangxi, two parcels inspected at wuzhou-customs
    const atHome = {
      ...sample,
      manifestId: 'REGIONS-HOME',
      parcels: [copyOf('REG-1', 'wuzhou-customs'), copyOf('REG-2', 'wuzhou-customs')],
    };
    expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(atHome))).status).toBe(202);
    await stack.waitForIdle();

    // Act: the same consignee's next parcels go to guangzhou-customs (guangdong), then to wuzhou again
    for (const [manifestId, parcelId, office] of [
      ['REGIONS-AWAY', 'REG-3', 'guangzhou-customs'],
      ['REGIONS-BACK', 'REG-4', 'wuzhou-customs'],
    ] as const) {
      const manifest = { ...sample, manifestId, parcels: [copyOf(parcelId, office)] };
      expect((await postAsPartner(stack, 'southwest-freight', JSON.stringify(manifest))).status).toBe(202);
      await stack.waitForIdle();
    }
    const away = (await queueOf('guangzhou', 'guangzhou-customs')).find((item) => item.parcelId === 'REG-3')!;
    const back = (await queueOf('wuzhou', 'wuzhou-customs')).find((item) => item.parcelId === 'REG-4')!;

    // Assess: guangdong's officer sees guangdong's history of the consignee (none), not yunnan-guangxi's,
    // and the parcel did not join yunnan-guangxi's history either
    expect(away.consigneeHistory).toMatchObject({ known: false, parcels90d: 0 });
    expect(back.consigneeHistory).toMatchObject({ known: true, parcels90d: 2 });
    expect([away.region, back.region]).toEqual(['guangdong', 'yunnan-guangxi']);
  });

  it('names the region a queue item was screened in, where staff of both regions read its links', async () => {
    // Prepare: the analyst's grant spans both regions, so the links API needs the region
    const analyst = await tokenFor('analyst');
    const away = (await queueOf('guangzhou', 'guangzhou-customs')).find((item) => item.parcelId === 'REG-3')!;
    const links = (region?: string) =>
      asStaff(
        stack.apiUrl,
        analyst,
        'GET',
        `/v1/parties/${away.partyKeys.consignee}/links${region ? `?region=${region}` : ''}`,
      );

    // Act
    const withoutRegion = await links();
    const withItsRegion = await links(away.region);

    // Assess: what the console sends (the item's region) answers, and shows guangdong's one parcel
    expect(withoutRegion.status).toBe(422);
    expect(withItsRegion.status).toBe(200);
    expect(withItsRegion.body.region).toBe('guangdong');
  });
});

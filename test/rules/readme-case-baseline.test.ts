import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineFacts } from '../../functions/core/rules/cases/index.js';
import { REPO_ROOT } from '../../functions/local/embedded-stack.js';

/**
 * rules/README.md § Cases describes the baseline a case starts from whole, since a case's rule can fire on
 * what the case leaves out (a road parcel across three provinces): each of its values, read from the
 * baseline itself, is in that section.
 */

const README = readFileSync(resolve(REPO_ROOT, 'rules/README.md'), 'utf8');
const CASES = README.slice(
  README.indexOf('\n## Cases\n'),
  README.indexOf('\n## ', README.indexOf('\n## Cases\n') + 1),
);

describe("the README's baseline of a case", () => {
  const { parcel, manifest, history, now } = baselineFacts();
  const { route, shipper, consignee } = parcel;
  const goods = parcel.goods[0]!;
  const party = history.consignee;

  it.each<[string, unknown]>([
    ['the transport mode', manifest.transport.mode],
    ['the master document number', manifest.transport.masterDocumentNumber],
    ['the manifest id', manifest.manifestId],
    ['the partner', manifest.partnerId],
    ['when the manifest was submitted', manifest.submittedAt],
    ['when it was received', manifest.receivedAt],
    ["the origin's region", route.origin.region],
    ["the origin's city", route.origin.city],
    ...route.via.flatMap((stop, i): [string, unknown][] => [
      [`via point ${i}'s region`, stop.region],
      [`via point ${i}'s city`, stop.city],
    ]),
    ["the destination's region", route.destination.region],
    ['the inspection office', route.inspectionOffice],
    ["the shipper's name", shipper.name],
    ["the shipper's phone", shipper.phone],
    ["the shipper's address line", shipper.address.line],
    ["the consignee's name", consignee.name],
    ["the consignee's phone", consignee.phone],
    ["the consignee's address line", consignee.address.line],
    ["the goods' description", goods.description],
    ["the goods' HS code", goods.hsCode],
    ['the payment method', parcel.paymentMethod],
    ['the content category', parcel.contentCategory],
    ['the parcel id', parcel.parcelId],
    ['the declared gross weight', `${parcel.declaredGrossWeightKg} kg declared`],
    ['the measured weight', `${parcel.measuredWeightKg} kg measured`],
    ["a known party's first sighting", party.firstSeen],
    ["a known party's last sighting", party.lastSeen],
    ["a known party's parcels over 30 days", `\`parcels30d\` ${party.parcels30d}`],
    ["a known party's parcels over 90 days", `\`parcels90d\` ${party.parcels90d}`],
    ['now', now],
  ])('names %s', (_name, value) => {
    // Act / Assess
    expect(CASES).toContain(String(value));
  });

  it('says up front that the baseline travels by road across provinces', () => {
    // Act / Assess
    expect(manifest.transport.mode).toBe('road');
    expect(
      new Set([route.origin.region, ...route.via.map((stop) => stop.region), route.destination.region]).size,
    ).toBe(3);
    expect(CASES).toContain('**travels by road across three provinces**');
  });
});

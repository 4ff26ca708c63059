import type { DeclaredTally } from '../../functions/core/screening/tallies.js';

/** A tally counting parcels, as a compiled rule set declares it: read on the consignee and the address. */
export const aCountTally = (id: string, counter: string, days: number): DeclaredTally => ({
  id,
  counter,
  days,
  distinct: false,
  sum: false,
  parties: ['consignee', 'address'],
});

/** The tally `phones`, of distinct consignee phones, as a compiled rule set declares it: read on the consignee. */
export const aPhonesTally = (counter: string, days: number): DeclaredTally => ({
  id: 'phones',
  counter,
  days,
  distinct: true,
  sum: false,
  parties: ['consignee'],
});

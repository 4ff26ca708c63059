/**
 * The facts of an address's history, in the catalogue's order: what `npm run rules -- facts
 * history.address` lists, and what the catalogue gives under that prefix.
 */
export const ADDRESS_HISTORY_FACTS = [
  'history.address',
  'history.address.known',
  'history.address.firstSeen',
  'history.address.lastSeen',
  'history.address.parcels7d',
  'history.address.parcels30d',
  'history.address.parcels90d',
  'history.address.distinctCounterparts',
  'history.address.sharedDistinctCounterparts',
  'history.address.distinctOrigins',
  'history.address.flags',
  'history.address.inspections',
  'history.address.seizures',
  'history.address.lastSeizureAt',
  'history.address.tallies',
];

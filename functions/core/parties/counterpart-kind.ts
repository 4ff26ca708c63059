import type { PartyKeyKind, PartyKeys } from './party-keys.js';

/**
 * Whose distinct count `distinctCounterparts` is, per kind of party: shippers per consignee, consignees
 * per shipper, names per phone (the consignee key is the phone's own anchor), consignees per address,
 * consignees per ID document.
 */
export const COUNTERPART_KIND: Readonly<Record<PartyKeyKind, PartyKeyKind | null>> = {
  consignee: 'shipper',
  shipper: 'consignee',
  phone: 'name',
  address: 'consignee',
  idDocument: 'consignee',
  name: null,
};

/**
 * The counterpart each shared indicator kind is counted against (COUNTERPART_KIND), read off one
 * parcel's keys: names per phone, shippers per consignee, consignees per address and per ID document.
 */
export const counterpartOnParcel = (kind: PartyKeyKind, keys: PartyKeys): string | undefined => {
  switch (COUNTERPART_KIND[kind]) {
    case 'name':
      return keys.consigneeName;
    case 'shipper':
      return keys.shipper;
    case 'consignee':
      return keys.consignee;
    default:
      return undefined;
  }
};

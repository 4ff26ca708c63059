import type { IdDocument } from '../../../events/manifest-v1.js';
import { foldText } from './text.js';

const numberOf = (document: IdDocument): string =>
  foldText(document.number)
    .toUpperCase()
    .replace(/[^0-9A-Z]/gu, '');

/**
 * ID documents to `type:NUMBER`: NFKC folding (full-width digits and letters), upper case, and
 * everything but letters and digits dropped (`4401 0619 9001 0112 3x` → `44010619900101123X`).
 * The type stays in the key: a passport and a national ID with the same digits are different documents.
 */
export const normalizeIdDocument = (document: IdDocument): string => `${document.type}:${numberOf(document)}`;

/**
 * What an ID document key is derived from: the normalized document, or undefined when its number keeps
 * no letter or digit (`无`, `不详`, `-`). Keyed, every such number of one type would be one document,
 * whose history, links and shared seizures strangers would share. It is not refused at the contract: a
 * partner cannot make up a number the label leaves blank, and refusing would hold back the parcel. The
 * parcel is screened as one without an ID document (derivePartyKeys).
 */
export const keyedIdDocument = (document: IdDocument): string | undefined =>
  numberOf(document) === '' ? undefined : normalizeIdDocument(document);

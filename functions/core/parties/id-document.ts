import type { IdDocument } from '../../../events/manifest-v1.js';
import { foldText } from './text.js';

/**
 * ID documents to `type:NUMBER`: NFKC folding (full-width digits and letters), upper case, and
 * everything but letters and digits dropped (`4401 0619 9001 0112 3x` → `44010619900101123X`).
 * The type stays in the key: a passport and a national ID with the same digits are different documents.
 */
export const normalizeIdDocument = (document: IdDocument): string =>
  `${document.type}:${foldText(document.number)
    .toUpperCase()
    .replace(/[^0-9A-Z]/gu, '')}`;

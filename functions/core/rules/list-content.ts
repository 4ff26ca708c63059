import { contentVersion } from './canonical-hash.js';
import type { ListDocument } from './rule-set-schema.js';

/**
 * A list's content, what its versions are hashes of: the list without its `saltProof`, which says how
 * a watchlist's keys were made, not what they are (keys made with another salt differ anyway), and
 * which lists published before it existed lack. So a list loaded again unchanged is unchanged, and a
 * rule set's version does not move with it.
 */
export const listContent = (list: ListDocument): Omit<ListDocument, 'saltProof'> => {
  const { saltProof: _proof, ...content } = list;
  return content;
};

/** The content version of a list (see listContent). */
export const listContentVersion = (list: ListDocument): string => contentVersion(listContent(list));

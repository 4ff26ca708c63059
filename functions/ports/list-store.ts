import type { ListDocument } from '../core/rules/index.js';

/** One published version of a list: the list document (watchlists hashed) and who published it when. */
export interface PublishedList {
  list: ListDocument;
  /** The list's content version (`sha256:…` of its canonical content), to tell a changed list from a reload. */
  contentVersion: string;
  publishedAt: string;
  publishedBy: string;
}

/** Port: the published versions of the rule sets' lists (the `lists` table). */
export interface ListStore {
  /** The newest published version of every list. */
  newestOfEach(): Promise<PublishedList[]>;
  /** The newest published version of one list, if any. */
  newestOf(name: string): Promise<PublishedList | undefined>;
  /** Stores a version unless that version of the list is already stored; true when stored now. */
  putIfAbsent(published: PublishedList): Promise<boolean>;
}

import type { ListDocument } from '../core/rules/index.js';
import { AppError } from '../platform/errors.js';

/** One published version of a list: the list document (watchlists hashed) and who published it when. */
export interface PublishedList {
  list: ListDocument;
  /** The list's content version (`sha256:…` of its canonical content), to tell a changed list from a reload. */
  contentVersion: string;
  publishedAt: string;
  publishedBy: string;
  /** Set when this version republishes the content of an older one (`npm run lists -- rollback`). */
  rollback?: ListRollback;
}

/** A version that undoes others: `from` is the newest version it replaced, `to` the version whose content it carries. */
export interface ListRollback {
  from: number;
  to: number;
}

/**
 * What one list version may take as stored: its document as JSON in UTF-8, which is more than DynamoDB
 * counts for it. The list store keeps a version in one item of at most 400 KB; this leaves room for the
 * item's other attributes.
 */
export const LIST_VERSION_MAX_BYTES = 350_000;

export const storedBytesOf = (list: ListDocument): number =>
  new TextEncoder().encode(JSON.stringify(list)).length;

/** Port: the published versions of the rule sets' lists (the `lists` table). */
export interface ListStore {
  /** The newest published version of one list, if any. */
  newestOf(name: string): Promise<PublishedList | undefined>;
  /** Stores a version unless that version of the list is already stored; true when stored now. */
  putIfAbsent(published: PublishedList): Promise<boolean>;
}

/** Port: the list store as the publishing tools see it, with access to older versions (audit, rollback). */
export interface VersionedListStore extends ListStore {
  /** One published version of a list, if stored. */
  versionOf(name: string, version: number): Promise<PublishedList | undefined>;
  /** The newest published version of a list below `version`, if any. */
  newestBefore(name: string, version: number): Promise<PublishedList | undefined>;
}

/**
 * A stored version of a list this code cannot read: written by a newer lists tool (a field this
 * deployment does not know), or by hand. Screen refuses it as it refuses a list its rules cannot use.
 */
export class UnreadableListError extends AppError {
  constructor(
    readonly listName: string,
    readonly version: number,
    reason: string,
    cause?: unknown,
  ) {
    super(
      'LIST_ITEM_INVALID',
      `stored list ${listName} v${version} is not a list this code can read: ${reason}`,
      {
        cause,
      },
    );
  }
}

/** A stored version of a list: published as this code reads it, or unreadable (and why). */
export type StoredVersion = { version: number } & ({ published: PublishedList } | { unreadable: string });

/**
 * What the store answers, with a version this code cannot read as a value (its number, and why) rather
 * than a failure: screen refuses it, and the tools publish above it.
 */
export const readStoredVersion = async (
  read: () => Promise<PublishedList | undefined>,
): Promise<StoredVersion | undefined> => {
  try {
    const published = await read();
    return published && { version: published.list.version, published };
  } catch (error) {
    if (!(error instanceof UnreadableListError)) throw error;
    return { version: error.version, unreadable: error.message };
  }
};

/** The stored version as this code reads it; undefined when absent or unreadable. */
export const readableOf = (stored: StoredVersion | undefined): PublishedList | undefined =>
  stored !== undefined && 'published' in stored ? stored.published : undefined;

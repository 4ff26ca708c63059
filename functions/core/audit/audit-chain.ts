import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/**
 * The audit log as hash chains, one per inspection office (or other scope, e.g. `rules`): every entry
 * carries the hash of the entry before it, and its own hash covers all of its fields and that link.
 * Altering, removing or reordering a stored entry breaks the chain at that entry, as long as a later
 * entry follows it. The chain alone cannot tell that its newest entries were deleted, or that someone
 * able to write the table rewrote an entry and rehashed every entry after it: the hashes are unkeyed
 * and nothing outside the table records where each chain ends (docs/officers.md §6).
 */

export const GENESIS_HASH = '0'.repeat(64);

/** The audit chain of rule and list changes; every other chain is an inspection office's or OPERATIONS_AUDIT_CHAIN. */
export const RULES_AUDIT_CHAIN = 'rules';

/** The audit chain of operators' actions: partners added, their secrets rotated and callbacks set, dead letters redriven. */
export const OPERATIONS_AUDIT_CHAIN = 'operations';

/** Every chain there can be: one per office of the hierarchy, the rules chain and the operations chain. */
export const auditChainsOf = (officeIds: Iterable<string>): string[] => [
  ...officeIds,
  RULES_AUDIT_CHAIN,
  OPERATIONS_AUDIT_CHAIN,
];

/** An action to record, before it has a place in a chain. */
export interface AuditDraft {
  /** The chain: the inspection office the action concerns. */
  chain: string;
  /** Idempotency key: an action appended twice is recorded once. */
  actionId: string;
  actor: string;
  actorName: string;
  role: string;
  at: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  requestId: string;
}

export interface AuditEntry extends AuditDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

/** Every field of an entry that its hash covers: all of them but the hash itself. */
const COVERED_FIELDS = [
  'chain',
  'actionId',
  'actor',
  'actorName',
  'role',
  'at',
  'action',
  'target',
  'before',
  'after',
  'requestId',
  'seq',
  'prevHash',
] as const satisfies readonly (keyof Omit<AuditEntry, 'hash'>)[];

/** The fields that say which action an entry records: the same for every attempt to record it. */
const ACTION_FIELDS = ['chain', 'actionId', 'actor', 'at', 'action', 'target'] as const;

/**
 * Whether a stored entry found under a draft's action id records that very action. An entry that shares
 * only the id (planted by someone able to write the table, to keep a later action out of the log) does
 * not, and must not be taken as its record.
 */
export const recordsDraft = (entry: AuditEntry, draft: AuditDraft): boolean =>
  ACTION_FIELDS.every((field) => entry[field] === draft[field]);

/** Marks the action id an action takes when an entry of another action holds its own. */
export const TAKEN_ID_MARKER = '#taken-';

/** A short digest of which action a draft records (its action fields but the id). */
export const actionDigest = (draft: AuditDraft): string =>
  createHash('sha256')
    .update(canonicalJson(ACTION_FIELDS.filter((field) => field !== 'actionId').map((field) => draft[field])))
    .digest('hex')
    .slice(0, 16);

export const hashEntry = (entry: Omit<AuditEntry, 'hash'>): string => {
  const covered = Object.fromEntries(COVERED_FIELDS.map((field) => [field, entry[field]]));
  return createHash('sha256').update(canonicalJson(covered)).digest('hex');
};

/** The entry that follows `previous` (or starts the chain) for this draft. */
export const chainEntry = (
  draft: AuditDraft,
  previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
): AuditEntry => {
  const linked = { ...draft, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...linked, hash: hashEntry(linked) };
};

/** Where a chain does not hold: the entry, and what is wrong at it. */
export interface ChainBreak {
  seq: number;
  problem: string;
}

export type ChainVerdict =
  | { ok: true; chain: string; entries: number }
  | { ok: false; chain: string; entries: number; breaks: ChainBreak[] };

const STORED_FIELDS = new Set<string>([...COVERED_FIELDS, 'hash']);

/** What an entry as stored holds that no entry the log writes does, or undefined. */
const malformation = (entry: AuditEntry): string | undefined => {
  if (typeof entry.seq !== 'number' || !Number.isSafeInteger(entry.seq)) {
    return `its seq ${String(entry.seq)} is not a whole number the log writes`;
  }
  const uncovered = Object.keys(entry).filter((field) => !STORED_FIELDS.has(field));
  if (uncovered.length > 0) {
    return `it carries fields its hash does not cover (${uncovered.sort().join(', ')}): the entry was altered`;
  }
  return undefined;
};

/** The entry's hash recomputed, or undefined when its content is nothing the log could have hashed. */
const rehash = (unhashed: Omit<AuditEntry, 'hash'>): string | undefined => {
  try {
    return hashEntry(unhashed);
  } catch {
    // A value no entry holds (a number past 2^53 read as a BigInt, say): altered, not unreadable.
    return undefined;
  }
};

/**
 * What is wrong with an entry as it stands, on its own (not its place in the chain): a stored form no
 * append writes, or content that does not match its hash. Undefined for an intact entry.
 */
export const entryProblem = (entry: AuditEntry): string | undefined =>
  // A malformed entry is altered as it stands: its hash says nothing more.
  malformation(entry) ?? hashProblem(entry);

/** Why a well-formed entry's content does not give its hash, or undefined when it does. */
const hashProblem = (entry: AuditEntry): string | undefined => {
  const { hash: stored, ...unhashed } = entry;
  const recomputed = rehash(unhashed);
  if (recomputed === undefined)
    return 'its content cannot be hashed as the log hashes: the entry was altered';
  return recomputed === stored ? undefined : 'content does not match its hash: the entry was altered';
};

/** The break verifyChain names on an entry whose prevHash is not the stored hash of the entry before it. */
export const BROKEN_LINK = 'prevHash does not match the previous entry';

/**
 * Recomputes a chain from its first entry and names every break it can establish, in chain order: each
 * entry whose content does not match its hash, each link whose prevHash is not the stored hash of the
 * entry before it, each gap in the sequence. A break does not hide what follows it: every entry's own
 * hash, and every link between two stored entries, is checked on its own, so one entry altered is one
 * break, not one for every entry after it. An entry whose stored form no append writes (a field outside
 * the hash, a value that cannot be hashed) is altered too: whatever someone plants in the table fails
 * its own chain, never the whole verification.
 */
export const verifyChain = (chain: string, entries: readonly AuditEntry[]): ChainVerdict => {
  // Ordered by seq as a number whatever it was stored as, so the breaks are named in chain order.
  const ordered = [...entries].sort((a, b) => Number(a.seq) - Number(b.seq));
  const breaks: ChainBreak[] = [];
  let previous: { seq: number; hash: string } | undefined;
  for (const entry of ordered) {
    const seq = Number(entry.seq);
    const fail = (problem: string) => breaks.push({ seq, problem });
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const malformed = malformation(entry);
    if (malformed !== undefined) fail(malformed);
    // An entry at no place the log writes (seq 3.5, or 0, or again 3 after 3) was planted beside the
    // chain: reported, and left out of it, so the entries around it are held to each other.
    if (!Number.isSafeInteger(seq)) continue;
    if (seq < expectedSeq) {
      fail(`its seq ${seq} comes before ${expectedSeq}, the next the chain expects: the entry was planted`);
      continue;
    }
    const gap = seq !== expectedSeq;
    if (gap) fail(`sequence jumps from ${expectedSeq - 1} to ${entry.seq}: entries are missing`);
    if (entry.chain !== chain) fail(`entry names chain ${entry.chain}`);
    // Across a gap the entry it links to is missing: the gap is the break, not the link.
    if (!gap && entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) fail(BROKEN_LINK);
    const mismatch = malformed === undefined ? hashProblem(entry) : undefined;
    if (mismatch !== undefined) fail(mismatch);
    // The next link is held to this entry's hash as stored, altered or not: a break is reported where it is.
    previous = { seq, hash: entry.hash };
  }
  return breaks.length === 0
    ? { ok: true, chain, entries: ordered.length }
    : { ok: false, chain, entries: ordered.length, breaks };
};

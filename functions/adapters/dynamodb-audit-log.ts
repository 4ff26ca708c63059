import { type AttributeValue, ScanCommand, type ScanCommandOutput } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { TABLES } from '../../infra/definitions.js';
import {
  type AuditDraft,
  type AuditEntry,
  actionDigest,
  chainEntry,
  recordsDraft,
  TAKEN_ID_MARKER,
} from '../core/audit/audit-chain.js';
import { AppError, ConflictError, DependencyError } from '../platform/errors.js';
import type { AuditChainHeads, AuditLog } from '../ports/audit-log.js';
import { awsCall } from './aws-errors.js';

const BY_ACTION = TABLES.auditLog.indexes[0].indexName;
const ATTEMPTS = 12;
/** How far back an append looks for its own action before taking the next sequence number. */
const RECENT_ENTRIES = 25;

/** A stored number as a JavaScript number when it is one exactly enough, else its text, marked. */
const asStoredNumber = (text: string): number | { storedNumber: string } => {
  const value = Number(text);
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
    ? value
    : { storedNumber: text };
};

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(200, 5 * 2 ** attempt) * (0.5 + Math.random())));

const toEntry = (item: Record<string, unknown>): AuditEntry => item as unknown as AuditEntry;

/**
 * The draft under the action id it takes when its own is held by an entry of another action (a parcel
 * key's earlier life recorded before action ids told lives apart, or an entry planted to keep this
 * action out): its id, `#taken-`, and a digest of what it records, the same on every retry. An auditor
 * finds such entries by the marker; the action is recorded, and its parcel's review goes on.
 */
const underTakenId = (draft: AuditDraft): AuditDraft => ({
  ...draft,
  actionId: `${draft.actionId}${TAKEN_ID_MARKER}${actionDigest(draft)}`,
});

/**
 * The audit log in the `auditLog` table: partition `chain` (the office), sort `seq` (1, 2, ...). No
 * transactions: an append reads the chain's last entry and puts the next sequence number on the
 * condition that it is still free; a concurrent append to the same chain takes it first, this one reads
 * again and retries, so each chain is serialized. An action already appended is found by the
 * `byAction` index, or, when the index has not caught up (a concurrent or just-finished append of the
 * same action), among the chain's newest entries: finishing an interrupted action is safe to repeat.
 */
export class DynamoDbAuditLog implements AuditLog, AuditChainHeads {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async appendOnce(draft: AuditDraft): Promise<AuditEntry> {
    const appended = await this.appendUnder(draft);
    if (appended !== 'taken') return appended;
    const retaken = await this.appendUnder(underTakenId(draft));
    if (retaken !== 'taken') return retaken;
    throw new AppError(
      'AUDIT_LOG_INCONSISTENT',
      `audit action ids ${draft.actionId} and ${underTakenId(draft).actionId} are both held by entries of other actions: the audit log holds entries no append of this ${draft.action} of ${draft.target} wrote`,
    );
  }

  /** Appends the draft under its action id; 'taken' when an entry of another action holds that id. */
  private async appendUnder(draft: AuditDraft): Promise<AuditEntry | 'taken'> {
    const existing = await this.findAction(draft.actionId);
    if (existing) return recordsDraft(existing, draft) ? existing : 'taken';
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      // The index is eventually consistent, so a concurrent or just-finished append of the same action
      // is looked for again among the chain's newest entries, read consistently.
      const recent = await this.newest(draft.chain);
      const appended = recent.find((entry) => entry.actionId === draft.actionId);
      if (appended) return recordsDraft(appended, draft) ? appended : 'taken';
      const entry = chainEntry(draft, recent[0]);
      try {
        await awsCall('append audit entry', () =>
          this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: entry,
              ConditionExpression: 'attribute_not_exists(#s)',
              ExpressionAttributeNames: { '#s': 'seq' },
            }),
          ),
        );
        return entry;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
        await pause(attempt);
      }
    }
    throw new DependencyError(`audit chain ${draft.chain} stayed contended for ${ATTEMPTS} attempts`);
  }

  async readAll(): Promise<Map<string, AuditEntry[]>> {
    const chains = new Map<string, AuditEntry[]>();
    for (const item of await this.scanAsStored()) {
      const entry = toEntry(item);
      const chain = chains.get(entry.chain);
      if (chain === undefined) chains.set(entry.chain, [entry]);
      else chain.push(entry);
    }
    return chains;
  }

  /**
   * Every item, read for verification: a number no append writes (past 2^53, which the SDK refuses to
   * read as a number, failing the whole scan) is kept as its text, so its entry fails its own chain.
   */
  private async scanAsStored(): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await awsCall('scan audit log', () =>
        // The document client sends the plain command as it is: items come back as stored.
        this.db.send(
          new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey }) as never,
        ),
      );
      const { Items = [], LastEvaluatedKey } = page as ScanCommandOutput;
      for (const item of Items) items.push(unmarshall(item, { wrapNumbers: asStoredNumber }));
      ExclusiveStartKey = LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
    return items;
  }

  async headOf(chain: string): Promise<AuditEntry | undefined> {
    return (await this.newest(chain, 1))[0];
  }

  /** The chain's newest entries, newest first. */
  private async newest(chain: string, limit = RECENT_ENTRIES): Promise<AuditEntry[]> {
    const page = await awsCall('read audit chain end', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#c = :c',
          ExpressionAttributeNames: { '#c': 'chain' },
          ExpressionAttributeValues: { ':c': chain },
          ScanIndexForward: false,
          Limit: limit,
          ConsistentRead: true,
        }),
      ),
    );
    return (page.Items ?? []).map(toEntry);
  }

  private async findAction(actionId: string): Promise<AuditEntry | undefined> {
    const page = await awsCall('find audit action', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_ACTION,
          KeyConditionExpression: '#a = :a',
          ExpressionAttributeNames: { '#a': 'actionId' },
          ExpressionAttributeValues: { ':a': actionId },
          Limit: 1,
        }),
      ),
    );
    const item = page.Items?.[0];
    return item ? toEntry(item) : undefined;
  }
}

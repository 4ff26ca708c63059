import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { manifestKey } from '../core/keys.js';
import type { ManifestInRegion, ManifestParts } from '../ports/manifest-parts.js';
import { awsCall } from './aws-errors.js';

/** Long after the last redelivery of a part could come (SQS keeps a message at most 14 days). */
const KEEP_DAYS = 30;

/**
 * The screened parts of a manifest, one item in the party history table (the history they gate):
 * `pk` `P#<region>#<partner>#<manifest>`, `sk` `PARTS`, `parts` the set of screened part indexes.
 */
export class DynamoDbManifestParts implements ManifestParts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async markScreened(manifest: ManifestInRegion, index: number, of: number): Promise<boolean> {
    const result = await awsCall('DynamoDB UpdateItem manifest parts', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: {
            pk: `P#${manifest.region}#${manifestKey(manifest.partnerId, manifest.manifestId)}`,
            sk: 'PARTS',
          },
          UpdateExpression: 'ADD parts :part SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ExpressionAttributeValues: {
            ':part': new Set([index]),
            ':expiresAt': Math.floor(this.now().getTime() / 1000) + KEEP_DAYS * 86_400,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    const parts = result.Attributes?.parts as Set<number> | undefined;
    return (parts?.size ?? 0) >= of;
  }
}

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type AuditAnchor, AuditAnchorSchema } from '../core/audit/audit-anchor.js';
import { formatJsonPath } from '../core/json-path.js';
import { forEachLimited } from '../platform/concurrency.js';
import type { AuditAnchors, UnreadableAnchor } from '../ports/audit-anchors.js';
import { awsCall } from './aws-errors.js';

const PREFIX = 'anchors/';
/** Anchors read at once by a verification: small objects, one request each. */
const READ_CONCURRENCY = 16;

/**
 * Anchors as JSON objects `anchors/<anchoredAt>.json` in a bucket whose objects are locked in compliance
 * mode (infra/stacks/data-stack.ts): for the retention period nobody, the account's root included, can
 * overwrite or delete one. A put names `If-None-Match: *`, so it never replaces an anchor either.
 */
export class S3AuditAnchors implements AuditAnchors {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(anchor: AuditAnchor): Promise<void> {
    await awsCall('store audit anchor', () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${PREFIX}${anchor.anchoredAt}.json`,
          Body: JSON.stringify(anchor),
          ContentType: 'application/json',
          IfNoneMatch: '*',
          // S3 refuses a put into a bucket with default Object Lock retention without an integrity checksum.
          ChecksumAlgorithm: 'SHA256',
        }),
      ),
    );
  }

  async readAll(): Promise<{ anchors: AuditAnchor[]; unreadable: UnreadableAnchor[] }> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await awsCall('list audit anchors', () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, ContinuationToken })),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);

    const anchors: AuditAnchor[] = [];
    const unreadable: UnreadableAnchor[] = [];
    await forEachLimited(keys, READ_CONCURRENCY, async (key) => {
      const object = await awsCall(`read audit anchor ${key}`, () =>
        this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      );
      const text = (await object.Body?.transformToString('utf8')) ?? '';
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        unreadable.push({ key, reason: 'not JSON' });
        return;
      }
      const parsed = AuditAnchorSchema.safeParse(document);
      if (parsed.success) {
        anchors.push(parsed.data);
        return;
      }
      const issue = parsed.error.issues[0]!;
      unreadable.push({ key, reason: `${formatJsonPath(issue.path)}: ${issue.message}` });
    });
    return { anchors, unreadable };
  }
}

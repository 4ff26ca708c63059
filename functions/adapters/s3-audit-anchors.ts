import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { BUCKETS } from '../../infra/definitions.js';
import { type AuditAnchor, AuditAnchorSchema } from '../core/audit/audit-anchor.js';
import { formatJsonPath } from '../core/json-path.js';
import { forEachLimited } from '../platform/concurrency.js';
import { AppError, DependencyError } from '../platform/errors.js';
import type { AnchorObjectProblem, AuditAnchors } from '../ports/audit-anchors.js';
import { awsCall, translateAwsError } from './aws-errors.js';

const PREFIX = BUCKETS.auditAnchors.prefix;
/** Anchors read at once by a verification: small objects, one request each. */
const READ_CONCURRENCY = 16;

const keyOf = (anchoredAt: string): string => `${PREFIX}${anchoredAt}.json`;

/** S3's answer to a put with `If-None-Match: *` on a key that holds an object already. */
const isPreconditionFailed = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 412;

interface StoredObject {
  key: string;
  versionId?: string;
}

/**
 * Anchors as JSON objects `anchors/<anchoredAt>.json` in a versioned bucket whose object versions are
 * locked in compliance mode (infra/stacks/data-stack.ts): no version can be changed or deleted while
 * locked, by anyone. What a lock cannot stop, a new version over an anchor or a delete marker hiding
 * one, the bucket policy denies, and a reader sees anyway: `readAll` reads every version, and reports
 * a key with more than one, or a delete marker, as a problem. A put names `If-None-Match: *`, which
 * the bucket policy requires.
 */
export class S3AuditAnchors implements AuditAnchors {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(anchor: AuditAnchor): Promise<void> {
    const key = keyOf(anchor.anchoredAt);
    const body = JSON.stringify(anchor);
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          // S3 refuses a put into a bucket with default Object Lock retention without an integrity checksum.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    } catch (error) {
      // The SDK sends a put again when its answer is lost; the retry then finds the object the first
      // attempt stored, and S3 answers 412. That is this anchor stored, not a failure to alarm on.
      if (!isPreconditionFailed(error)) throw translateAwsError(error, 'store audit anchor');
      const stored = await this.bodyAt(key);
      if (stored !== body)
        throw new AppError('AWS_REQUEST_REJECTED', `store audit anchor: ${key} holds another anchor`, {
          cause: error,
        });
    }
  }

  private async bodyAt(key: string, versionId?: string): Promise<string> {
    const response = await awsCall(`read audit anchor ${key}`, () =>
      this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId })),
    );
    return (await response.Body?.transformToString('utf8')) ?? '';
  }

  async readAll(): Promise<{ anchors: AuditAnchor[]; problems: AnchorObjectProblem[] }> {
    const { versions, deleted } = await this.listVersions();
    const problems: AnchorObjectProblem[] = deleted.map((key) => ({
      key,
      problem: 'a delete marker hides it: anchors are never deleted',
    }));
    const versionsOf = new Map<string, number>();
    for (const { key } of versions) versionsOf.set(key, (versionsOf.get(key) ?? 0) + 1);
    for (const [key, count] of versionsOf)
      if (count > 1) problems.push({ key, problem: `${count} versions: an anchor is never replaced` });
    // A store that keeps no versions (the embedded stack's emulator) lists its objects only here.
    const unversioned = (await this.listCurrentKeys()).filter((key) => !versionsOf.has(key));

    const anchors: AuditAnchor[] = [];
    await forEachLimited(
      [...versions, ...unversioned.map((key) => ({ key }))],
      READ_CONCURRENCY,
      async (object) => {
        const read = await this.read(object);
        if ('problem' in read) problems.push(read);
        else anchors.push(read.anchor);
      },
    );
    return { anchors, problems };
  }

  private async read(object: StoredObject): Promise<{ anchor: AuditAnchor } | AnchorObjectProblem> {
    const { key, versionId } = object;
    const text = await this.bodyAt(key, versionId);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return { key, problem: 'not JSON' };
    }
    const parsed = AuditAnchorSchema.safeParse(document);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { key, problem: `${formatJsonPath(issue.path)}: ${issue.message}` };
    }
    if (keyOf(parsed.data.anchoredAt) !== key)
      return { key, problem: `names ${parsed.data.anchoredAt}, another time than its key` };
    return { anchor: parsed.data };
  }

  private async listVersions(): Promise<{ versions: StoredObject[]; deleted: string[] }> {
    const versions: StoredObject[] = [];
    const deleted: string[] = [];
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    do {
      const page = await awsCall('list audit anchor versions', () =>
        this.s3.send(
          new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: PREFIX, KeyMarker, VersionIdMarker }),
        ),
      );
      for (const version of page.Versions ?? [])
        if (version.Key !== undefined) versions.push({ key: version.Key, versionId: version.VersionId });
      for (const marker of page.DeleteMarkers ?? []) if (marker.Key !== undefined) deleted.push(marker.Key);
      const more = page.IsTruncated === true;
      if (more && page.NextKeyMarker === undefined)
        throw new DependencyError('list audit anchor versions: a truncated page names no next key');
      KeyMarker = more ? page.NextKeyMarker : undefined;
      VersionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (KeyMarker !== undefined);
    return { versions, deleted };
  }

  private async listCurrentKeys(): Promise<string[]> {
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await awsCall('list audit anchors', () =>
        this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, ContinuationToken })),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      if (page.IsTruncated === true && page.NextContinuationToken === undefined)
        throw new DependencyError('list audit anchors: a truncated page names no continuation');
      ContinuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
    return keys;
  }
}

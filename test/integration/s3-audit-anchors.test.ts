import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { startFauxqs } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AuditAnchors } from '../../functions/adapters/s3-audit-anchors.js';
import type { AuditAnchor } from '../../functions/core/audit/audit-anchor.js';

const BUCKET = 'audit-anchors';

const anchor = (anchoredAt: string, seq: number): AuditAnchor => ({
  anchoredAt,
  heads: [{ chain: 'wuzhou-customs', seq, hash: 'a'.repeat(64) }],
});

/** An S3 client of the emulator listening on `port`. */
const s3Of = (port: number) =>
  new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
  });

describe('S3AuditAnchors', () => {
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  let s3: S3Client;
  let anchors: S3AuditAnchors;

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
    s3 = s3Of(fauxqs.port);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    anchors = new S3AuditAnchors(s3, BUCKET);
  });

  afterAll(async () => {
    s3?.destroy();
    await fauxqs?.stop();
  });

  it('reads back every anchor stored, and names each object under anchors/ that is not one', async () => {
    // Prepare
    const stored = [anchor('2026-11-28T11:00:00.000Z', 3), anchor('2026-11-28T11:15:00.000Z', 5)];
    for (const each of stored) await anchors.put(each);
    const strays = [
      ['anchors/torn.json', '{"anchoredAt":'],
      [
        'anchors/forged.json',
        JSON.stringify({ anchoredAt: '2026-11-28T12:00:00.000Z', heads: [{ chain: 'x' }] }),
      ],
      ['anchors/2026-11-28T12:30:00.000Z.json', JSON.stringify(anchor('2026-11-28T11:00:00.000Z', 9))],
      ['elsewhere/notes.txt', 'not under anchors/: not read'],
    ];
    for (const [Key, Body] of strays) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));

    // Act
    const read = await anchors.readAll();

    // Assess
    expect(read.anchors.sort((a, b) => (a.anchoredAt < b.anchoredAt ? -1 : 1))).toEqual(stored);
    expect(read.problems.sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([
      {
        key: 'anchors/2026-11-28T12:30:00.000Z.json',
        problem: 'names 2026-11-28T11:00:00.000Z, another time than its key',
      },
      { key: 'anchors/forged.json', problem: expect.stringMatching(/^heads\[0\]\.seq: /) },
      { key: 'anchors/torn.json', problem: 'not JSON' },
    ]);
  });
});

describe('S3AuditAnchors, anchors that are not sound', () => {
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  let s3: S3Client;

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
    s3 = s3Of(fauxqs.port);
  });

  afterAll(async () => {
    s3?.destroy();
    await fauxqs?.stop();
  });

  it.each([
    ['an entry number below 1', anchor('2026-11-28T13:00:00.000Z', 0), /^heads\[0\]\.seq: /],
    [
      'a hash longer than a sha256',
      {
        anchoredAt: '2026-11-28T13:00:00.000Z',
        heads: [{ chain: 'wuzhou-customs', seq: 4, hash: 'a'.repeat(65) }],
      },
      /^heads\[0\]\.hash: a sha256 in hex/,
    ],
    ['a field no anchor has', { ...anchor('2026-11-28T13:00:00.000Z', 4), signedBy: 'li.na' }, /^\(root\): /],
  ])('names an anchor object with %s as no anchor', async (name, document, problem) => {
    // Prepare: a bucket of its own holding only this object
    const bucket = `unsound-${name.replaceAll(' ', '-').replaceAll(/[^a-z0-9-]/g, '')}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const key = 'anchors/2026-11-28T13:00:00.000Z.json';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(document) }));

    // Act
    const read = await new S3AuditAnchors(s3, bucket).readAll();

    // Assess
    expect(read).toEqual({ anchors: [], problems: [{ key, problem: expect.stringMatching(problem) }] });
  });
});

describe('S3AuditAnchors in AWS', () => {
  it('never replaces an anchor, and sends the checksum an object-locked bucket requires', async () => {
    // Prepare: what the emulator ignores, so asked of the request itself
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const stored = anchor('2026-11-28T11:00:00.000Z', 3);

    // Act
    await new S3AuditAnchors(new S3Client({ region: 'eu-west-1' }), BUCKET).put(stored);

    // Assess
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input)).toEqual([
      {
        Bucket: BUCKET,
        Key: 'anchors/2026-11-28T11:00:00.000Z.json',
        Body: JSON.stringify(stored),
        ContentType: 'application/json',
        IfNoneMatch: '*',
        ChecksumAlgorithm: 'SHA256',
      },
    ]);
    s3.restore();
  });

  /** What S3 answers a put with `If-None-Match: *` on a key that holds an object. */
  const preconditionFailed = () =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: 412 },
      message: 'At least one of the pre-conditions you specified did not hold',
    });

  it.each([
    ['the same anchor, stored by the attempt whose answer was lost: done', 'same', undefined],
    [
      'another anchor: refused, for the alarm',
      'other',
      /store audit anchor: anchors\/2026-11-28T11:00:00.000Z.json holds another anchor/,
    ],
  ])('takes a 412 on a put of an anchor whose key holds %s', async (_name, holds, refused) => {
    // Prepare: the put's answer was lost, and the SDK's retry found the object there
    const s3 = mockClient(S3Client);
    const stored = anchor('2026-11-28T11:00:00.000Z', 3);
    const other = anchor('2026-11-28T11:00:00.000Z', 4);
    s3.on(PutObjectCommand).rejects(preconditionFailed());
    s3.on(GetObjectCommand).resolves({
      Body: { transformToString: async () => JSON.stringify(holds === 'same' ? stored : other) },
    } as never);

    // Act
    const put = new S3AuditAnchors(new S3Client({ region: 'eu-west-1' }), BUCKET).put(stored);

    // Assess
    if (refused === undefined) await expect(put).resolves.toBeUndefined();
    else await expect(put).rejects.toThrow(refused);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toMatchObject({
      Bucket: BUCKET,
      Key: 'anchors/2026-11-28T11:00:00.000Z.json',
    });
    s3.restore();
  });

  it('reads every version, and names an anchor replaced by a later version or hidden by a delete marker', async () => {
    // Prepare: a versioned bucket where someone put a forged version over one anchor and hid another
    const s3 = mockClient(S3Client);
    const genuine = anchor('2026-11-28T11:00:00.000Z', 3);
    const forged = { ...genuine, heads: [{ ...genuine.heads[0]!, hash: 'f'.repeat(64) }] };
    const hidden = anchor('2026-11-28T11:15:00.000Z', 5);
    const genuineKey = 'anchors/2026-11-28T11:00:00.000Z.json';
    const hiddenKey = 'anchors/2026-11-28T11:15:00.000Z.json';
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: genuineKey, VersionId: 'v2', IsLatest: true },
        { Key: genuineKey, VersionId: 'v1', IsLatest: false },
        { Key: hiddenKey, VersionId: 'v1', IsLatest: false },
      ],
      DeleteMarkers: [{ Key: hiddenKey, VersionId: 'm1', IsLatest: true }],
    });
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: genuineKey }] });
    const bodies: Record<string, AuditAnchor> = {
      [`${genuineKey} v1`]: genuine,
      [`${genuineKey} v2`]: forged,
      [`${hiddenKey} v1`]: hidden,
    };
    s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => ({
      Body: { transformToString: async () => JSON.stringify(bodies[`${input.Key} ${input.VersionId}`]) },
    }));

    // Act
    const read = await new S3AuditAnchors(new S3Client({ region: 'eu-west-1' }), BUCKET).readAll();
    s3.restore();

    // Assess: every version is evidence; the forged one conflicts with the genuine one it sits on
    expect(read.anchors).toHaveLength(3);
    expect(read.anchors).toEqual(expect.arrayContaining([genuine, forged, hidden]));
    expect(read.problems.sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([
      { key: genuineKey, problem: '2 versions: an anchor is never replaced' },
      { key: hiddenKey, problem: 'a delete marker hides it: anchors are never deleted' },
    ]);
  });
});

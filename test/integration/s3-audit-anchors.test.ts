import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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

describe('S3AuditAnchors', () => {
  let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
  let s3: S3Client;
  let anchors: S3AuditAnchors;

  beforeAll(async () => {
    fauxqs = await startFauxqs({ port: 0, logger: false, defaultRegion: 'eu-west-1' });
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${fauxqs.port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      forcePathStyle: true,
    });
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
      ['elsewhere/notes.txt', 'not under anchors/: not read'],
    ];
    for (const [Key, Body] of strays) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));

    // Act
    const read = await anchors.readAll();

    // Assess
    expect(read.anchors.sort((a, b) => (a.anchoredAt < b.anchoredAt ? -1 : 1))).toEqual(stored);
    expect(read.unreadable.sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual([
      { key: 'anchors/forged.json', reason: expect.stringMatching(/^heads\[0\]\.seq: /) },
      { key: 'anchors/torn.json', reason: 'not JSON' },
    ]);
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
});

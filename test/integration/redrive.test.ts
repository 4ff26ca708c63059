import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import { parcelKey } from '../../functions/core/keys.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../functions/local/embedded-stack.js';
import { dynamoDbError, FaultPlan, type ProxiedRequest } from '../../functions/local/fault-proxy.js';
import { syntheticManifest } from '../../functions/local/synthetic-manifests.js';
import { runTool, waitUntil } from '../support/cli.js';
import { expectDeadLetters, expectEffectivelyOnce } from '../support/effects.js';
import { postAsPartner, scanAll } from '../support/embedded.js';
import { RUILI_MANIFEST, readSample } from '../support/factories.js';

const keyAttribute = (request: ProxiedRequest, name: string): string | undefined =>
  ((request.body.Item ?? request.body.Key) as Record<string, { S?: string }> | undefined)?.[name]?.S;

const visibleMessages = async (stack: EmbeddedStack, queueUrl: string): Promise<number> => {
  const attributes = await stack.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
};

describe('npm run redrive', () => {
  const faults = new FaultPlan();
  let stack: EmbeddedStack;

  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('moves a message dead-lettered by a since-fixed fault back to its queue, where it is screened once', async () => {
    // Prepare: one parcel's decision cannot be written until the fault is fixed, so its message
    // fails maxReceiveCount times and is dead-lettered; the other parcels of the message are decided
    const manifest: Manifest = syntheticManifest(readSample(RUILI_MANIFEST), {
      manifestId: 'REDRIVE-1',
      parcelCount: 12,
      consignees: 3,
    });
    const blocked = parcelKey(manifest.partnerId, manifest.parcels[5]!.parcelId);
    const outage = faults.inject({
      operation: 'PutItem',
      resource: stack.tables.decisions,
      when: (request) => keyAttribute(request, 'pk') === blocked,
      times: Number.POSITIVE_INFINITY,
      fault: dynamoDbError('InternalServerError', 500),
    });
    expect((await postAsPartner(stack, manifest.partnerId, JSON.stringify(manifest))).status).toBe(202);
    await waitUntil(
      async () => (await visibleMessages(stack, stack.queues.screening.dlqUrl)) === 1,
      25_000,
      'the DLQ',
    );
    await stack.waitForIdle(10_000);
    const before = await scanAll(stack.db, stack.tables.decisions);
    expect(before.map((decision) => decision.pk)).not.toContain(blocked);
    outage.clear();
    // Act
    const run = await runTool('functions/tools/redrive.ts', ['--queue', 'screening']);
    await stack.waitForIdle(20_000);
    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toMatchObject({ queue: 'screening', moved: 1, notDeleted: 0, notSent: 0 });
    await expectDeadLetters(stack, []);
    await expectEffectivelyOnce(stack, manifest.parcels.length);
  });

  it('moves no more than --max messages', async () => {
    // Prepare: three unparseable messages dead-lettered by hand
    await stack.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: stack.queues.screening.dlqUrl,
        Entries: [0, 1, 2].map((index) => ({ Id: `x${index}`, MessageBody: `{"poison":${index}}` })),
      }),
    );
    // Act
    const run = await runTool('functions/tools/redrive.ts', ['--queue', 'screening', '--max', '2']);
    // Assess
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ moved: 2 });
    expect(await visibleMessages(stack, stack.queues.screening.dlqUrl)).toBe(1);
  });

  it('refuses an unknown queue with a usage message', async () => {
    // Act
    const run = await runTool('functions/tools/redrive.ts', ['--queue', 'nowhere']);
    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown queue nowhere');
  });
});

import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { Webhook } from 'standardwebhooks';
import type { EmbeddedStack } from '../../functions/local/embedded-stack.js';
import type { ParcelRecord } from '../../functions/ports/parcel-store.js';

/** Posts a manifest body signed by the reference Standard Webhooks implementation, as a partner would. */
export const postAsPartner = async (
  stack: EmbeddedStack,
  partnerId: string,
  body: string,
  options: { webhookId?: string; timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
) => {
  const partner = stack.partners.find((candidate) => candidate.partnerId === partnerId)!;
  const webhookId = options.webhookId ?? `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = new Webhook(options.secret ?? partner.secrets[0]!.secret).sign(
    webhookId,
    new Date(timestamp * 1000),
    body,
  );
  const response = await fetch(`${stack.apiUrl}/v1/manifests`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
};

export const scanAll = async (
  db: DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, any>[]> => {
  const items: Record<string, any>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};

/** The parcels stored for one manifest of a partner, as delivered (read by scanning: tests only). */
export const storedParcelsOf = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  partnerId: string,
  manifestId: string,
): Promise<ParcelRecord[]> =>
  (await scanAll(db, tableName))
    .filter((item) => item.partnerId === partnerId && item.manifestId === manifestId)
    .map(({ pk: _pk, parcelId: _parcelId, expiresAt: _expiresAt, ...record }) => record as ParcelRecord);

/** Takes every message now visible on a queue (and leaves them invisible for a minute). */
export const drainQueue = async (sqs: SQSClient, queueUrl: string): Promise<string[]> => {
  const bodies: string[] = [];
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((message) => message.Body ?? ''));
  }
};

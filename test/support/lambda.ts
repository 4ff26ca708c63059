import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2, Context, SQSEvent } from 'aws-lambda';
import { makeLambdaContext } from '../../functions/local/lambda-context.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The screen function's settings in handler tests (its tables and queues mocked, its files the repository's). */
export const SCREEN_ENV = {
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'error',
  DECISIONS_TABLE: 'decisions-table',
  PARTY_HISTORY_TABLE: 'history-table',
  REVIEW_QUEUE_TABLE: 'review-table',
  RULE_STATISTICS_TABLE: 'statistics-table',
  INSPECTION_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/inspection',
  REFERRAL_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/referral',
  RULES_DIR: resolve(REPO, 'rules/default'),
  SHARING_AGREEMENTS_FILE: resolve(REPO, 'rules/sharing/agreements.yaml'),
  OFFICES_FILE: resolve(REPO, 'rules/reference/offices.yaml'),
  LISTS_TABLE: 'lists-table',
  PARTY_KEY_SALT: 'salt-for-handler-tests',
};

export const aContext = (functionName = 'test'): Context => makeLambdaContext(functionName, 30);

/** An API Gateway HTTP API (payload v2) event, as Lambda receives it. */
export const anHttpEvent = (
  overrides: Partial<APIGatewayProxyEventV2> & { method?: string } = {},
): APIGatewayProxyEventV2 => {
  const { method = 'POST', ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: `${method} /v1/manifests`,
    rawPath: '/v1/manifests',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example',
      domainPrefix: 'api',
      http: {
        method,
        path: '/v1/manifests',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'test',
      },
      requestId: 'req-1',
      routeKey: `${method} /v1/manifests`,
      stage: '$default',
      time: '28/Nov/2026:10:00:00 +0000',
      timeEpoch: 1_795_860_000_000,
    },
    ...rest,
  } as APIGatewayProxyEventV2;
};

/** An SQS event with one record per body, as the event source mapping delivers it. */
export const anSqsEvent = (bodies: string[], receiveCount = 1): SQSEvent => ({
  Records: bodies.map((body, index) => ({
    messageId: `message-${index}`,
    receiptHandle: `handle-${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '1795860000000',
      SenderId: 'sender',
      ApproximateFirstReceiveTimestamp: '1795860000000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:screening',
    awsRegion: 'us-east-1',
  })),
});

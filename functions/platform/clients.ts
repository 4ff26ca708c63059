import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * How long one SDK attempt may take. The SDK's default is no limit, so a hung connection would run into
 * the Lambda timeout, and API Gateway would answer its own bare 500 instead of our 503. With these,
 * a dependency that does not answer fails every attempt (DynamoDB makes 4, SQS 3) with a `TimeoutError`,
 * which the adapters translate into a DependencyError (503 with retry-after, or an SQS retry), well
 * within the shortest timeout of a function that calls AWS (10 s; test/unit/clients.test.ts holds it).
 * `throwOnRequestTimeout`: without it the handler only logs a warning when `requestTimeout` passes.
 */
export const SDK_REQUEST_HANDLER = {
  connectionTimeout: 1_000,
  requestTimeout: 1_500,
  throwOnRequestTimeout: true,
} as const;

/**
 * SDK clients, built once per execution environment and injected into adapters.
 * Endpoints come from the standard AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS variables,
 * which the SDK reads itself: the embedded stack needs no code path of its own.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

export const getDocumentClient = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ requestHandler: SDK_REQUEST_HANDLER }),
    {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    },
  );
  return documentClient;
};

export const getSqsClient = (): SQSClient => {
  // Address queues through the configured endpoint, not the host inside each queue URL: identical in
  // AWS, and it lets an emulator hand out URLs whose host does not resolve.
  sqsClient ??= new SQSClient({ useQueueUrlAsEndpoint: false, requestHandler: SDK_REQUEST_HANDLER });
  return sqsClient;
};

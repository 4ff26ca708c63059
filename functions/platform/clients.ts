import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, built once per execution environment and injected into adapters.
 * Endpoints come from the standard AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS variables,
 * which the SDK reads itself: the embedded stack needs no code path of its own.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let sqsClient: SQSClient | undefined;

export const getDocumentClient = (): DynamoDBDocumentClient => {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return documentClient;
};

export const getSqsClient = (): SQSClient => {
  // Address queues through the configured endpoint, not the host inside each queue URL: identical in
  // AWS, and it lets an emulator hand out URLs whose host does not resolve.
  sqsClient ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return sqsClient;
};

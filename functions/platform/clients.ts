import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
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
 * The operator tools' attempts: run from a desk far from the region, reading whole tables (backtest,
 * audit verify) page by page, with no caller waiting on a 10 s limit. A page that takes long to its
 * first byte must not fail the run; a dependency that hangs still does, in minutes, not never.
 */
export const TOOL_REQUEST_HANDLER = {
  connectionTimeout: 5_000,
  requestTimeout: 60_000,
  throwOnRequestTimeout: true,
} as const;

export type RequestHandlerOptions = typeof SDK_REQUEST_HANDLER | typeof TOOL_REQUEST_HANDLER;

/**
 * SDK clients, built once per execution environment and injected into adapters.
 * Endpoints come from the standard AWS_ENDPOINT_URL_DYNAMODB / _SQS / _S3 variables, which the SDK
 * reads itself: the embedded stack needs no code path of its own, but for S3's addressing (below).
 */
const documentClients = new Map<RequestHandlerOptions, DynamoDBDocumentClient>();
const sqsClients = new Map<RequestHandlerOptions, SQSClient>();
/** Keyed by request handler, then by path-style addressing: every option that changes the client. */
const s3Clients = new Map<RequestHandlerOptions, Map<boolean, S3Client>>();

/** The DynamoDB document client; the tools pass TOOL_REQUEST_HANDLER. */
export const getDocumentClient = (
  requestHandler: RequestHandlerOptions = SDK_REQUEST_HANDLER,
): DynamoDBDocumentClient => {
  let client = documentClients.get(requestHandler);
  if (!client) {
    client = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler }), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    documentClients.set(requestHandler, client);
  }
  return client;
};

/** The SQS client; the tools pass TOOL_REQUEST_HANDLER. */
export const getSqsClient = (requestHandler: RequestHandlerOptions = SDK_REQUEST_HANDLER): SQSClient => {
  let client = sqsClients.get(requestHandler);
  if (!client) {
    // Address queues through the configured endpoint, not the host inside each queue URL: identical in
    // AWS, and it lets an emulator hand out URLs whose host does not resolve.
    client = new SQSClient({ useQueueUrlAsEndpoint: false, requestHandler });
    sqsClients.set(requestHandler, client);
  }
  return client;
};

/**
 * The S3 client; the tools pass TOOL_REQUEST_HANDLER. `endpoint` is the configured AWS_ENDPOINT_URL_S3:
 * an emulator's buckets are addressed by path, since `<bucket>.127.0.0.1` does not resolve.
 */
export const getS3Client = (
  requestHandler: RequestHandlerOptions = SDK_REQUEST_HANDLER,
  endpoint: string | undefined = undefined,
): S3Client => {
  const forcePathStyle = endpoint !== undefined;
  let byStyle = s3Clients.get(requestHandler);
  if (!byStyle) {
    byStyle = new Map();
    s3Clients.set(requestHandler, byStyle);
  }
  let client = byStyle.get(forcePathStyle);
  if (!client) {
    client = new S3Client({ requestHandler, forcePathStyle });
    byStyle.set(forcePathStyle, client);
  }
  return client;
};

/**
 * Closes and forgets the clients built for `requestHandler`: the next are built from the environment
 * as it is then. For a process that runs the operator tools one after another, each with its own
 * settings, as the tests do; a Lambda or a tool's own process builds its clients once.
 */
export const forgetClients = (requestHandler: RequestHandlerOptions): void => {
  documentClients.get(requestHandler)?.destroy();
  sqsClients.get(requestHandler)?.destroy();
  for (const client of s3Clients.get(requestHandler)?.values() ?? []) client.destroy();
  documentClients.delete(requestHandler);
  sqsClients.delete(requestHandler);
  s3Clients.delete(requestHandler);
};

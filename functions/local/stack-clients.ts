import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** The runner's own SDK clients (not the functions'), which build the resources and serve tests and checks. */
export interface StackClients {
  rawDynamo: DynamoDBClient;
  db: DynamoDBDocumentClient;
  sqs: SQSClient;
  s3: S3Client;
  destroy(): void;
}

/** Built once the environment holds the region, credentials and endpoints, which the clients read. */
export const makeStackClients = (): StackClients => {
  const rawDynamo = new DynamoDBClient({});
  const db = DynamoDBDocumentClient.from(rawDynamo, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ forcePathStyle: true });
  return {
    rawDynamo,
    db,
    sqs,
    s3,
    destroy: () => {
      rawDynamo.destroy();
      sqs.destroy();
      s3.destroy();
    },
  };
};

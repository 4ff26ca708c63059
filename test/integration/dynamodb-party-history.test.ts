import { afterAll, beforeAll } from 'vitest';
import { DynamoDbPartyHistory } from '../../functions/adapters/dynamodb-party-history.js';
import { TABLES } from '../../infra/definitions.js';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/dynamodb.js';
import { describePartyHistoryContract } from '../support/party-history-contract.js';

let dynamo: LocalDynamoDb;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamoDb();
});

afterAll(async () => {
  await dynamo.stop();
});

describePartyHistoryContract('DynamoDbPartyHistory on dynalite', async (agreements) => {
  tables += 1;
  const tableName = `party-history-contract-${tables}`;
  await dynamo.createTable(tableName, TABLES.partyHistory);
  return new DynamoDbPartyHistory(dynamo.doc, tableName, agreements);
});

import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../functions/local/table-from-definition.js';
import type { TableDefinition } from '../../infra/definitions.js';

export interface LocalDynamoDb {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  /** Creates a table from its definition in infra/definitions.ts, under the given name. */
  createTable(tableName: string, definition: TableDefinition): Promise<void>;
  stop(): Promise<void>;
}

/**
 * dynalite in this process, in memory, with an SDK client pointed at it (tables ready at once).
 * `maxItemSizeKb` lowers DynamoDB's 400 KB item limit, to reach it with few writes.
 */
export const startLocalDynamoDb = async (
  options: { maxItemSizeKb?: number } = {},
): Promise<LocalDynamoDb> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const doc = DynamoDBDocumentClient.from(client);
  return {
    client,
    doc,
    createTable: async (tableName, definition) => {
      await client.send(new CreateTableCommand(createTableInput(tableName, definition)));
      // dynalite turns a table ACTIVE on a timer, even at 0 ms: a request that comes first is refused.
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
        if (Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`table ${tableName} did not become ACTIVE`);
    },
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};

/** Counts what each call to DynamoDB read: a scan or query reads `ScannedCount` items. */
export const countReads = (dynamo: LocalDynamoDb) => {
  const reads: { command: string; scanned: number }[] = [];
  dynamo.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      reads.push({ command: context.commandName ?? '?', scanned: output.ScannedCount ?? 0 });
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return reads;
};

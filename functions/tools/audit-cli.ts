import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { makeVerifyAuditLog } from '../audit/verify-audit-log.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { AuditToolConfigSchema } from '../platform/config.js';
import { toolConfigOrUsage } from './tool-config.js';

/**
 * `npm run audit -- verify`: recomputes every hash chain of the audit log named by AUDIT_LOG_TABLE
 * (a deployed table with the usual AWS credentials, or the embedded stack's: `npm start` writes the
 * settings to .tmp/embedded-stack.env) and reports the first altered entry.
 * Exit code 0 intact, 1 altered, 2 usage or configuration, 3 the log could not be read.
 */
const USAGE =
  'usage: npm run audit -- verify   (reads AUDIT_LOG_TABLE, AWS_REGION; for `npm start`: . .tmp/embedded-stack.env)';

const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'verify' || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const config = toolConfigOrUsage(AuditToolConfigSchema, USAGE);
  if (config === undefined) return 2;
  const verify = makeVerifyAuditLog(
    new DynamoDbAuditLog(getDocumentClient(TOOL_REQUEST_HANDLER), config.AUDIT_LOG_TABLE),
  );
  let result: Awaited<ReturnType<typeof verify>>;
  try {
    result = await verify();
  } catch (error) {
    // Not 1: that says the log was altered, and an unreachable table says nothing about the log.
    console.error(`audit verify could not read the log: ${(error as Error).message}`);
    return 3;
  }
  for (const chain of result.chains) {
    console.log(
      chain.ok
        ? `ok       ${chain.chain}: ${chain.entries} entries`
        : `ALTERED  ${chain.chain}: entry ${chain.seq} of ${chain.entries}: ${chain.problem}`,
    );
  }
  if (result.chains.length === 0) console.log('the audit log is empty');
  if (result.firstFailure) {
    console.log(
      `audit verify FAILED: first altered entry is ${result.firstFailure.chain} #${result.firstFailure.seq}`,
    );
    return 1;
  }
  console.log(`audit verify passed: ${result.chains.length} chain(s) intact`);
  return 0;
};

process.exitCode = await main();

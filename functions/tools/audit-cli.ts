import { resolve } from 'node:path';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { S3AuditAnchors } from '../adapters/s3-audit-anchors.js';
import { systemClock } from '../adapters/system-clock.js';
import { makeAnchorAuditChains } from '../audit/anchor-audit-chains.js';
import { type ChainReport, makeVerifyAuditLog } from '../audit/verify-audit-log.js';
import { auditChainsOf } from '../core/audit/audit-chain.js';
import { REPO_ROOT } from '../local/repo-root.js';
import { getDocumentClient, getS3Client, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { type AuditToolConfig, AuditToolConfigSchema } from '../platform/config.js';
import { toolConfigOrUsage } from './tool-config.js';

/**
 * `npm run audit -- verify`: recomputes every hash chain of the audit log named by AUDIT_LOG_TABLE and
 * holds each to the anchors in AUDIT_ANCHOR_BUCKET (a deployed table and bucket with the usual AWS
 * credentials, or the embedded stack's: `npm start` writes the settings to .tmp/embedded-stack.env), and
 * reports the first altered entry of each chain.
 * Exit code 0 intact, 1 altered, 2 usage or configuration, 3 the log or its anchors could not be read.
 *
 * `npm run audit -- anchor`: anchors every chain's head now, as the auditAnchor function does on its
 * schedule (before an investigation, say, or to see it work on the embedded stack).
 * Exit code 0 anchored (or nothing new to anchor), 2 usage or configuration, 3 a chain or the bucket failed.
 */
const USAGE =
  'usage: npm run audit -- verify | anchor   (reads AUDIT_LOG_TABLE, AUDIT_ANCHOR_BUCKET, AWS_REGION; for `npm start`: . .tmp/embedded-stack.env)';

/** Every office of the hierarchy has a chain, as the auditAnchor function names them. */
const OFFICES_FILE = resolve(REPO_ROOT, 'rules/reference/offices.yaml');

const auditLogOf = (config: AuditToolConfig) =>
  new DynamoDbAuditLog(getDocumentClient(TOOL_REQUEST_HANDLER), config.AUDIT_LOG_TABLE);

const anchorsOf = (config: AuditToolConfig) =>
  new S3AuditAnchors(
    getS3Client(TOOL_REQUEST_HANDLER, config.AWS_ENDPOINT_URL_S3),
    config.AUDIT_ANCHOR_BUCKET,
  );

const anchor = async (config: AuditToolConfig): Promise<number> => {
  const anchorChains = makeAnchorAuditChains({
    auditLog: auditLogOf(config),
    anchors: anchorsOf(config),
    clock: systemClock,
  });
  try {
    const stored = await anchorChains(
      auditChainsOf(new FileOfficeDirectory(OFFICES_FILE).load().offices.keys()),
    );
    console.log(
      stored === undefined
        ? 'no chain has entries: nothing to anchor'
        : `anchored ${stored.heads.length} chain(s) at ${stored.anchoredAt}: ${stored.heads.map((head) => `${head.chain} #${head.seq}`).join(', ')}`,
    );
    return 0;
  } catch (error) {
    console.error(`audit anchor failed: ${(error as Error).message}`);
    return 3;
  }
};

const anchoredText = (report: ChainReport): string =>
  report.anchored === undefined
    ? 'not anchored yet'
    : `anchored up to entry ${report.anchored.seq} (${report.anchored.anchoredAt})`;

const lineOf = (chain: ChainReport): string => {
  if (chain.failure !== undefined)
    return `ALTERED  ${chain.chain}: entry ${chain.failure.seq} of ${chain.entries}: ${chain.failure.problem}`;
  return `ok       ${chain.chain}: ${chain.entries} entries, ${anchoredText(chain)}`;
};

const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  if ((command !== 'verify' && command !== 'anchor') || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const config = toolConfigOrUsage(AuditToolConfigSchema, USAGE);
  if (config === undefined) return 2;
  if (command === 'anchor') return anchor(config);
  const verify = makeVerifyAuditLog(auditLogOf(config), anchorsOf(config));
  let result: Awaited<ReturnType<typeof verify>>;
  try {
    result = await verify();
  } catch (error) {
    // Not 1: that says the log was altered, and an unreachable table or bucket says nothing about the log.
    console.error(`audit verify could not read the log or its anchors: ${(error as Error).message}`);
    return 3;
  }
  for (const chain of result.chains) console.log(lineOf(chain));
  for (const { key, problem } of result.anchorProblems) console.log(`TAMPERED anchor ${key}: ${problem}`);
  console.log(
    result.newestAnchorAt === undefined
      ? 'no anchor yet'
      : `newest anchor ${result.newestAnchorAt}: entries made since are not protected yet`,
  );
  if (result.chains.length === 0) console.log('the audit log is empty');
  if (result.firstFailure) {
    console.log(
      `audit verify FAILED: first altered entry is ${result.firstFailure.chain} #${result.firstFailure.seq}`,
    );
    return 1;
  }
  if (!result.ok) {
    console.log('audit verify FAILED: the anchors were tampered with');
    return 1;
  }
  console.log(`audit verify passed: ${result.chains.length} chain(s) intact`);
  return 0;
};

process.exitCode = await main();

import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { S3AuditAnchors } from '../adapters/s3-audit-anchors.js';
import { systemClock } from '../adapters/system-clock.js';
import { makeAnchorAuditChains } from '../audit/anchor-audit-chains.js';
import type { AuditAnchor } from '../core/audit/audit-anchor.js';
import { auditChainsOf } from '../core/audit/audit-chain.js';
import { getDocumentClient, getS3Client } from '../platform/clients.js';
import { AuditAnchorConfigSchema, loadConfig } from '../platform/config.js';
import { makeLogger } from '../platform/logger.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';

const config = loadConfig(AuditAnchorConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'auditAnchor' });
const chains = auditChainsOf(new FileOfficeDirectory(config.OFFICES_FILE).load().offices.keys());
const anchorChains = makeAnchorAuditChains({
  auditLog: new DynamoDbAuditLog(getDocumentClient(), config.AUDIT_LOG_TABLE),
  anchors: new S3AuditAnchors(getS3Client(undefined, config.AWS_ENDPOINT_URL_S3), config.AUDIT_ANCHOR_BUCKET),
  clock: systemClock,
});

/** On a schedule: anchors the audit chains' heads. A failed run fails the invocation (error alarm); the next run anchors. */
export const handler = middy<ScheduledEvent, AuditAnchor | undefined>(RUN_TO_LAMBDA_TIMEOUT).handler(
  async () => {
    const anchor = await anchorChains(chains);
    if (anchor !== undefined)
      logger.info('audit chains anchored', { anchoredAt: anchor.anchoredAt, chains: anchor.heads.length });
    return anchor;
  },
);

import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseInput, parseJsonText } from '../../events/input-issues.js';
import { isContractId, visibleText } from '../../events/manifest-v1.js';
import { DynamoDbDecisionStore } from '../adapters/dynamodb-decision-store.js';
import { dynamoDbReviewEffects } from '../adapters/dynamodb-review-effects.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { systemClock } from '../adapters/system-clock.js';
import { isInspectionOffice } from '../core/access/offices.js';
import { parcelKey } from '../core/keys.js';
import { onlyKnownFields, quoted } from '../core/review/known-fields.js';
import { FindingSchema, safeLines } from '../core/review/outcome.js';
import { dropInvisible } from '../core/text/text.js';
import { getDocumentClient } from '../platform/clients.js';
import { loadConfig, ReviewConfigSchema } from '../platform/config.js';
import { NotFoundError } from '../platform/errors.js';
import { jsonResponse, readBody, requireJsonContent } from '../platform/http.js';
import { makeLogger } from '../platform/logger.js';
import { problemDetails, staffRequestFields } from '../platform/middleware/problem-details.js';
import { RUN_TO_LAMBDA_TIMEOUT } from '../platform/middy-options.js';
import { authorizeStaff } from '../platform/staff-auth.js';
import {
  type CaseActionContext,
  makeClaimParcel,
  makeCorrectOutcome,
  makeRecordOutcome,
  makeReleaseParcel,
} from './case-actions.js';
import { MAX_PAGE_SIZE, makeListInspections } from './list-inspections.js';
import { makeReadInspection } from './read-inspection.js';
import type { ReviewDeps } from './review-deps.js';

const config = loadConfig(ReviewConfigSchema);
const logger = makeLogger(config.LOG_LEVEL, { fn: 'review' });
const db = getDocumentClient();

const deps: ReviewDeps = {
  ...dynamoDbReviewEffects(db, config, logger),
  decisions: new DynamoDbDecisionStore(db, config.DECISIONS_TABLE),
  offices: new FileOfficeDirectory(config.OFFICES_FILE).load(),
  clock: systemClock,
  leaseMinutes: config.LEASE_MINUTES,
  pageSize: config.LIST_PAGE_SIZE,
};
const listInspections = makeListInspections(deps);
const readInspection = makeReadInspection(deps);
/** An inspection office of the tree: only such an `office` parameter is logged (see staffRequestFields). */
const isOffice = (office: string) => isInspectionOffice(deps.offices, office);
const claimParcel = makeClaimParcel(deps);
const releaseParcel = makeReleaseParcel(deps);
const recordOutcome = makeRecordOutcome(deps);
const correctOutcome = makeCorrectOutcome(deps);

/**
 * The largest staff body: a correction with every field at its bound (4,700 characters of text) sent as
 * JSON with non-ASCII escaped, as many clients write it (`\ud83d\ude00`: 12 bytes a character), fits.
 */
const MAX_BODY_BYTES = 65_536;

/** The access log line of a read that returns personal data (see logPersonalDataRead). */
export const PERSONAL_DATA_READ = 'personal data read';

/** `limit`: a page's size, as a query parameter's text; none gives the deployment's page size. */
const PageSizeSchema = z.string().transform((text, ctx) => {
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (limit >= 1 && limit <= MAX_PAGE_SIZE) return limit;
  ctx.addIssue({
    code: 'custom',
    message: `limit must be a whole number from 1 to ${MAX_PAGE_SIZE} (the most parcels a page holds); got ${quoted(text)}`,
  });
  return z.NEVER;
});

/** `claimedBy=me`: only the parcels under a live claim of the caller's. Nobody else's claims are listed. */
const ClaimedBySchema = z.string().refine((text) => text === 'me', {
  error: (issue) =>
    `claimedBy takes only "me" (the parcels you hold a live claim on); got ${quoted(issue.input)}`,
});

/** The queue's query parameters; any other is named as an unknown query parameter at its own path. */
const ListQuerySchema = onlyKnownFields(
  ['office', 'status', 'cursor', 'limit', 'claimedBy'],
  z
    .object({
      office: z.string({ error: 'office is required' }).min(1, 'office is required'),
      status: z.enum(['open', 'claimed', 'closed']).default('open'),
      cursor: z.string().min(1).optional(),
      limit: PageSizeSchema.optional(),
      claimedBy: ClaimedBySchema.optional(),
    })
    .superRefine((query, ctx) => {
      if (query.claimedBy !== undefined && query.status === 'closed') {
        ctx.addIssue({
          code: 'custom',
          path: ['claimedBy'],
          message: 'a closed parcel is claimed by nobody: list claimedBy=me with status open or claimed',
        });
      }
    }),
  'query parameter',
);

const WHY_CORRECTED = 'say why the outcome is corrected, in at least 5 characters that show';

const CorrectionSchema = z.strictObject({
  finding: FindingSchema,
  // At least 5 characters that show: invisible ones (zero-width spaces, …) do not say why. Text that
  // shows nothing at all is visibleText's to refuse, once.
  reason: visibleText(safeLines(z.string().trim().min(1, WHY_CORRECTED).max(2000))).refine((reason) => {
    const shown = dropInvisible(reason).trim();
    return shown === '' || [...shown].length >= 5;
  }, WHY_CORRECTED),
  corrections: z
    .number({ error: 'say how many corrections the parcel showed when you read it (0 for none)' })
    .int()
    .nonnegative(),
});

const jsonBody = (event: APIGatewayProxyEventV2): unknown => {
  requireJsonContent(event);
  return parseJsonText(readBody(event, MAX_BODY_BYTES));
};

const contextOf = (event: APIGatewayProxyEventV2): CaseActionContext => {
  const { principal, actor } = authorizeStaff(event);
  const partnerId = event.pathParameters?.partnerId;
  const parcelId = event.pathParameters?.parcelId;
  if (!isContractId(partnerId) || !isContractId(parcelId))
    throw new NotFoundError('the path names no parcel');
  return {
    principal,
    actor,
    parcelKey: parcelKey(partnerId, parcelId),
    requestId: event.requestContext.requestId,
  };
};

/**
 * The access log of reads that return personal data (a queue item carries the parcel's consignee, phone
 * and address: the queue, and one parcel of it): who (the staff id, as the audit log records it), at
 * which office, which parcels. The
 * audit log records changes only; this line is the record of who saw whom.
 */
const logPersonalDataRead = (
  event: APIGatewayProxyEventV2,
  office: string,
  items: readonly { parcelKey: string }[],
): void => {
  logger.info(PERSONAL_DATA_READ, {
    ...staffRequestFields(event, isOffice),
    office,
    parcels: items.map((item) => item.parcelKey),
  });
};

/** The staff routes of the review queue (ROUTES in infra/definitions.ts); every one checks role and office. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(RUN_TO_LAMBDA_TIMEOUT)
  .use(problemDetails(logger, { isOffice }))
  .handler(async (event) => {
    switch (event.routeKey) {
      case 'GET /v1/inspections': {
        const { principal } = authorizeStaff(event);
        const { claimedBy, ...query } = parseInput(
          ListQuerySchema,
          event.queryStringParameters ?? {},
          'the query',
        );
        const page = await listInspections(principal, {
          ...query,
          ...(claimedBy === 'me' ? { claimedBy: principal.subject } : {}),
        });
        logPersonalDataRead(event, page.office, page.items);
        return jsonResponse(200, page);
      }
      case 'GET /v1/inspections/{partnerId}/{parcelId}': {
        const { principal, parcelKey: key } = contextOf(event);
        const item = await readInspection(principal, key);
        logPersonalDataRead(event, item.inspectionOffice, [item]);
        return jsonResponse(200, item);
      }
      case 'POST /v1/inspections/{partnerId}/{parcelId}/claim':
        return jsonResponse(200, await claimParcel(contextOf(event)));
      case 'POST /v1/inspections/{partnerId}/{parcelId}/release':
        return jsonResponse(200, await releaseParcel(contextOf(event)));
      case 'POST /v1/inspections/{partnerId}/{parcelId}/outcome': {
        const context = contextOf(event);
        const finding = parseInput(FindingSchema, jsonBody(event), 'the outcome');
        const result = await recordOutcome(context, finding);
        logger.info('outcome recorded', {
          partnerId: result.partnerId,
          parcelId: result.parcelId,
          outcome: finding.outcome,
        });
        return jsonResponse(200, result);
      }
      case 'POST /v1/inspections/{partnerId}/{parcelId}/correction': {
        const context = contextOf(event);
        const correction = parseInput(CorrectionSchema, jsonBody(event), 'the correction');
        const { finding, reason, corrections } = correction;
        return jsonResponse(200, await correctOutcome(context, finding, reason, corrections));
      }
      default:
        throw new NotFoundError(`no route ${event.routeKey}`);
    }
  });

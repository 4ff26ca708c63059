import { randomBytes, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { DynamoDbPartnerSecrets } from '../adapters/dynamodb-partner-secrets.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { systemClock } from '../adapters/system-clock.js';
import type { AuditDraft } from '../core/audit/audit-chain.js';
import { REPO_ROOT } from '../local/repo-root.js';
import { makeAddPartner, type NewPartner, validateNewPartner } from '../operations/add-partner.js';
import {
  callbackSetDraft,
  type OperatorAction,
  partnerAddedDraft,
  recordAction,
  secretsRotatedDraft,
} from '../operations/operator-audit.js';
import { partnerIdProblem } from '../operations/partner-fields.js';
import { makeRotatePartnerSecret } from '../operations/rotate-partner-secret.js';
import { makeSetPartnerCallback } from '../operations/set-partner-callback.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import {
  loadConfig,
  type PartnerToolConfig,
  PartnerToolConfigSchema,
  ToolTargetConfigSchema,
} from '../platform/config.js';
import { DependencyError, type InputIssue, isAppError, ValidationError } from '../platform/errors.js';
import { parseToolArgs } from './arguments.js';
import { toolActor } from './tool-actor.js';
import { toolConfigOrUsage } from './tool-config.js';
import { asksForHelp, runAsTool } from './tool-process.js';

/**
 * `npm run partner -- add <partnerId> --region <region> [--callback-url https://...]`: adds a
 * logistics partner with a first webhook secret; refused when the partner exists (its secrets are never
 * overwritten). The region must be a region of rules/reference/offices.yaml, the callback URL https.
 *
 * `npm run partner -- rotate <partnerId> [--overlap-hours 24]`: gives a partner a new webhook secret and
 * lets its old ones verify for the overlap only.
 *
 * `npm run partner -- callback <partnerId> --url https://... | --none`: points an existing partner's
 * referrals at a new callback URL, or stops posting them (the partner reads GET /v1/manifests/{id}).
 *
 * Add and rotate print the new secret once, on stdout and nothing else there, for the operator to hand
 * over; it is never logged. Everything else goes to stderr. The table comes from PARTNERS_TABLE; on
 * the embedded stack (a DynamoDB endpoint on this machine) a callback URL may be plain http to this
 * machine, as notify allows there. Each change is recorded in the audit log's `operations` chain
 * (AUDIT_LOG_TABLE) after it is made, under `--actor`, else $USER, else the account name.
 * Exit codes: 0 added, rotated or set; 1 refused or failed (partner exists, unknown partner, concurrent
 * rotation, any other AWS error); 2 wrong usage, an invalid argument or a missing setting; 3 the
 * partners table did not answer, or the change was made and the audit log did not record it (the
 * secret is still printed: the change stands).
 */

const USAGE = `usage: npm run partner -- add <partnerId> --region <region> [--callback-url https://...] [--actor name]
       npm run partner -- rotate <partnerId> [--overlap-hours 24] [--actor name]
       npm run partner -- callback <partnerId> --url https://... | --none [--actor name]
<region> is a region of rules/reference/offices.yaml (e.g. yunnan-guangxi), not the deployment's -c regionId
(reads PARTNERS_TABLE, AUDIT_LOG_TABLE, AWS_REGION; the actor the audit log records defaults to $USER, else the account name)`;
const MAX_OVERLAP_HOURS = 24 * 30;
const DEFAULT_OVERLAP_HOURS = 24;
/** The hierarchy ingest routes by, as bundled with the functions: its regions are the partners' regions. */
const OFFICES_FILE = resolve(REPO_ROOT, 'rules/reference/offices.yaml');
const HAND_OVER = 'new secret (shown once, hand it to the partner over a secure channel):\n';

/** 32 random bytes, base64, in the Standard Webhooks `whsec_` form: every secret add or rotate makes. */
const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

type Command = (
  | { name: 'add'; partner: NewPartner }
  | { name: 'rotate'; partnerId: string; overlapHours: number }
  | { name: 'callback'; partnerId: string; callbackUrl: string | undefined }
) & { actor: string | undefined };

const parseCommand = (args: string[]): Command => {
  const { values, positionals } = parseToolArgs({
    args,
    options: {
      'overlap-hours': { type: 'string' },
      region: { type: 'string' },
      'callback-url': { type: 'string' },
      url: { type: 'string' },
      none: { type: 'boolean' },
      actor: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, partnerId, ...rest] = positionals;
  const { actor } = values;
  if (command !== 'callback' && (values.url !== undefined || values.none !== undefined))
    throw new Error('--url and --none are for callback');
  if (command === 'add') {
    if (partnerId === undefined || rest.length > 0) throw new Error('expected: add <partnerId>');
    if (values['overlap-hours'] !== undefined) throw new Error('--overlap-hours is for rotate');
    if (values.region === undefined) throw new Error('add needs --region <region>');
    return {
      name: 'add',
      actor,
      partner: {
        partnerId,
        region: values.region,
        ...(values['callback-url'] === undefined ? {} : { callbackUrl: values['callback-url'] }),
      },
    };
  }
  if (command === 'rotate') {
    if (partnerId === undefined || rest.length > 0) throw new Error('expected: rotate <partnerId>');
    if (values.region !== undefined || values['callback-url'] !== undefined) {
      throw new Error('--region and --callback-url are for add');
    }
    const written = values['overlap-hours'] ?? String(DEFAULT_OVERLAP_HOURS);
    // Decimal digits only: Number('') is 0, and an empty $HOURS would end the old secret at once.
    const overlapHours = /^\d+(\.\d+)?$/.test(written) ? Number(written) : Number.NaN;
    if (!Number.isFinite(overlapHours) || overlapHours < 0 || overlapHours > MAX_OVERLAP_HOURS) {
      throw new Error(
        `--overlap-hours must be a number of hours between 0 and ${MAX_OVERLAP_HOURS}, not ${JSON.stringify(written)}`,
      );
    }
    return { name: 'rotate', partnerId, overlapHours, actor };
  }
  if (command === 'callback') {
    if (partnerId === undefined || rest.length > 0) throw new Error('expected: callback <partnerId>');
    if (
      values.region !== undefined ||
      values['callback-url'] !== undefined ||
      values['overlap-hours'] !== undefined
    )
      throw new Error('callback takes --url or --none only');
    if ((values.url === undefined) === (values.none !== true))
      throw new Error('callback needs either --url <callback URL> or --none');
    return { name: 'callback', partnerId, callbackUrl: values.url, actor };
  }
  throw new Error('expected a command: add, rotate or callback');
};

/** Names every invalid argument and why, with the usage: exit 2. */
const invalidArguments = (what: string, issues: readonly InputIssue[]): number => {
  process.stderr.write(
    `${what}, invalid arguments:\n${issues.map((issue) => `  ${issue.path}: ${issue.message}\n`).join('')}${USAGE}\n`,
  );
  return 2;
};

/** Exit 1 for a refusal (an unknown or existing partner); 3 when the partners table did not answer, as in the other tools. */
const failure = (what: string, error: unknown): number => {
  process.stderr.write(
    `${what}: ${isAppError(error) ? `${error.code}: ${error.message}` : (error as Error).message}\n`,
  );
  return error instanceof DependencyError ? 3 : 1;
};

/** The settings and the operator who acts, or undefined after saying what is wrong (exit 2). */
const settingsAndActor = (
  given: string | undefined,
): { config: PartnerToolConfig; by: (at: string) => OperatorAction } | undefined => {
  const config = toolConfigOrUsage(PartnerToolConfigSchema, USAGE);
  if (!config) return undefined;
  const actor = toolActor(given, config.USER);
  if (actor instanceof Error) {
    process.stderr.write(`${actor.message}\n${USAGE}\n`);
    return undefined;
  }
  const runId = randomUUID();
  return { config, by: (at) => ({ actor, at, runId }) };
};

const partnersOf = (config: PartnerToolConfig) =>
  new DynamoDbPartnerSecrets(getDocumentClient(TOOL_REQUEST_HANDLER), config.PARTNERS_TABLE);

/**
 * Records a change that was made in the audit log: exit 0, or 3 saying that the change stands
 * unrecorded, with the action's id for the auditors.
 */
const recorded = async (config: PartnerToolConfig, draft: AuditDraft): Promise<number> => {
  const auditLog = new DynamoDbAuditLog(getDocumentClient(TOOL_REQUEST_HANDLER), config.AUDIT_LOG_TABLE);
  const unrecorded = await recordAction(auditLog, draft);
  if (unrecorded === undefined) return 0;
  process.stderr.write(`the change stands, but the audit log did not record it ${unrecorded}\n`);
  return 3;
};

const add = async (
  partner: NewPartner,
  actor: string | undefined,
  localReceivers: boolean,
): Promise<number> => {
  const offices = new FileOfficeDirectory(OFFICES_FILE).load();
  // Checked before the settings: a wrong argument is named even where no table is configured.
  const issues = validateNewPartner(partner, offices, localReceivers);
  if (issues.length > 0) return invalidArguments('partner not added', issues);
  const settings = settingsAndActor(actor);
  if (!settings) return 2;
  const addPartner = makeAddPartner({
    partners: partnersOf(settings.config),
    offices,
    generateSecret,
    localReceivers,
  });
  let added: Awaited<ReturnType<typeof addPartner>>;
  try {
    added = await addPartner(partner);
  } catch (error) {
    return failure('partner not added', error);
  }
  process.stderr.write(
    `added ${added.partnerId} in region ${added.region}, ` +
      `${added.callbackUrl ? `referrals posted to ${added.callbackUrl}` : 'no callback URL (referrals by GET /v1/manifests/{id})'}\n${HAND_OVER}`,
  );
  process.stdout.write(`${added.secret}\n`);
  return recorded(settings.config, partnerAddedDraft(settings.by(systemClock.now().toISOString()), added));
};

const rotate = async (
  partnerId: string,
  overlapHours: number,
  actor: string | undefined,
): Promise<number> => {
  const idProblem = partnerIdProblem(partnerId);
  if (idProblem !== undefined)
    return invalidArguments('partner not rotated', [{ path: 'partnerId', message: idProblem }]);
  const settings = settingsAndActor(actor);
  if (!settings) return 2;
  const rotatePartnerSecret = makeRotatePartnerSecret({
    secrets: partnersOf(settings.config),
    clock: systemClock,
    generateSecret,
  });
  let result: Awaited<ReturnType<typeof rotatePartnerSecret>>;
  try {
    result = await rotatePartnerSecret(partnerId, overlapHours);
  } catch (error) {
    return failure('rotation failed', error);
  }
  process.stderr.write(
    `rotated ${result.partnerId}: previous secrets verify until ${result.previousValidUntil}` +
      `${result.removed > 0 ? `; ${result.removed} expired secret(s) removed` : ''}\n${HAND_OVER}`,
  );
  process.stdout.write(`${result.secret}\n`);
  return recorded(settings.config, secretsRotatedDraft(settings.by(result.at), result));
};

const setCallback = async (
  partnerId: string,
  callbackUrl: string | undefined,
  actor: string | undefined,
  localReceivers: boolean,
): Promise<number> => {
  const settings = settingsAndActor(actor);
  if (!settings) return 2;
  const setPartnerCallback = makeSetPartnerCallback({
    partners: partnersOf(settings.config),
    localReceivers,
  });
  let set: Awaited<ReturnType<typeof setPartnerCallback>>;
  try {
    set = await setPartnerCallback(partnerId, callbackUrl);
  } catch (error) {
    if (error instanceof ValidationError) return invalidArguments('callback not set', error.issues);
    return failure('callback not set', error);
  }
  process.stderr.write(
    set.callbackUrl === undefined
      ? `${partnerId}: no callback URL, referrals by GET /v1/manifests/{id}\n`
      : `${partnerId}: referrals posted to ${set.callbackUrl}\n`,
  );
  return recorded(
    settings.config,
    callbackSetDraft(settings.by(systemClock.now().toISOString()), {
      partnerId,
      before: set.previous ?? null,
      after: set.callbackUrl ?? null,
    }),
  );
};

/** Runs `npm run partner -- <argv>`: its exit code. */
export const runPartner = async (argv: string[]): Promise<number> => {
  if (asksForHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  // Only add and callback take a URL; the endpoint decides, and parsing it never fails.
  const localReceivers = () => loadConfig(ToolTargetConfigSchema).embeddedStack;
  switch (command.name) {
    case 'add':
      return add(command.partner, command.actor, localReceivers());
    case 'rotate':
      return rotate(command.partnerId, command.overlapHours, command.actor);
    case 'callback':
      return setCallback(command.partnerId, command.callbackUrl, command.actor, localReceivers());
  }
};

if (import.meta.main) await runAsTool(runPartner);

import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DynamoDbPartnerSecrets } from '../adapters/dynamodb-partner-secrets.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { systemClock } from '../adapters/system-clock.js';
import { REPO_ROOT } from '../local/repo-root.js';
import { makeAddPartner, type NewPartner, validateNewPartner } from '../operations/add-partner.js';
import { partnerIdProblem } from '../operations/partner-fields.js';
import { makeRotatePartnerSecret } from '../operations/rotate-partner-secret.js';
import { makeSetPartnerCallback } from '../operations/set-partner-callback.js';
import { getDocumentClient, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { loadConfig, PartnerToolConfigSchema, ToolTargetConfigSchema } from '../platform/config.js';
import { DependencyError, type InputIssue, isAppError, ValidationError } from '../platform/errors.js';
import { parseToolArgs } from './arguments.js';
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
 * machine, as notify allows there.
 * Exit codes: 0 added, rotated or set; 1 refused or failed (partner exists, unknown partner, concurrent
 * rotation, any other AWS error); 2 wrong usage, an invalid argument or a missing setting; 3 the
 * partners table did not answer.
 */

const USAGE = `usage: npm run partner -- add <partnerId> --region <region> [--callback-url https://...]
       npm run partner -- rotate <partnerId> [--overlap-hours 24]
       npm run partner -- callback <partnerId> --url https://... | --none
<region> is a region of rules/reference/offices.yaml (e.g. yunnan-guangxi), not the deployment's -c regionId`;
const MAX_OVERLAP_HOURS = 24 * 30;
const DEFAULT_OVERLAP_HOURS = 24;
/** The hierarchy ingest routes by, as bundled with the functions: its regions are the partners' regions. */
const OFFICES_FILE = resolve(REPO_ROOT, 'rules/reference/offices.yaml');
const HAND_OVER = 'new secret (shown once, hand it to the partner over a secure channel):\n';

/** 32 random bytes, base64, in the Standard Webhooks `whsec_` form: every secret add or rotate makes. */
const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

type Command =
  | { name: 'add'; partner: NewPartner }
  | { name: 'rotate'; partnerId: string; overlapHours: number }
  | { name: 'callback'; partnerId: string; callbackUrl: string | undefined };

const parseCommand = (args: string[]): Command => {
  const { values, positionals } = parseToolArgs({
    args,
    options: {
      'overlap-hours': { type: 'string' },
      region: { type: 'string' },
      'callback-url': { type: 'string' },
      url: { type: 'string' },
      none: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command, partnerId, ...rest] = positionals;
  if (command !== 'callback' && (values.url !== undefined || values.none !== undefined))
    throw new Error('--url and --none are for callback');
  if (command === 'add') {
    if (partnerId === undefined || rest.length > 0) throw new Error('expected: add <partnerId>');
    if (values['overlap-hours'] !== undefined) throw new Error('--overlap-hours is for rotate');
    if (values.region === undefined) throw new Error('add needs --region <region>');
    return {
      name: 'add',
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
    return { name: 'rotate', partnerId, overlapHours };
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
    return { name: 'callback', partnerId, callbackUrl: values.url };
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

const add = async (partner: NewPartner, localReceivers: boolean): Promise<number> => {
  const offices = new FileOfficeDirectory(OFFICES_FILE).load();
  // Checked before the settings: a wrong argument is named even where no table is configured.
  const issues = validateNewPartner(partner, offices, localReceivers);
  if (issues.length > 0) return invalidArguments('partner not added', issues);
  const config = toolConfigOrUsage(PartnerToolConfigSchema, USAGE);
  if (!config) return 2;
  const addPartner = makeAddPartner({
    partners: new DynamoDbPartnerSecrets(getDocumentClient(TOOL_REQUEST_HANDLER), config.PARTNERS_TABLE),
    offices,
    generateSecret,
    localReceivers,
  });
  try {
    const added = await addPartner(partner);
    process.stderr.write(
      `added ${added.partnerId} in region ${added.region}, ` +
        `${added.callbackUrl ? `referrals posted to ${added.callbackUrl}` : 'no callback URL (referrals by GET /v1/manifests/{id})'}\n${HAND_OVER}`,
    );
    process.stdout.write(`${added.secret}\n`);
    return 0;
  } catch (error) {
    return failure('partner not added', error);
  }
};

const rotate = async (partnerId: string, overlapHours: number): Promise<number> => {
  const idProblem = partnerIdProblem(partnerId);
  if (idProblem !== undefined)
    return invalidArguments('partner not rotated', [{ path: 'partnerId', message: idProblem }]);
  const config = toolConfigOrUsage(PartnerToolConfigSchema, USAGE);
  if (!config) return 2;
  const rotatePartnerSecret = makeRotatePartnerSecret({
    secrets: new DynamoDbPartnerSecrets(getDocumentClient(TOOL_REQUEST_HANDLER), config.PARTNERS_TABLE),
    clock: systemClock,
    generateSecret,
  });
  try {
    const result = await rotatePartnerSecret(partnerId, overlapHours);
    process.stderr.write(
      `rotated ${result.partnerId}: previous secrets verify until ${result.previousValidUntil}` +
        `${result.removed > 0 ? `; ${result.removed} expired secret(s) removed` : ''}\n${HAND_OVER}`,
    );
    process.stdout.write(`${result.secret}\n`);
    return 0;
  } catch (error) {
    return failure('rotation failed', error);
  }
};

const setCallback = async (
  partnerId: string,
  callbackUrl: string | undefined,
  localReceivers: boolean,
): Promise<number> => {
  const config = toolConfigOrUsage(PartnerToolConfigSchema, USAGE);
  if (!config) return 2;
  const setPartnerCallback = makeSetPartnerCallback({
    partners: new DynamoDbPartnerSecrets(getDocumentClient(TOOL_REQUEST_HANDLER), config.PARTNERS_TABLE),
    localReceivers,
  });
  try {
    const set = await setPartnerCallback(partnerId, callbackUrl);
    process.stderr.write(
      set.callbackUrl === undefined
        ? `${partnerId}: no callback URL, referrals by GET /v1/manifests/{id}\n`
        : `${partnerId}: referrals posted to ${set.callbackUrl}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) return invalidArguments('callback not set', error.issues);
    return failure('callback not set', error);
  }
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
      return add(command.partner, localReceivers());
    case 'rotate':
      return rotate(command.partnerId, command.overlapHours);
    case 'callback':
      return setCallback(command.partnerId, command.callbackUrl, localReceivers());
  }
};

if (import.meta.main) await runAsTool(runPartner);

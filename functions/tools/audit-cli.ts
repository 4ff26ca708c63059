import { resolve } from 'node:path';
import { DynamoDbAuditLog } from '../adapters/dynamodb-audit-log.js';
import { FileOfficeDirectory } from '../adapters/file-office-directory.js';
import { S3AuditAnchors } from '../adapters/s3-audit-anchors.js';
import { systemClock } from '../adapters/system-clock.js';
import { makeAnchorAuditChains } from '../audit/anchor-audit-chains.js';
import { makeVerifyAuditLog } from '../audit/verify-audit-log.js';
import { inspectionOfficesUnder } from '../core/access/offices.js';
import {
  type AuditEntry,
  auditChainsOf,
  OPERATIONS_AUDIT_CHAIN,
  RULES_AUDIT_CHAIN,
} from '../core/audit/audit-chain.js';
import { type AuditEntryFilter, listAuditEntries } from '../core/audit/audit-listing.js';
import { didYouMean } from '../core/rules/did-you-mean.js';
import { REPO_ROOT } from '../local/repo-root.js';
import { getDocumentClient, getS3Client, TOOL_REQUEST_HANDLER } from '../platform/clients.js';
import { type AuditToolConfig, AuditToolConfigSchema } from '../platform/config.js';
import {
  entryJsonLine,
  entryLine,
  listingFooter,
  parseShowCommand,
  SHOW_OPTIONS,
  type ShowCommand,
} from './audit-show.js';
import { anchoredLine, chainLines, verifyPassedLine } from './audit-verify-text.js';
import { shown } from './terminal-text.js';
import { toolConfigOrUsage } from './tool-config.js';
import { asksForHelp, runAsTool } from './tool-process.js';

/**
 * `npm run audit -- verify`: recomputes every hash chain of the audit log named by AUDIT_LOG_TABLE and
 * holds each to the anchors in AUDIT_ANCHOR_BUCKET (a deployed table and bucket with the usual AWS
 * credentials, or the embedded stack's: `npm start` writes the settings to .tmp/embedded-stack.env), and
 * reports every break of each chain, in chain order: each altered entry, each broken link, and each anchored
 * entry gone or changed (for a chain rewritten and rehashed, with the anchored entries the rewrite lies
 * between); at most FAILURES_SHOWN a chain, then how many more.
 * Exit code 0 intact, 1 altered, 2 usage or configuration, 3 the log or its anchors could not be read.
 *
 * `npm run audit -- anchor`: anchors every chain's head now, as the auditAnchor function does on its
 * schedule (before an investigation, say, or to see it work on the embedded stack).
 * It stores an anchor on every run, heads moved or not: a new process knows no earlier anchor.
 * Exit code 0 anchored (or no chain has entries), 2 usage or configuration, 3 a chain or the bucket failed.
 *
 * `npm run audit -- show [--chain …] [--parcel …] [--actor …] [--since …] [--until …] [--json]`: lists the
 * entries the filters select (all of them given must hold), oldest first, one line each (or one JSON
 * object each), every entry held to its chain as verify holds it and marked ALTERED where the chain
 * breaks; then how many matched. It reads the log only (AUDIT_LOG_TABLE), not the anchors.
 * Exit code 0 every entry listed intact, 1 one is altered, 2 usage or configuration, 3 the log could not be read.
 */
const USAGE = `usage: npm run audit -- verify | anchor | ${SHOW_OPTIONS}   (reads AUDIT_LOG_TABLE, AUDIT_ANCHOR_BUCKET (not for show), AWS_REGION)`;

/** What show reads: the log, not the anchors' bucket. */
const AuditShowConfigSchema = AuditToolConfigSchema.omit({ AUDIT_ANCHOR_BUCKET: true });

/** Every office of the hierarchy has a chain, as the auditAnchor function names them. */
const OFFICES_NAMED_IN = 'rules/reference/offices.yaml';
const OFFICES_FILE = resolve(REPO_ROOT, OFFICES_NAMED_IN);

const auditLogOf = (config: Pick<AuditToolConfig, 'AUDIT_LOG_TABLE'>) =>
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
    const stored = await anchorChains([...expectedChains()]);
    console.log(
      stored === undefined
        ? 'no chain has entries: nothing to anchor'
        : anchoredLine(stored.heads, stored.anchoredAt),
    );
    return 0;
  } catch (error) {
    console.error(`audit anchor failed: ${(error as Error).message}`);
    return 3;
  }
};

const loadOffices = () => new FileOfficeDirectory(OFFICES_FILE).load();

/** The chains the region writes: its offices', the rules' and the operations'. Any other holds entries nobody made here. */
const expectedChains = (tree = loadOffices()): ReadonlySet<string> =>
  new Set(auditChainsOf(tree.offices.keys()));

/**
 * The filter with `--chain` read against the office hierarchy: a city or a region stands for the
 * inspection offices under it (as a grant of it covers them), an inspection office, `rules` or
 * `operations` for its own chain. Any other name (a misspelling) is an Error, which would otherwise list nothing, read as
 * "nobody did anything".
 */
const chainsChosen = (
  filter: AuditEntryFilter,
  chains: ReadonlyMap<string, readonly AuditEntry[]>,
): AuditEntryFilter | Error => {
  const { chain } = filter;
  if (chain === undefined || chains.has(chain)) return filter;
  const tree = loadOffices();
  if (tree.offices.has(chain)) {
    const under = inspectionOfficesUnder(tree, chain);
    return under.length === 1 && under[0] === chain
      ? filter
      : { ...filter, chain: undefined, chains: new Set(under) };
  }
  if (chain === RULES_AUDIT_CHAIN || chain === OPERATIONS_AUDIT_CHAIN) return filter;
  const known = new Set([...expectedChains(tree), ...chains.keys()]);
  return new Error(
    `--chain ${shown(chain)} is no chain of this log: the chains are rules, operations and the offices of ${OFFICES_NAMED_IN}${didYouMean(chain, known)}`,
  );
};

const show = async ({ filter, json }: ShowCommand): Promise<number> => {
  const config = toolConfigOrUsage(AuditShowConfigSchema, USAGE);
  if (config === undefined) return 2;
  let chains: Map<string, AuditEntry[]>;
  try {
    chains = await auditLogOf(config).readAll();
  } catch (error) {
    // Not 1, as verify: an unreachable table says nothing about the log.
    console.error(`audit show could not read the log: ${shown((error as Error).message)}`);
    return 3;
  }
  const chosen = chainsChosen(filter, chains);
  if (chosen instanceof Error) {
    console.error(`${chosen.message}\n${USAGE}`);
    return 2;
  }
  const listing = listAuditEntries(chains, chosen);
  for (const listed of listing.listed) console.log(json ? entryJsonLine(listed) : entryLine(listed));
  // With --json, stdout holds entries only, for jq.
  (json ? console.error : console.log)(listingFooter(listing));
  return listing.altered > 0 || listing.unlistedBreaks.length > 0 ? 1 : 0;
};

/** Runs `npm run audit -- <argv>`: its exit code. */
export const runAuditCli = async (argv: string[]): Promise<number> => {
  if (asksForHelp(argv)) {
    console.log(USAGE);
    return 0;
  }
  const [command, ...rest] = argv;
  if (command === 'show') {
    const parsed = parseShowCommand(rest);
    if (parsed instanceof Error) {
      console.error(`${parsed.message}\n${USAGE}`);
      return 2;
    }
    return show(parsed);
  }
  if ((command !== 'verify' && command !== 'anchor') || rest.length > 0) {
    const why =
      command === undefined
        ? 'verify, anchor or show?'
        : command !== 'verify' && command !== 'anchor'
          ? `unknown command ${command}`
          : `${command} takes no arguments; also given: ${rest.join(' ')}`;
    console.error(`${why}\n${USAGE}`);
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
  const expected = expectedChains();
  for (const chain of result.chains) {
    for (const line of chainLines(chain)) console.log(line);
    if (!expected.has(chain.chain))
      console.log(
        `UNEXPECTED chain ${shown(chain.chain)}: neither rules, operations nor an office of ${OFFICES_NAMED_IN}`,
      );
  }
  for (const { key, problem } of result.anchorProblems)
    console.log(`TAMPERED anchor ${shown(key)}: ${shown(problem)}`);
  console.log(
    result.newestAnchorAt === undefined
      ? 'no anchor yet'
      : `newest anchor ${result.newestAnchorAt}: entries made since are not protected yet`,
  );
  if (result.chains.length === 0) console.log('the audit log is empty');
  if (result.firstFailure) {
    console.log(
      `audit verify FAILED: ${shown(result.firstFailure.chain)} breaks at entry ${result.firstFailure.seq}: ${shown(result.firstFailure.problem)}`,
    );
    return 1;
  }
  if (!result.ok) {
    console.log('audit verify FAILED: the anchors were tampered with');
    return 1;
  }
  console.log(verifyPassedLine(result.chains.length));
  return 0;
};

if (import.meta.main) await runAsTool(runAuditCli);

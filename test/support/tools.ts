import { runAuditCli } from '../../functions/tools/audit-cli.js';
import { runListsCli } from '../../functions/tools/lists-cli.js';
import { runPartner } from '../../functions/tools/partner.js';
import { runRedrive } from '../../functions/tools/redrive.js';
import { runRulesCli } from '../../functions/tools/rules/cli.js';
import type { ToolName } from '../../infra/definitions.js';
import type { CliRun } from './cli.js';
import { runToolInProcess } from './in-process.js';

/**
 * The operator tools as their users run them, `npm run <tool> -- <args>` with `env` over this
 * environment, in this process under their policy's grants (runToolInProcess in in-process.ts).
 */
type Tool = (args: string[], env?: Record<string, string>) => Promise<CliRun>;

const inProcess =
  (tool: ToolName, command: (argv: string[]) => Promise<number>): Tool =>
  (args, env = {}) =>
    runToolInProcess(tool, command, args, env);

export const rulesTool = inProcess('rules', runRulesCli);
export const listsTool = inProcess('lists', runListsCli);
export const redriveTool = inProcess('redrive', runRedrive);
export const partnerTool = inProcess('partner', runPartner);
export const auditTool = inProcess('audit', runAuditCli);

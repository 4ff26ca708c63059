import { runAuditCli } from '../../functions/tools/audit-cli.js';
import { runListsCli } from '../../functions/tools/lists-cli.js';
import { runPartner } from '../../functions/tools/partner.js';
import { runRedrive } from '../../functions/tools/redrive.js';
import { runRulesCli } from '../../functions/tools/rules/cli.js';
import { type CliRun, runToolInProcess } from './cli.js';

/**
 * The operator tools as their users run them, `npm run <tool> -- <args>` with `env` over this
 * environment, in this process under their policy's grants (runToolInProcess in cli.ts).
 */
type Tool = (args: string[], env?: Record<string, string>) => Promise<CliRun>;

export const rulesTool: Tool = (args, env = {}) => runToolInProcess('rules', runRulesCli, args, env);
export const listsTool: Tool = (args, env = {}) => runToolInProcess('lists', runListsCli, args, env);
export const redriveTool: Tool = (args, env = {}) => runToolInProcess('redrive', runRedrive, args, env);
export const partnerTool: Tool = (args, env = {}) => runToolInProcess('partner', runPartner, args, env);
export const auditTool: Tool = (args, env = {}) => runToolInProcess('audit', runAuditCli, args, env);

import { GrantCheck, refusedCallsError } from '../../functions/local/granted-calls.js';
import {
  LOCAL_RESOURCES_VARIABLE,
  type LocalResources,
  onStackResource,
} from '../../functions/local/grants-needed.js';
import { TOOL_REQUEST_HANDLER } from '../../functions/platform/clients.js';
import type { ToolName } from '../../infra/definitions.js';
import { toolGrantsOf } from '../../infra/grants.js';

/** Exit code of a tool that made a call its policy does not grant (EX_SOFTWARE). */
export const REFUSED_CALL_EXIT = 70;

export interface ToolCallCheck {
  /** The calls refused on the stack's own tables, queues or bucket: a grant missing, though the tool caught the refusal. */
  refusedOnStack(): Error | undefined;
  /** Stops checking the tool clients. */
  release(): void;
}

/**
 * Checks the calls `tool` makes through the platform's tool clients against its managed policy's grants
 * (TOOLS in infra/definitions.ts, infra/grants.ts), on the resources the embedded stack named in this
 * environment: a call outside them fails with AccessDenied, as in AWS. Without the stack's names (no
 * stack, say, for --help), every call is to an unknown resource: refused.
 */
export const checkToolCalls = (tool: ToolName): ToolCallCheck => {
  const resources = process.env[LOCAL_RESOURCES_VARIABLE] ?? '{ "tables": {}, "queues": {}, "buckets": {} }';
  const check = new GrantCheck(JSON.parse(resources) as LocalResources, (role) =>
    toolGrantsOf(role as ToolName),
  );
  check.attachToPlatformClients(TOOL_REQUEST_HANDLER, process.env.AWS_ENDPOINT_URL_S3, tool);
  return {
    // A call to something not of the stack (a mistyped queue URL) is refused in AWS too, by the same
    // policy: how the tool answers that is under test. A refused call on the stack's own is a grant missing.
    refusedOnStack: () => refusedCallsError(check.calls().filter((call) => onStackResource(call.grant))),
    release: () => check.release(),
  };
};

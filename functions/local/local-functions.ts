import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '../../infra/definitions.js';
import { inRoleOf, loadInRoleOf } from './granted-calls.js';
import { makeLambdaContext } from './lambda-context.js';
import { REPO_ROOT } from './repo-root.js';

/** The functions of infra/definitions.ts, loaded in process as Lambda would run them. */
export interface LocalFunctions {
  /** The function's handler, run in its role (granted-calls.ts). */
  handlerOf(name: FunctionName): unknown;
  timeoutOf(name: FunctionName): number;
  /** A fresh Lambda context per invocation, with the function's timeout. */
  contextFor(name: FunctionName): () => Context;
}

/**
 * Imports every function's handler module, one after the other, each in its role (Lambda's init phase).
 * The handlers read their configuration once, at import: the environment must be complete before.
 * `timeouts` shortens a function's timeout below infra/definitions.ts's.
 */
export const loadFunctions = async (
  timeouts: Partial<Record<FunctionName, number>> = {},
): Promise<LocalFunctions> => {
  const handlers = new Map<FunctionName, unknown>();
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    const module = (await loadInRoleOf(
      name,
      () => import(pathToFileURL(resolve(REPO_ROOT, FUNCTIONS[name].entry)).href),
    )) as {
      handler: (...args: unknown[]) => unknown;
    };
    handlers.set(name, inRoleOf(name, module.handler));
  }
  const timeoutOf = (name: FunctionName): number => timeouts[name] ?? FUNCTIONS[name].timeoutSeconds;
  return {
    handlerOf: (name) => handlers.get(name),
    timeoutOf,
    contextFor: (name) => () => makeLambdaContext(name, timeoutOf(name)),
  };
};

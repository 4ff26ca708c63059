import type { z } from 'zod';
import { ConfigError, loadConfig } from '../platform/config.js';

/** Where a newcomer's missing settings are, said by every tool that reads the stack's tables or queues. */
export const EMBEDDED_STACK_HINT =
  'on the stack `npm start` runs, load what it left for the tools first, in a subshell: ( . .tmp/embedded-stack.env && npm run … )';

/**
 * A tool's configuration from the environment, or undefined after printing what is missing and the
 * usage (the caller exits 2): a missing table name is a usage problem, not a crash.
 */
export const toolConfigOrUsage = <S extends z.ZodType>(schema: S, usage: string): z.infer<S> | undefined => {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\n${EMBEDDED_STACK_HINT}\n${usage}`);
    return undefined;
  }
};

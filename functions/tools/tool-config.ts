import type { z } from 'zod';
import { ConfigError, loadConfig } from '../platform/config.js';

/**
 * A tool's configuration from the environment, or undefined after printing what is missing and the
 * usage (the caller exits 2): a missing table name is a usage problem, not a crash.
 */
export const toolConfigOrUsage = <S extends z.ZodType>(schema: S, usage: string): z.infer<S> | undefined => {
  try {
    return loadConfig(schema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\n${usage}`);
    return undefined;
  }
};

import type { z } from 'zod';
import { formatPath, type InputIssue } from '../functions/platform/errors.js';

/** zod issues as what/where pairs: a JSON path and a one-line reason. */
export const toInputIssues = (error: z.ZodError): InputIssue[] =>
  error.issues.map((issue) => ({
    path: formatPath([...issue.path]),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${key}'`).join(', ')}`
        : issue.message,
  }));

import { ValidationError } from '../functions/platform/errors.js';
import { toInputIssues } from './input-issues.js';
import { type ScreeningRequested, ScreeningRequestedSchema } from './screening-requested-v1.js';

/** Parses a screening queue message body; a malformed one is a non-retryable ValidationError. */
export const parseScreeningRequested = (body: string): ScreeningRequested => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError('message body is not JSON', [{ path: '(root)', message: 'not JSON' }], error);
  }
  const parsed = ScreeningRequestedSchema.safeParse(json);
  if (!parsed.success) {
    throw new ValidationError('message does not match ScreeningRequested v1', toInputIssues(parsed.error));
  }
  return parsed.data;
};

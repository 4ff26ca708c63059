import { ValidationError } from '../functions/platform/errors.js';
import { toInputIssues } from './input-issues.js';
import { type ParcelReferred, ParcelReferredSchema } from './parcel-referred-v1.js';

/** Parses a referral queue message body; a malformed one is a non-retryable ValidationError. */
export const parseParcelReferred = (body: string): ParcelReferred => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError('message body is not JSON', [{ path: '(root)', message: 'not JSON' }], error);
  }
  const parsed = ParcelReferredSchema.safeParse(json);
  if (!parsed.success)
    throw new ValidationError('message does not match ParcelReferred v1', toInputIssues(parsed.error));
  return parsed.data;
};

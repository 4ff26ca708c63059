import type { z } from 'zod';
import { ValidationError } from '../functions/platform/errors.js';
import { toInputIssues } from './input-issues.js';
import { type ParcelReferred, ParcelReferredSchema } from './parcel-referred-v1.js';
import { type ScreeningRequested, ScreeningRequestedSchema } from './screening-requested-v1.js';

/** Parses a queue message body against its contract; a malformed one is a non-retryable ValidationError. */
const parseQueueMessage = <S extends z.ZodType>(schema: S, contract: string, body: string): z.infer<S> => {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ValidationError('message body is not JSON', [{ path: '(root)', message: 'not JSON' }], error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ValidationError(`message does not match ${contract}`, toInputIssues(parsed.error));
  return parsed.data;
};

export const parseScreeningRequested = (body: string): ScreeningRequested =>
  parseQueueMessage(ScreeningRequestedSchema, 'ScreeningRequested v1', body);

export const parseParcelReferred = (body: string): ParcelReferred =>
  parseQueueMessage(ParcelReferredSchema, 'ParcelReferred v1', body);

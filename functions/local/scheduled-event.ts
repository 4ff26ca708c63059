import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';

/** The event an EventBridge schedule rule sends to its target, for invoking a handler in process. */
export const scheduledEvent = (ruleName: string, region: string): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region,
  resources: [`arn:aws:events:${region}:000000000000:rule/${ruleName}`],
  detail: {},
});

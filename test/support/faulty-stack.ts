import { afterAll, beforeAll, expect } from 'vitest';
import type { Manifest } from '../../events/manifest-v1.js';
import {
  type EmbeddedStack,
  type EmbeddedStackOptions,
  startEmbeddedStack,
} from '../../functions/local/embedded-stack.js';
import { dynamoDbError, FaultPlan, type ProxiedRequest } from '../../functions/local/fault-proxy.js';
import { postAsPartner } from './embedded.js';

/** A string key attribute of a proxied DynamoDB request (its Key, or the Item it puts). */
export const keyAttribute = (request: ProxiedRequest, name: string): string | undefined =>
  ((request.body.Key ?? request.body.Item) as Record<string, { S?: string }> | undefined)?.[name]?.S;

/** An audit log that refuses every append to its operations chain, until the fault is cleared. */
export const operationsChainOutage = (faults: FaultPlan, auditLogTable: string) =>
  faults.inject({
    operation: 'PutItem',
    resource: auditLogTable,
    when: (request) => keyAttribute(request, 'chain') === 'operations',
    times: Number.POSITIVE_INFINITY,
    fault: dynamoDbError('ValidationException'),
  });

/**
 * DynamoDB clients make 4 attempts (functions/platform/clients.ts): a fault on 3 is absorbed by the SDK,
 * a fault on all 4 fails the call in our code, and an SQS record comes back after its visibility timeout.
 */
export const EVERY_DYNAMODB_ATTEMPT = 4;

/** Screening a message starts with a BatchGetItem of its parcels' decisions: one per delivery of it. */
export const readsDecisionOf =
  (table: string, pk: string) =>
  (request: ProxiedRequest): boolean =>
    (request.body.RequestItems as Record<string, { Keys?: { pk?: { S?: string } }[] }> | undefined)?.[
      table
    ]?.Keys?.some((key) => key.pk?.S === pk) === true;

export interface FaultyStack {
  readonly faults: FaultPlan;
  readonly stack: EmbeddedStack;
  /** Parcels of every manifest answered 202 so far: what the end-state checks expect to find. */
  readonly accepted: number;
  post(manifest: Manifest): Promise<void>;
}

/**
 * An embedded stack behind a fault-injecting proxy, started before the file's tests and stopped
 * after them, with a one-second visibility timeout so that retries come quickly.
 */
export const useFaultyStack = (
  options: Pick<EmbeddedStackOptions, 'env' | 'functionTimeoutSeconds'> = {},
): FaultyStack => {
  const faults = new FaultPlan();
  let stack: EmbeddedStack | undefined;
  let accepted = 0;
  beforeAll(async () => {
    stack = await startEmbeddedStack({ visibilityTimeoutSeconds: 1, faults, ...options });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return {
    faults,
    get stack() {
      if (!stack) throw new Error('the faulty stack is not started yet');
      return stack;
    },
    get accepted() {
      return accepted;
    },
    async post(manifest: Manifest) {
      const response = await postAsPartner(this.stack, manifest.partnerId, JSON.stringify(manifest));
      expect(response.status).toBe(202);
      accepted += manifest.parcels.length;
    },
  };
};

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import {
  FUNCTIONS,
  type FunctionName,
  QUEUES,
  type QueueDefinition,
  type QueueName,
} from '../../infra/definitions.js';
import type { DataStack } from '../../infra/stacks/data-stack.js';
import {
  addParcelguardStacks,
  DEFAULT_OPTIONS,
  type ParcelguardOptions,
} from '../../infra/stacks/parcelguard-stacks.js';
import type { ServiceStack } from '../../infra/stacks/service-stack.js';

/** The context `cdk synth` reads from cdk.json (feature flags included), so tests see the same templates. */
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../../cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

export interface SynthesizedParcelguard {
  app: App;
  dataStack: DataStack;
  serviceStack: ServiceStack;
  data: Template;
  service: Template;
}

/**
 * The app exactly as `infra/app.ts` builds it with default context, minus bundling: the bundles are
 * not under test here, and skipping esbuild keeps a synthesis to a few seconds. Call once per file.
 */
export const synthParcelguard = (options: Partial<ParcelguardOptions> = {}): SynthesizedParcelguard => {
  const app = new App({ context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] } });
  const { data: dataStack, service: serviceStack } = addParcelguardStacks(app, {
    ...DEFAULT_OPTIONS,
    ...options,
  });
  return {
    app,
    dataStack,
    serviceStack,
    data: Template.fromStack(dataStack),
    service: Template.fromStack(serviceStack),
  };
};

export interface ConsumedQueue {
  queue: QueueName;
  functionName: FunctionName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  maxConcurrency: number;
}

/** The queues parcelguard consumes, with their consumers, as the definitions declare them. */
export const consumedQueues = (): ConsumedQueue[] =>
  (Object.entries(QUEUES) as [QueueName, QueueDefinition][]).flatMap(([queue, { consumer }]) => {
    if (consumer === undefined) return [];
    if (!Object.hasOwn(FUNCTIONS, consumer.functionName)) {
      throw new Error(`queue ${queue}: consumer ${consumer.functionName} is not in FUNCTIONS`);
    }
    return [{ ...consumer, queue, functionName: consumer.functionName as FunctionName }];
  });

/** The logical id CloudFormation knows a construct's resource by. */
export const logicalId = (construct: IConstruct): string => {
  const resource = construct.node.defaultChild as CfnElement | undefined;
  if (resource === undefined)
    throw new Error(`${construct.node.path} has no default CloudFormation resource`);
  return Stack.of(construct).resolve(resource.logicalId) as string;
};

export interface PolicyStatementJson {
  Effect: string;
  Action?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

const statementsOf = (document: unknown): PolicyStatementJson[] => {
  const statements = (document as { Statement?: PolicyStatementJson | PolicyStatementJson[] }).Statement;
  if (statements === undefined) return [];
  return Array.isArray(statements) ? statements : [statements];
};

/**
 * Every statement of every identity policy in the template: AWS::IAM::Policy and ManagedPolicy
 * documents and the inline policies of roles, users and groups. Resource policies (key, queue and
 * topic policies) are not identity policies: there `*` means the resource itself.
 */
export const identityPolicyStatements = (
  template: Template,
): { path: string; statement: PolicyStatementJson }[] => {
  const resources = template.toJSON().Resources as Resources;
  const found: { path: string; statement: PolicyStatementJson }[] = [];
  for (const [id, resource] of Object.entries(resources)) {
    const properties = resource.Properties ?? {};
    const documents: [string, unknown][] = [];
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      documents.push([id, properties.PolicyDocument]);
    }
    if (['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(resource.Type)) {
      const inline = (properties.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[];
      for (const policy of inline) documents.push([`${id}/${policy.PolicyName}`, policy.PolicyDocument]);
    }
    for (const [path, document] of documents) {
      for (const statement of statementsOf(document)) found.push({ path, statement });
    }
  }
  return found;
};

/** Whether a statement allows actions on any resource at all. */
export const grantsAnyResource = (statement: PolicyStatementJson): boolean => {
  if (statement.Effect !== 'Allow') return false;
  if (statement.NotResource !== undefined) return true;
  const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
  return resources.some((resource) => resource === '*');
};

import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  grantsAnyResource,
  identityPolicyStatements,
  type SynthesizedParcelguard,
  synthParcelguard,
} from './synth-parcelguard.js';

/** Each acknowledgement on a construct, as `Validations.of(...).acknowledge` records it. */
const acknowledgements = (root: IConstruct): { path: string; id: string; reason: string }[] =>
  root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id,
          reason,
        })),
      ),
  );

const nagViolations = (app: App): string[] =>
  new AwsSolutionsChecks(app)
    .validateScope(app)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );

describe('infrastructure guard rails', () => {
  let parcelguard: SynthesizedParcelguard;
  let stacks: [string, Template][];

  beforeAll(() => {
    parcelguard = synthParcelguard();
    stacks = [
      ['data', parcelguard.data],
      ['service', parcelguard.service],
    ];
  });

  describe('IAM', () => {
    it('finds a wildcard resource where one is granted', () => {
      // Prepare
      const stack = new Stack(new App(), 'Probe');
      new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
        new PolicyStatement({ actions: ['sqs:SendMessage'], resources: ['*'] }),
      );

      // Act
      const wildcards = identityPolicyStatements(Template.fromStack(stack)).filter(({ statement }) =>
        grantsAnyResource(statement),
      );

      // Assess
      expect(wildcards).toHaveLength(1);
    });

    it('grants nothing on a wildcard resource in any identity policy', () => {
      // Act
      const wildcards = stacks.flatMap(([name, template]) =>
        identityPolicyStatements(template)
          .filter(({ statement }) => grantsAnyResource(statement))
          .map(({ path, statement }) => `${name}/${path}: ${JSON.stringify(statement.Action)}`),
      );

      // Assess
      expect(stacks.flatMap(([, template]) => identityPolicyStatements(template)).length).toBeGreaterThan(0);
      expect(wildcards).toEqual([]);
    });

    it('attaches no managed policy to any role', () => {
      // Assess
      for (const [, template] of stacks) {
        for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
          expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
        }
      }
    });
  });

  describe('cdk-nag AwsSolutions', () => {
    it('reports a finding on a non-compliant resource', () => {
      // Prepare
      const app = new App();
      new Queue(new Stack(app, 'Probe'), 'Queue');

      // Act
      const violations = nagViolations(app);

      // Assess
      expect(violations).toContain('AwsSolutions-SQS4 at Probe/Queue/Resource');
    });

    it('reports no unacknowledged finding on parcelguard', () => {
      // Assess
      expect(nagViolations(parcelguard.app)).toEqual([]);
    });

    it('gives every acknowledgement a written reason', () => {
      // Act
      const acknowledged = acknowledgements(parcelguard.app);

      // Assess
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const { path, id, reason } of acknowledged) {
        expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(60);
      }
    });
  });

  it.each(['data', 'service'] as const)('synthesizes the %s stack without a warning or error', (name) => {
    // Prepare: with an alarm address, as a deployment has one (without, the data stack warns; see its test)
    const withEmail = synthParcelguard({ alarmEmail: 'customs-ops@example.org' });
    const stack = name === 'data' ? withEmail.dataStack : withEmail.serviceStack;

    // Act
    const annotations = Annotations.fromStack(stack);

    // Assess
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });
});

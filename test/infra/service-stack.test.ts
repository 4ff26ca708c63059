import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AssetStaging } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as config from '../../functions/platform/config.js';
import { REPOSITORY_ROOT as REPO_ROOT } from '../../infra/constructs/parcelguard-function.js';
import {
  BUCKETS,
  DELIVERY_DEFERRED,
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionName,
  LISTS_NOT_REFRESHED,
  PARCELS_SCREENED,
  PARTY_DAY_FULL,
  PUBLISHED_LIST_REFUSED,
  QUEUES,
  ROUTES,
  SECRETS,
  SHADOW_RULE_SET_REFUSED,
  SHARED_COUNTERPARTS_FULL,
  scheduledFunctions,
  TABLES,
} from '../../infra/definitions.js';
import { bucketObjects, grantsOf } from '../../infra/grants.js';
import { pascalCase } from '../../infra/stacks/definition-helpers.js';
import { DEFAULT_OPTIONS } from '../../infra/stacks/parcelguard-stacks.js';
import { docAnchorsOf, docLinksIn } from '../support/doc-anchors.js';
import {
  consumedQueues,
  identityPolicyStatements,
  logicalId,
  type SynthesizedParcelguard,
  synthParcelguard,
} from './synth-parcelguard.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

const functionNames = Object.keys(FUNCTIONS) as FunctionName[];

/** The values every function of the template is given for one environment variable. */
const valuesOfVariable = (template: Template, name: string): unknown[] =>
  Object.values(template.findResources('AWS::Lambda::Function')).flatMap((fn) => {
    const { Environment } = (fn as { Properties: { Environment?: { Variables?: Record<string, unknown> } } })
      .Properties;
    const value = Environment?.Variables?.[name];
    return value === undefined ? [] : [value];
  });

describe('ServiceStack', () => {
  let parcelguard: SynthesizedParcelguard;
  let service: Template;
  const lambda = (name: FunctionName): Resource => {
    const id = logicalId(parcelguard.serviceStack.functions[name].function);
    const resource = service.findResources('AWS::Lambda::Function')[id] as Resource | undefined;
    if (resource === undefined) throw new Error(`no function for ${name}`);
    return resource;
  };
  const environmentOf = (name: FunctionName): Record<string, unknown> =>
    (lambda(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  /** A cross-stack reference, as CloudFormation receives it, names the data stack resource's logical id. */
  const importOf = (value: unknown): string => JSON.stringify(value);

  beforeAll(() => {
    parcelguard = synthParcelguard();
    service = parcelguard.service;
  });

  describe('functions', () => {
    it('creates exactly one function per definition', () => {
      // Assess
      service.resourceCountIs('AWS::Lambda::Function', functionNames.length);
    });

    it.each(functionNames)('runs %s on nodejs24.x, arm64, with the timeout and memory defined', (name) => {
      // Act
      const { Properties } = lambda(name);

      // Assess
      expect(Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: FUNCTIONS[name].timeoutSeconds,
        MemorySize: FUNCTIONS[name].memoryMb,
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(Properties.FunctionName).toBeUndefined();
      expect(Properties.TracingConfig).toBeUndefined();
    });

    it.each(functionNames)(
      'tells %s its tables, queues and secrets through the variables defined',
      (name) => {
        // Prepare
        const definition: FunctionDefinition = FUNCTIONS[name];
        const { tables, queues, secrets } = parcelguard.dataStack;
        const tableNames = [...new Set([...definition.tables.read, ...definition.tables.write])];

        // Act
        const environment = environmentOf(name);

        // Assess
        expect(environment).toMatchObject({ NODE_OPTIONS: '--enable-source-maps' });
        for (const table of tableNames) {
          expect(importOf(environment[TABLES[table].env])).toContain(`Ref${logicalId(tables[table])}`);
        }
        const consumed = consumedQueues().filter((candidate) => candidate.functionName === name);
        for (const queue of [...definition.sendsTo, ...consumed.map((candidate) => candidate.queue)]) {
          expect(importOf(environment[QUEUES[queue].env])).toContain(`Ref${logicalId(queues[queue])}`);
        }
        for (const secret of definition.secrets) {
          const reference = importOf(environment[SECRETS[secret].env]);
          expect(reference).toContain('{{resolve:secretsmanager:');
          expect(reference).toContain(`Ref${logicalId(secrets[secret])}`);
        }
      },
    );

    it.each([
      [
        'a folder that is not under rules/',
        { shadowRuleSet: 'no-such-rule-set' },
        /shadow rule set no-such-rule-set not found: no rules\/no-such-rule-set\/rule-set\.yaml, \.yml or \.json/,
      ],
      ['the active rule set', { shadowRuleSet: 'default' }, /shadowRuleSet default is the active rule set/],
      [
        'a folder that holds no rule set',
        { shadowRuleSet: 'reference' },
        /no rules\/reference\/rule-set\.yaml/,
      ],
      [
        'a name that is no folder name',
        { shadowRuleSet: '../default' },
        /shadowRuleSet must be a kebab-case folder name/,
      ],
    ])('refuses -c shadowRuleSet naming %s', (_case, options, refusal) => {
      // Act
      const synth = () => synthParcelguard(options);

      // Assess
      expect(synth).toThrow(refusal);
    });

    it.each([
      [
        'a folder that holds no rule set',
        'reference',
        /rule set reference not found: no rules\/reference\/rule-set\.yaml, \.yml or \.json \(-c ruleSet names/,
      ],
      [
        'a folder that is not under rules/',
        'no-such-rule-set',
        /rule set no-such-rule-set not found: no rules\/no-such-rule-set\/rule-set\.yaml/,
      ],
    ])(
      'refuses -c ruleSet naming %s, which screen could not load at cold start',
      (_case, ruleSet, refusal) => {
        // Act
        const synth = () => synthParcelguard({ ruleSet });

        // Assess
        expect(synth).toThrow(refusal);
      },
    );

    it('holds no released parcel as a control sample unless -c controlSamplePerMille says how many', () => {
      // Prepare
      const variable = (template: Template) => valuesOfVariable(template, 'CONTROL_SAMPLE_PER_MILLE');
      // Act
      const chosen = synthParcelguard({ controlSamplePerMille: 5 }).service;
      // Assess
      expect(variable(service)).toEqual(['0']);
      expect(variable(chosen)).toEqual(['5']);
      for (const wrong of [-1, 1_001, 2.5]) {
        expect(() => synthParcelguard({ controlSamplePerMille: wrong })).toThrow(
          /controlSamplePerMille must be a whole number from 0 to 1000/,
        );
      }
    });

    it('refreshes published lists in screen every 300 s unless -c listRefreshSeconds says otherwise', () => {
      // Prepare
      const variable = (template: Template) => valuesOfVariable(template, 'LIST_REFRESH_SECONDS');
      // Act
      const chosen = synthParcelguard({ listRefreshSeconds: 60 }).service;
      // Assess
      expect(variable(service)).toEqual(['300']);
      expect(variable(chosen)).toEqual(['60']);
      expect(environmentOf('screen').LIST_REFRESH_SECONDS).toBe('300');
      for (const wrong of [9, 3_601, 2.5]) {
        expect(() => synthParcelguard({ listRefreshSeconds: wrong })).toThrow(
          /listRefreshSeconds must be a whole number from 10 to 3600/,
        );
      }
    });

    it.each(functionNames)('gives %s no variable for a resource it was not granted', (name) => {
      // Prepare
      const definition: FunctionDefinition = FUNCTIONS[name];
      const granted = new Set<string>([
        ...[...definition.tables.read, ...definition.tables.write].map((table) => TABLES[table].env),
        ...definition.sendsTo.map((queue) => QUEUES[queue].env),
        ...consumedQueues()
          .filter((consumed) => consumed.functionName === name)
          .map((consumed) => QUEUES[consumed.queue].env),
        ...definition.secrets.map((secret) => SECRETS[secret].env),
        ...(definition.putsInto ?? []).map((bucket) => BUCKETS[bucket].env),
        'NODE_OPTIONS',
        ...(definition.needsRules === true || definition.needsRuleSetFile === true ? ['RULES_DIR'] : []),
        ...(definition.needsOffices === true ? ['OFFICES_FILE'] : []),
        ...(definition.needsSharingAgreements === true ? ['SHARING_AGREEMENTS_FILE'] : []),
        ...(definition.needsConsoleAssets === true ? ['CONSOLE_ASSETS_DIR'] : []),
        ...(definition.signsInStaff === true ? ['STAFF_SIGN_IN_URL', 'STAFF_CLIENT_ID'] : []),
        ...(definition.samplesControls === true ? ['CONTROL_SAMPLE_PER_MILLE'] : []),
        ...(definition.refreshesLists === true ? ['LIST_REFRESH_SECONDS'] : []),
      ]);

      // Act
      const variables = Object.keys(environmentOf(name));

      // Assess
      expect(variables.filter((variable) => !granted.has(variable))).toEqual([]);
    });

    it.each(functionNames)(
      'points RULES_DIR of %s at the bundled rule set only when it needs rules',
      (name) => {
        // Prepare
        const definition: FunctionDefinition = FUNCTIONS[name];
        const expected =
          definition.needsRules === true || definition.needsRuleSetFile === true
            ? `/var/task/rules/${DEFAULT_OPTIONS.ruleSet}`
            : undefined;

        // Assess
        expect(environmentOf(name).RULES_DIR).toBe(expected);
      },
    );

    it("gives statistics screen's rule-set file alone, bundled beside it, to list its rules from, and no salt or lists", () => {
      // Prepare: the command CDK bundles each function with; the tests skip running it, not staging it
      // (read from the asset staging's fingerprint options, which aws-cdk-lib keeps private)
      const bundlingCommandOf = (name: FunctionName): string => {
        const staging = parcelguard.serviceStack.functions[name].function.node
          .findAll()
          .find((construct) => construct instanceof AssetStaging);
        const options = (staging as unknown as { fingerprintOptions?: { bundling?: { command?: string[] } } })
          ?.fingerprintOptions;
        return (options?.bundling?.command ?? []).join(' ');
      };
      const copiesRules = 'cp -R "/asset-input/rules" "/asset-output/rules"';

      // Act
      const statistics = environmentOf('statistics');

      // Assess
      expect(FUNCTIONS.statistics.needsRuleSetFile).toBe(true);
      expect(statistics.RULES_DIR).toBe(`/var/task/rules/${DEFAULT_OPTIONS.ruleSet}`);
      expect(statistics.RULES_DIR).toBe(environmentOf('screen').RULES_DIR);
      expect(bundlingCommandOf('screen')).toContain(copiesRules);
      // The rule-set file, not the rules folder: its lists hold watched phones and names in clear
      const ruleSetFile = `rules/${DEFAULT_OPTIONS.ruleSet}/rule-set.yaml`;
      expect(bundlingCommandOf('statistics')).toContain(
        `cp -R "/asset-input/${ruleSetFile}" "/asset-output/${ruleSetFile}"`,
      );
      expect(bundlingCommandOf('statistics')).not.toContain(copiesRules);
      expect(bundlingCommandOf('statistics')).not.toContain('/lists');
      // It reads the rule set's rules and never compiles it, so it needs no party key salt
      expect(statistics).not.toHaveProperty(SECRETS.partyKeySalt.env);
      expect(FUNCTIONS.statistics.secrets).toEqual([]);
    });

    it.each(functionNames)(
      'points OFFICES_FILE of %s at the bundled office hierarchy only when it needs it',
      (name) => {
        // Prepare
        const definition: FunctionDefinition = FUNCTIONS[name];
        const expected =
          definition.needsOffices === true ? '/var/task/rules/reference/offices.yaml' : undefined;

        // Assess
        expect(environmentOf(name).OFFICES_FILE).toBe(expected);
      },
    );

    it.each(functionNames)(
      'points SHARING_AGREEMENTS_FILE of %s at the bundled agreements only when it needs them',
      (name) => {
        // Prepare
        const definition: FunctionDefinition = FUNCTIONS[name];
        const expected =
          definition.needsSharingAgreements === true ? '/var/task/rules/sharing/agreements.yaml' : undefined;

        // Assess
        expect(environmentOf(name).SHARING_AGREEMENTS_FILE).toBe(expected);
      },
    );

    it.each(functionNames)(
      'points CONSOLE_ASSETS_DIR of %s at the bundled console assets only when it serves them',
      (name) => {
        // Prepare
        const definition: FunctionDefinition = FUNCTIONS[name];
        const expected =
          definition.needsConsoleAssets === true ? '/var/task/functions/console/assets' : undefined;

        // Assess
        expect(environmentOf(name).CONSOLE_ASSETS_DIR).toBe(expected);
      },
    );

    it.each(functionNames)('writes %s logs to a log group of its own with a retention', (name) => {
      // Prepare
      const fn = parcelguard.serviceStack.functions[name];

      // Act
      const { Properties } = lambda(name);

      // Assess
      expect(Properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: logicalId(fn.logGroup) } });
      expect(service.findResources('AWS::Logs::LogGroup')[logicalId(fn.logGroup)]).toMatchObject({
        Properties: { RetentionInDays: expect.any(Number) },
      });
    });
  });

  describe('event sources', () => {
    it('maps exactly the consumed queues', () => {
      // Assess
      service.resourceCountIs('AWS::Lambda::EventSourceMapping', consumedQueues().length);
    });

    it.each(consumedQueues())(
      'delivers $queue to $functionName in batches, reporting item failures, at most $maxConcurrency at once',
      ({ queue, functionName, batchSize, maxBatchingWindowSeconds, maxConcurrency }) => {
        // Prepare
        const queueId = logicalId(parcelguard.dataStack.queues[queue]);
        const functionId = logicalId(parcelguard.serviceStack.functions[functionName].function);

        // Act
        const mappings = Object.values(
          service.findResources('AWS::Lambda::EventSourceMapping', {
            Properties: { FunctionName: { Ref: functionId } },
          }),
        ) as Resource[];

        // Assess
        expect(mappings).toHaveLength(1);
        expect(mappings[0]?.Properties).toMatchObject({
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BatchSize: batchSize,
          MaximumBatchingWindowInSeconds: maxBatchingWindowSeconds,
          ScalingConfig: { MaximumConcurrency: maxConcurrency },
        });
        expect(importOf(mappings[0]?.Properties.EventSourceArn)).toContain(`GetAtt${queueId}Arn`);
      },
    );

    it('reports batch item failures on every event source mapping', () => {
      // Act
      const mappings = Object.values(service.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];

      // Assess
      for (const mapping of mappings) {
        expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      }
    });
  });

  describe('schedules', () => {
    const scheduled = scheduledFunctions();

    it('schedules exactly the functions with everyMinutes, the review sweep among them', () => {
      // Assess
      expect(scheduled.map((entry) => entry.name)).toContain('reviewSweep');
      service.resourceCountIs('AWS::Events::Rule', scheduled.length);
    });

    it.each(scheduled)(
      'runs $name every $everyMinutes minutes, with no immediate retry of a failed run',
      ({ name, everyMinutes }) => {
        // Prepare
        const functionId = logicalId(parcelguard.serviceStack.functions[name].function);

        // Act
        const rules = Object.values(service.findResources('AWS::Events::Rule')) as Resource[];
        const rule = rules.find((candidate) =>
          JSON.stringify(candidate.Properties.Targets).includes(functionId),
        );
        const invokeConfigs = Object.values(
          service.findResources('AWS::Lambda::EventInvokeConfig', {
            Properties: { FunctionName: { Ref: functionId } },
          }),
        ) as Resource[];

        // Assess
        expect(rule?.Properties).toMatchObject({
          ScheduleExpression: `rate(${everyMinutes} minutes)`,
          State: 'ENABLED',
        });
        expect(invokeConfigs).toHaveLength(1);
        expect(invokeConfigs[0]?.Properties).toMatchObject({ MaximumRetryAttempts: 0 });
        service.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
          FunctionName: Match.objectLike({ 'Fn::GetAtt': [functionId, 'Arn'] }),
        });
      },
    );
  });

  describe('HTTP API', () => {
    it('serves the routes of ROUTES and no others, plus $default for whatever they do not match', () => {
      // Prepare
      const expected = ['$default', ...ROUTES.map((route) => `${route.method} ${route.path}`)].sort();

      // Act
      const routeKeys = Object.values(service.findResources('AWS::ApiGatewayV2::Route'))
        .map((route) => (route as Resource).Properties.RouteKey)
        .sort();

      // Assess
      expect(routeKeys).toEqual(expected);
    });

    it('sends $default, every request no route matches, to the noRoute function', () => {
      // Prepare
      const functionId = logicalId(parcelguard.serviceStack.functions.noRoute.function);
      const [integrationId] = Object.keys(
        service.findResources('AWS::ApiGatewayV2::Integration', {
          Properties: { IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] } },
        }),
      );

      // Act
      const route = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).find(
        (candidate) => (candidate as Resource).Properties.RouteKey === '$default',
      ) as Resource;

      // Assess
      expect(route.Properties.Target).toEqual({
        'Fn::Join': ['', ['integrations/', { Ref: integrationId }]],
      });
    });

    it.each(ROUTES.map((route) => ({ ...route })))(
      'sends $method $path to the $functionName function',
      ({ method, path, functionName }) => {
        // Prepare
        const functionId = logicalId(parcelguard.serviceStack.functions[functionName].function);
        const [integrationId] = Object.keys(
          service.findResources('AWS::ApiGatewayV2::Integration', {
            Properties: { IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] } },
          }),
        );

        // Assess
        expect(integrationId).toBeDefined();
        service.hasResourceProperties('AWS::ApiGatewayV2::Route', {
          RouteKey: `${method} ${path}`,
          Target: { 'Fn::Join': ['', ['integrations/', { Ref: integrationId }]] },
        });
      },
    );

    it('authorizes no webhook route (signature check), public route (console assets) or $default at the gateway, and every other', () => {
      // Prepare
      const unauthenticated = [
        '$default',
        ...ROUTES.filter((route) => route.auth === 'webhook-signature' || route.auth === 'public').map(
          (route) => `${route.method} ${route.path}`,
        ),
      ].sort();

      // Act
      const withoutAuthorizer = Object.values(service.findResources('AWS::ApiGatewayV2::Route'))
        .map((route) => (route as Resource).Properties)
        .filter(
          (properties) => properties.AuthorizationType === 'NONE' || properties.AuthorizerId === undefined,
        )
        .map((properties) => properties.RouteKey)
        .sort();

      // Assess
      expect(unauthenticated).toEqual(expect.arrayContaining(['GET /console', 'GET /console/{asset}']));
      expect(withoutAuthorizer).toEqual(unauthenticated);
    });

    it.each(ROUTES.filter((route) => route.auth === 'staff').map((route) => `${route.method} ${route.path}`))(
      'verifies the staff token of %s with the Cognito user pool',
      (routeKey) => {
        // Prepare
        const userPoolClient = logicalId(parcelguard.serviceStack.consoleClient.client);
        const authorizers = service.findResources('AWS::ApiGatewayV2::Authorizer', {
          Properties: { AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] },
        });
        const route = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).find(
          (candidate) => (candidate as Resource).Properties.RouteKey === routeKey,
        ) as Resource | undefined;

        // Act
        const [authorizerId] = Object.keys(authorizers);
        const authorizer = authorizerId === undefined ? undefined : (authorizers[authorizerId] as Resource);

        // Assess
        expect(Object.keys(authorizers)).toHaveLength(1);
        expect(route?.Properties).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
        expect(authorizer?.Properties.JwtConfiguration).toMatchObject({
          Audience: [{ Ref: userPoolClient }],
        });
      },
    );

    it('throttles the default stage and logs every request', () => {
      // Assess
      service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingRateLimit: DEFAULT_OPTIONS.apiThrottle.rateLimit,
          ThrottlingBurstLimit: DEFAULT_OPTIONS.apiThrottle.burstLimit,
        },
        AccessLogSettings: {
          DestinationArn: Match.anyValue(),
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
      });
    });

    it('keeps headers out of the access log format', () => {
      // Act
      const stages = Object.values(service.findResources('AWS::ApiGatewayV2::Stage')) as Resource[];
      const formats = stages.map(
        (stage) => (stage.Properties.AccessLogSettings as { Format: string }).Format,
      );

      // Assess
      expect(formats).toHaveLength(1);
      for (const format of formats) expect(format).not.toMatch(/header|requestOverride|\$request\./i);
    });
  });

  it('lets auditAnchor, and nothing else, add objects to the anchor bucket and read one back, and do nothing more there', () => {
    // Act
    const onS3 = identityPolicyStatements(service).filter(({ statement }) =>
      [statement.Action].flat().some((action) => String(action).startsWith('s3:')),
    );
    const anchorRole = logicalId(parcelguard.serviceStack.functions.auditAnchor.function.role!);
    const anchors = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':s3:::yunnan-guangxi-audit-anchors-',
          { Ref: 'AWS::AccountId' },
          '-',
          { Ref: 'AWS::Region' },
          '/anchors/*',
        ],
      ],
    };

    // Assess: new objects only (If-None-Match); a read to tell its own object after a lost answer
    expect(onS3.every(({ path }) => path.startsWith(anchorRole.replace(/Role.*$/, '')))).toBe(true);
    expect(onS3.map(({ statement }) => statement)).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'false' } },
        Resource: anchors,
      },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: anchors },
    ]);
    expect(environmentOf('auditAnchor').AUDIT_ANCHOR_BUCKET).toEqual({
      'Fn::Join': [
        '',
        ['yunnan-guangxi-audit-anchors-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
      ],
    });
  });

  it('lets the functions that write the audit log only append to it', () => {
    // Prepare
    const auditLog = logicalId(parcelguard.dataStack.tables.auditLog);

    // Act
    const onAuditLog = identityPolicyStatements(service)
      .map(({ statement }) => statement)
      .filter((statement) => JSON.stringify(statement.Resource).includes(auditLog));
    const actions = onAuditLog.flatMap((statement) => [statement.Action ?? []].flat());

    // Assess
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/dynamodb:(UpdateItem|DeleteItem|BatchWriteItem)$/)]),
    );
  });

  /** Which role's policy grants which DynamoDB action on which table: `<function> dynamodb:<Action> <table>`. */
  const dynamoDbGrants = (): string[] => {
    const tables = Object.entries(parcelguard.dataStack.tables).map(
      ([name, table]) => [name, logicalId(table)] as const,
    );
    const functions = functionNames.map((name) => [name, pascalCase(name)] as const);
    return identityPolicyStatements(service).flatMap(({ path, statement }) => {
      const holder = functions.find(([, prefix]) => path.startsWith(`${prefix}Function`))?.[0];
      const on = tables
        .filter(([, id]) => JSON.stringify(statement.Resource).includes(id))
        .map(([name]) => name);
      return [statement.Action ?? []]
        .flat()
        .filter((action) => action.startsWith('dynamodb:'))
        .flatMap((action) => on.map((table) => `${holder} ${action} ${table}`));
    });
  };

  /**
   * What a function's role allows on DynamoDB, SQS and S3, in the terms of infra/grants.ts:
   * `<action> <resource>`, the resource by its definition's name.
   */
  const grantedInTemplate = (name: FunctionName): Set<string> => {
    const { tables, queues } = parcelguard.dataStack;
    const named = [...Object.entries(tables), ...Object.entries(queues)].map(
      ([key, construct]) => [key, logicalId(construct)] as const,
    );
    const nameOf = (resource: unknown): string => {
      const text = JSON.stringify(resource);
      for (const bucket of Object.keys(BUCKETS) as (keyof typeof BUCKETS)[]) {
        const kebab = bucket.replaceAll(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
        if (text.includes(`-${kebab}-`) && text.endsWith(`/${BUCKETS[bucket].prefix}*"]]}`))
          return bucketObjects(bucket);
      }
      const found = named.find(([, id]) => text.includes(id));
      if (found === undefined) return `unknown ${text}`;
      const index = /\/index\/([^"\\]+)/.exec(text)?.[1];
      return index === undefined ? found[0] : `${found[0]}/index/${index}`;
    };
    const prefix = `${pascalCase(name)}Function`;
    const statements = identityPolicyStatements(service).filter(({ path }) => path.startsWith(prefix));
    // Allow statements with a plain Action only: a Deny or a NotAction would not be what grants.ts says.
    expect(
      statements.filter(({ statement }) => statement.Effect !== 'Allow' || 'NotAction' in statement),
    ).toEqual([]);
    return new Set(
      statements.flatMap(({ statement }) =>
        [statement.Action ?? []]
          .flat()
          .filter((action) => /^(dynamodb|sqs|s3):/.test(action))
          .flatMap((action) =>
            [statement.Resource ?? []].flat().map((resource) => `${action} ${nameOf(resource)}`),
          ),
      ),
    );
  };

  it.each(functionNames)(
    'grants %s exactly what infra/grants.ts says, which the embedded stack enforces',
    (name) => {
      // Act
      const granted = grantedInTemplate(name);

      // Assess
      expect([...granted].sort()).toEqual([...grantsOf(name)].sort());
    },
  );

  it('lets no function update parcels or webhook deliveries in place: they are put whole', () => {
    // Act
    const updates = dynamoDbGrants().filter((grant) => grant.includes(' dynamodb:UpdateItem '));

    // Assess
    expect(updates.filter((grant) => / (parcels|webhookDeliveries)$/.test(grant))).toEqual([]);
    expect(dynamoDbGrants()).toEqual(
      expect.arrayContaining([
        'ingest dynamodb:PutItem parcels',
        'ingest dynamodb:PutItem webhookDeliveries',
      ]),
    );
    expect(updates).toContain('ingest dynamodb:UpdateItem manifests');
  });

  it('grants scans and deletes only where a function makes them, and no batch write or condition check', () => {
    // Act
    const grants = dynamoDbGrants();

    // Assess
    expect(grants.filter((grant) => / dynamodb:(Scan|DeleteItem) /.test(grant)).sort()).toEqual([
      'ingest dynamodb:DeleteItem manifests',
      'ingest dynamodb:DeleteItem parcels',
    ]);
    expect(grants.filter((grant) => /BatchWriteItem|ConditionCheckItem/.test(grant))).toEqual([]);
    expect(grants).toContain('screen dynamodb:PutItem decisions');
  });

  it('lets no function read the counters it only adds to: rate limits, and rule statistics outside the statistics function', () => {
    // Act
    const reads = dynamoDbGrants().filter((grant) => / dynamodb:(GetItem|BatchGetItem|Query) /.test(grant));

    // Assess: the rate limiter and the outcomes' feedback only update their counters
    expect(reads.filter((grant) => grant.endsWith(' partnerRateLimits'))).toEqual([]);
    expect([
      ...new Set(
        reads.filter((grant) => grant.endsWith(' ruleStatistics')).map((grant) => grant.split(' ')[0]),
      ),
    ]).toEqual(['statistics']);
  });

  it.each(functionNames)('lets %s query the indexes its definition names, and no other', (name) => {
    // Prepare
    const prefix = `${pascalCase(name)}Function`;
    const tables = Object.entries(parcelguard.dataStack.tables).map(
      ([table, construct]) => [table, logicalId(construct)] as const,
    );
    const named = Object.entries((FUNCTIONS[name] as FunctionDefinition).tables.query ?? {}).flatMap(
      ([table, indexes]) => (indexes as string[]).map((index) => `${table}/${index}`),
    );

    // Act: every `<table arn>/index/<name>` in the function's policies, by table
    const granted = identityPolicyStatements(service)
      .filter(({ path }) => path.startsWith(prefix))
      .flatMap(({ statement }) => [statement.Resource ?? []].flat())
      .map((resource) => JSON.stringify(resource))
      .flatMap((resource) => {
        const index = /\/index\/([^"\\]+)/.exec(resource)?.[1];
        const table = tables.find(([, id]) => resource.includes(id))?.[0];
        return index === undefined ? [] : [`${table}/${index}`];
      });

    // Assess
    expect([...new Set(granted)].sort()).toEqual(named.sort());
  });

  it('reads each index from some function, and each index a function names exists', () => {
    // Act
    const named = Object.values(FUNCTIONS).flatMap((definition) =>
      Object.entries((definition as FunctionDefinition).tables.query ?? {}).flatMap(([table, indexes]) =>
        (indexes as string[]).map((index) => `${table}/${index}`),
      ),
    );
    const defined = Object.entries(TABLES).flatMap(([table, definition]) =>
      definition.indexes.map(({ indexName }) => `${table}/${indexName}`),
    );

    // Assess: byDecidedMonth is read by `npm run rules -- backtest` and `shadow`, with operator credentials
    expect([...new Set(named), 'decisions/byDecidedMonth'].sort()).toEqual(defined.sort());
  });

  it('encrypts the environment of the functions that hold a secret with the data key, so only its users see it', () => {
    // Prepare
    const dataKey = logicalId(parcelguard.dataStack.dataKey);

    // Act
    const keyOf = (name: FunctionName) => lambda(name).Properties.KmsKeyArn;

    // Assess
    for (const name of functionNames) {
      if (FUNCTIONS[name].secrets.length === 0) expect(keyOf(name), name).toBeUndefined();
      else expect(importOf(keyOf(name)), name).toContain(dataKey);
    }
    expect(functionNames.filter((name) => FUNCTIONS[name].secrets.length > 0).sort()).toEqual([
      'ingest',
      'screen',
    ]);
  });

  it.each(functionNames)(
    'gives %s every setting its handler’s config schema requires, as synthesized',
    async (name) => {
      // Prepare: the schema the handler parses at cold start, named in its source
      const source = readFileSync(resolve(REPO_ROOT, FUNCTIONS[name].entry), 'utf8');
      const schemaName = /loadConfig\((\w+ConfigSchema)\)/.exec(source)?.[1];
      const schema = (config as Record<string, unknown>)[schemaName ?? ''] as z.ZodType | undefined;
      // Cross-stack references and secrets resolve at deploy time: stand-ins of the right shape
      const environment = Object.fromEntries(
        Object.entries(environmentOf(name)).map(([key, value]) => [
          key,
          typeof value === 'string'
            ? value
            : key.endsWith('_URL')
              ? 'https://sqs.example.com/1/q'
              : 'resolved-at-deploy-time',
        ]),
      );

      // Act: AWS_REGION is set by the Lambda runtime itself
      const parsed = schema?.safeParse({ ...environment, AWS_REGION: 'ap-east-1' });

      // Assess
      expect(schemaName, `${FUNCTIONS[name].entry} parses no *ConfigSchema`).toBeDefined();
      expect(
        parsed?.success
          ? []
          : parsed?.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      ).toEqual([]);
    },
  );

  it('alarms on any API 5xx but 503 at once, and on 503s only when they go on, deliveries deferred left out', () => {
    // Prepare
    const accessLogs = service.findResources('AWS::Logs::LogGroup');
    const filters = Object.values(service.findResources('AWS::Logs::MetricFilter')) as Resource[];
    const filterOf = (metricName: string) =>
      filters.find((filter) => JSON.stringify(filter.Properties.MetricTransformations).includes(metricName));

    // Act
    const errors = filterOf('ApiServerErrors');
    const unavailable = filterOf('ApiUnavailable');
    const deferred = filterOf('DeliveriesDeferred');

    // Assess
    expect(errors?.Properties.FilterPattern).toBe('{ ($.status = "5*") && ($.status != "503") }');
    expect(unavailable?.Properties.FilterPattern).toBe('{ $.status = "503" }');
    expect(deferred?.Properties.FilterPattern).toBe(`{ $.message = "${DELIVERY_DEFERRED}" }`);
    expect(deferred?.Properties.LogGroupName).toEqual({
      Ref: logicalId(parcelguard.serviceStack.functions.ingest.logGroup),
    });
    for (const filter of [errors, unavailable]) {
      const group = (filter?.Properties.LogGroupName as { Ref: string } | undefined)?.Ref;
      expect(group).toMatch(/^ApiAccessLogs/);
      expect(Object.keys(accessLogs)).toContain(group);
    }
    // Each deployment's own namespace: a second one in the account must not trip this one's alarms
    for (const filter of [errors, unavailable, deferred]) {
      expect(JSON.stringify(filter?.Properties.MetricTransformations)).toContain(
        `"MetricNamespace":"parcelguard/${DEFAULT_OPTIONS.regionId}"`,
      );
    }
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApiServerErrors',
      Threshold: 0,
      EvaluationPeriods: 1,
    });
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(unavailable, 0) - FILL(deferred, 0)', ReturnData: true }),
        Match.objectLike({
          Id: 'unavailable',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ApiUnavailable' }),
            Stat: 'Sum',
            Period: 300,
          }),
        }),
        Match.objectLike({
          Id: 'deferred',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'DeliveriesDeferred' }),
            Stat: 'Sum',
            Period: 300,
          }),
        }),
      ]),
      Threshold: 10,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it.each([
    [PUBLISHED_LIST_REFUSED, 'PublishedListsRefused'],
    [SHADOW_RULE_SET_REFUSED, 'ShadowRuleSetsRefused'],
    [LISTS_NOT_REFRESHED, 'ListRefreshesFailed'],
    [PARTY_DAY_FULL, 'PartyDaysFull'],
    [SHARED_COUNTERPARTS_FULL, 'SharedCounterpartItemsFull'],
  ])('alarms when screen logs "%s"', (message, metricName) => {
    // Act
    const filters = Object.values(service.findResources('AWS::Logs::MetricFilter')) as Resource[];
    const filter = filters.find(
      (candidate) =>
        candidate.Properties.MetricTransformations !== undefined &&
        JSON.stringify(candidate.Properties.MetricTransformations).includes(metricName),
    );

    // Assess
    expect(filter?.Properties.FilterPattern).toBe(`{ $.message = "${message}" }`);
    expect(filter?.Properties.LogGroupName).toEqual({
      Ref: logicalId(parcelguard.serviceStack.functions.screen.logGroup),
    });
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: `parcelguard/${DEFAULT_OPTIONS.regionId}`,
      MetricName: metricName,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('says what screens instead of a refused published list, as the docs do, and what to run first', () => {
    // Act
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const description = String(
      alarms.find((alarm) => alarm.Properties.MetricName === 'PublishedListsRefused')?.Properties
        .AlarmDescription,
    );
    // Assess: load-screening-policy.ts falls back to the newest older published version it can use
    expect(description).toContain(
      'the newest older published version of that list it can use, else the bundled file',
    );
    expect(description).toContain('`npm run lists -- load`');
    expect(description).toContain('`npm run lists -- rollback <list> --to <version>`');
    expect(description).toContain('docs/parties-and-history.md#lists-and-watchlists');
    expect(readFileSync(resolve(REPO_ROOT, 'docs/parties-and-history.md'), 'utf8')).toMatch(
      /^## Lists and watchlists$/m,
    );
    for (const alarm of alarms)
      expect(String(alarm.Properties.AlarmDescription).length).toBeLessThanOrEqual(1_024);
  });

  it('alarms when the parcels screen flags an hour leave the band anomaly detection learned, two hours running', () => {
    // Assess: the flagged count of each `parcels screened` line, summed an hour
    service.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: `{ $.message = "${PARCELS_SCREENED}" }`,
      MetricTransformations: [
        {
          MetricNamespace: `parcelguard/${DEFAULT_OPTIONS.regionId}`,
          MetricName: 'ParcelsFlagged',
          MetricValue: '$.flagged',
        },
      ],
    });
    service.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ComparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'notBreaching',
      ThresholdMetricId: Match.anyValue(),
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: Match.stringLikeRegexp('^ANOMALY_DETECTION_BAND\\(\\w+, 3\\)$') }),
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ParcelsFlagged' }),
            Period: 3_600,
            Stat: 'Sum',
          }),
        }),
      ]),
      AlarmDescription: Match.stringLikeRegexp('flags far more than usual .* or far fewer'),
    });
  });

  it('sends the operator of every alarm to a doc section that exists', () => {
    // Act
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const descriptions = alarms.map((alarm) => String(alarm.Properties.AlarmDescription));

    // Assess: every one links a heading, and CloudWatch keeps it whole
    for (const description of descriptions) {
      const links = docLinksIn(description);
      expect(links, description).not.toHaveLength(0);
      for (const [file, anchor] of links) expect(docAnchorsOf(file), description).toContain(anchor);
      expect(description.length).toBeLessThanOrEqual(1_024);
    }
  });

  it.each([
    ['screen', 'go back to the screening queue and are retried; after 5 receives'],
    ['notify', 'go back to the referral queue and are retried; after 8 receives'],
    ['ingest', "API Gateway's own 500"],
    ['review', "API Gateway's own 500"],
    ['reviewSweep', 'Its next run, in 5 minutes, starts over'],
    ['auditAnchor', 'Its next run, in 15 minutes, starts over'],
  ] as const)('says what a failure of %s leaves behind, by how it runs', (name, leaves) => {
    // Act
    const alarm = service.findResources('AWS::CloudWatch::Alarm')[
      Object.keys(service.findResources('AWS::CloudWatch::Alarm')).find((id) =>
        id.startsWith(`${pascalCase(name)}ErrorAlarm`),
      )!
    ] as Resource;

    // Assess
    const description = String(alarm.Properties.AlarmDescription);
    expect(description).toContain(`The ${name} function failed outside its error handling`);
    expect(description).toContain(leaves);
    expect(description).toContain('docs/reliability-and-security.md#function-errors');
  });

  it('alarms on every function error, on API 5xx, on a refused published list or shadow rule set, on failed list refreshes, on full party history items and on missed scheduled runs', () => {
    // Prepare
    const topicId = logicalId(parcelguard.dataStack.alarmTopic);

    // Act
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    // An alarm on metric math is named by the metrics of its expression
    const metrics = alarms
      .map(
        (alarm) =>
          alarm.Properties.MetricName ??
          (alarm.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[])
            .flatMap((metric) => (metric.MetricStat ? [metric.MetricStat.Metric.MetricName] : []))
            .join(' - '),
      )
      .sort();

    // Assess
    expect(metrics).toEqual(
      [
        'ApiServerErrors',
        'ApiUnavailable - DeliveriesDeferred',
        'ListRefreshesFailed',
        'ParcelsFlagged',
        'PartyDaysFull',
        'PublishedListsRefused',
        'ShadowRuleSetsRefused',
        'SharedCounterpartItemsFull',
        ...functionNames.map(() => 'Errors'),
        ...scheduledFunctions().map(() => 'Invocations'),
      ].sort(),
    );
    for (const { name, everyMinutes } of scheduledFunctions()) {
      const functionId = logicalId(parcelguard.serviceStack.functions[name].function);
      const missed = alarms.find(
        (alarm) =>
          alarm.Properties.MetricName === 'Invocations' &&
          JSON.stringify(alarm.Properties.Dimensions).includes(functionId),
      );
      expect(missed?.Properties).toMatchObject({
        Period: 2 * everyMinutes * 60,
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
    }
    for (const alarm of alarms) {
      expect(importOf(alarm.Properties.AlarmActions)).toContain(`Ref${topicId}`);
    }
  });
});

import path from 'node:path';
import {
  Aws,
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  Alarm,
  AnomalyDetectionAlarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  FilterPattern,
  type IFilterPattern,
  type ILogGroup,
  LogGroup,
  MetricFilter,
  RetentionDays,
} from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ruleSetFileIn } from '../../functions/adapters/file-rule-set-source.js';
import {
  API_SERVER_ERROR_DESCRIPTION,
  API_UNAVAILABLE_DESCRIPTION,
  FLAGGED_PARCELS_ANOMALY_DESCRIPTION,
  functionErrorAlarmDescription,
  LISTS_NOT_REFRESHED_DESCRIPTION,
  missedRunsAlarmDescription,
  PARTY_DAY_FULL_DESCRIPTION,
  PUBLISHED_LIST_REFUSED_DESCRIPTION,
  SHADOW_RULE_SET_REFUSED_DESCRIPTION,
  SHARED_COUNTERPARTS_FULL_DESCRIPTION,
} from '../alarm-descriptions.js';
import { newObjectPuts } from '../constructs/new-object-puts.js';
import { ParcelguardFunction, REPOSITORY_ROOT, TASK_ROOT } from '../constructs/parcelguard-function.js';
import { StaffConsoleClient } from '../constructs/staff-directory.js';
import { tableStatements } from '../constructs/table-statements.js';
import {
  BUCKETS,
  bucketNameOf,
  DELIVERY_DEFERRED,
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionName,
  LISTS_NOT_REFRESHED,
  PARCELS_SCREENED,
  PARTY_DAY_FULL,
  PUBLISHED_LIST_REFUSED,
  QUEUES,
  type QueueDefinition,
  type QueueName,
  ROUTES,
  type RouteAuth,
  SECRETS,
  type SecretName,
  SHADOW_RULE_SET_REFUSED,
  SHARED_COUNTERPARTS_FULL,
  scheduledFunctions,
  TABLES,
  type TableName,
} from '../definitions.js';
import { consumedBy, type TableGrant, tableGrantsOf } from '../grants.js';
import { mapDefinitions, pascalCase } from './definition-helpers.js';

/** What the service stack needs from the data stack. */
export interface ParcelguardData {
  tables: Record<TableName, ITable>;
  queues: Record<QueueName, IQueue>;
  secrets: Record<SecretName, ISecret>;
  /** The key the data is encrypted with: the environment of a function that holds a secret is, too. */
  dataKey: IKey;
  /** The staff user pool and its managed login domain (`https://<prefix>.auth.<aws region>.amazoncognito.com`). */
  staff: { userPool: IUserPool; signInUrl: string };
  alarmTopic: ITopic;
}

export interface ApiThrottle {
  /**
   * Steady-state requests per second, set as the stage's default route settings: API Gateway applies
   * them to each route on its own (as we read its documentation; not verified on a deployed API), so
   * they cap every route, not the API as a whole. The account-level limit caps the sum.
   */
  rateLimit: number;
  burstLimit: number;
}

export interface ServiceStackProps extends StackProps {
  data: ParcelguardData;
  /** The region (tenant) this deployment serves, e.g. `yunnan-guangxi`. */
  regionId: string;
  /** Folder under `rules/` holding the active rule set. */
  ruleSet: string;
  /** Folder under `rules/` holding the shadow rule set, if any: evaluated and recorded, never acted on. */
  shadowRuleSet?: string;
  /**
   * Stage-wide limit: it keeps one runaway partner from exhausting Lambda concurrency for all.
   * Per-partner limits need the partner's identity, which only the signature check establishes,
   * so they belong in the ingest function (issue 6), not here.
   */
  apiThrottle: ApiThrottle;
  /** Released parcels held at random for inspection, per thousand (core/screening/control-sample.ts). */
  controlSamplePerMille: number;
  /** LIST_REFRESH_SECONDS of the function that refreshes published lists (screen). */
  listRefreshSeconds: number;
}

interface RouteAuthentication {
  authorizer: () => IHttpRouteAuthorizer;
  /** Why API Gateway itself does not authorize the route (cdk-nag AwsSolutions-APIG4), if it does not. */
  unauthorizedAtGatewayBecause?: string;
}

/**
 * How the gateway handles each `RouteAuth` of the route table. A new kind of caller is one entry
 * here; a new route of a known kind is one entry in ROUTES.
 */
const routeAuthentication = (
  userPool: IUserPool,
  consoleClient: IUserPoolClient,
): Record<RouteAuth, RouteAuthentication> => {
  let staffAuthorizer: HttpUserPoolAuthorizer | undefined;
  return {
    'webhook-signature': {
      authorizer: () => new HttpNoneAuthorizer(),
      unauthorizedAtGatewayBecause:
        'Partner requests are authenticated by the function, which verifies the Standard Webhooks ' +
        'HMAC-SHA256 signature with the partner secret in constant time; an HTTP API authorizer cannot ' +
        'verify a body signature, and a Lambda authorizer would only repeat the check.',
    },
    public: {
      authorizer: () => new HttpNoneAuthorizer(),
      unauthorizedAtGatewayBecause:
        "The officers' console is static content (a page, its script and styles) with no data in it, " +
        'served alike to everyone; every request the console makes for data goes to a staff route that ' +
        'the Cognito JWT authorizer guards.',
    },
    // Cognito verifies the token; the function checks the route's roles and the office scope.
    staff: {
      authorizer: () => {
        staffAuthorizer ??= new HttpUserPoolAuthorizer('StaffAuthorizer', userPool, {
          userPoolClients: [consoleClient],
        });
        return staffAuthorizer;
      },
    },
  };
};

/**
 * Table grants scoped from the definitions (infra/grants.ts). CDK's grantReadData/grantWriteData add
 * `table/<name>/index/*` even to writers, who cannot write an index, and add stream reads no function
 * needs; these name each index a reader queries (its definition's `tables.query`) instead, so no policy
 * holds a wildcard resource and no function may query an index it has no use for. An append-only table's
 * writers may only add items: that narrows, not closes, what a compromised function could do, since IAM
 * cannot require PutItem's `attribute_not_exists` condition.
 */
const grantTable = (grantee: IGrantable, table: ITable, grant: TableGrant): void => {
  for (const statement of tableStatements(grant, table.tableArn)) {
    grantee.grantPrincipal.addToPrincipalPolicy(statement);
  }
  if (grant.writes.length > 0) table.encryptionKey?.grantEncryptDecrypt(grantee);
  else table.encryptionKey?.grantDecrypt(grantee);
};

/** A JSON log line whose `message` is `message`. */
const onMessage = (message: string): IFilterPattern => FilterPattern.stringValue('$.message', '=', message);

const RULES_FOLDER = 'rules';
const OFFICES_FILE = `${RULES_FOLDER}/reference/offices.yaml`;
const SHARING_AGREEMENTS_FILE = `${RULES_FOLDER}/sharing/agreements.yaml`;
const CONSOLE_ASSETS = 'functions/console/assets';

/**
 * Refuses at synth time a rule-set folder the function could not load: one with no rule-set file the
 * loader reads (`ruleSetFileIn`: rule-set.yaml, .yml or .json), which would otherwise deploy and fail
 * every cold start. `role` names the context key in the message (`ruleSet`, `shadowRuleSet`).
 */
const requireRuleSetFolder = (role: 'ruleSet' | 'shadowRuleSet', ruleSet: string): void => {
  if (ruleSetFileIn(path.join(REPOSITORY_ROOT, RULES_FOLDER, ruleSet)) !== undefined) return;
  const label = role === 'ruleSet' ? 'rule set' : 'shadow rule set';
  throw new Error(
    `${label} ${ruleSet} not found: no ${RULES_FOLDER}/${ruleSet}/rule-set.yaml, .yml or .json ` +
      `(-c ${role} names a folder under ${RULES_FOLDER}/ that holds one)`,
  );
};

/** Data files a function reads at cold start, bundled beside it, and the variables that locate them. */
const bundledData = (
  definition: FunctionDefinition,
  ruleSet: string,
): { paths: string[]; environment: Record<string, string> } => {
  const paths: string[] = [];
  const environment: Record<string, string> = {};
  if (definition.needsRules === true) {
    requireRuleSetFolder('ruleSet', ruleSet);
    paths.push(RULES_FOLDER);
    environment.RULES_DIR = `${TASK_ROOT}/${RULES_FOLDER}/${ruleSet}`;
  } else if (definition.needsRuleSetFile === true) {
    requireRuleSetFolder('ruleSet', ruleSet);
    const file = ruleSetFileIn(path.join(REPOSITORY_ROOT, RULES_FOLDER, ruleSet))!;
    paths.push(path.relative(REPOSITORY_ROOT, file).split(path.sep).join('/'));
    environment.RULES_DIR = `${TASK_ROOT}/${RULES_FOLDER}/${ruleSet}`;
  }
  if (definition.needsOffices === true) {
    if (!paths.includes(RULES_FOLDER)) paths.push(OFFICES_FILE);
    environment.OFFICES_FILE = `${TASK_ROOT}/${OFFICES_FILE}`;
  }
  if (definition.needsSharingAgreements === true) {
    if (!paths.includes(RULES_FOLDER)) paths.push(SHARING_AGREEMENTS_FILE);
    environment.SHARING_AGREEMENTS_FILE = `${TASK_ROOT}/${SHARING_AGREEMENTS_FILE}`;
  }
  if (definition.needsConsoleAssets === true) {
    paths.push(CONSOLE_ASSETS);
    environment.CONSOLE_ASSETS_DIR = `${TASK_ROOT}/${CONSOLE_ASSETS}`;
  }
  return { paths, environment };
};

const isFunctionName = (name: string): name is FunctionName => Object.hasOwn(FUNCTIONS, name);

/**
 * Everything that changes with a code deployment: the functions, their permissions, the SQS event
 * source mappings, the HTTP API and alarms on them. Built entirely from `definitions.ts`.
 */
export class ServiceStack extends Stack {
  readonly functions: Record<FunctionName, ParcelguardFunction>;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** `<api url>/console`: the officers' console, and where managed login sends staff back to. */
  readonly consoleUrl: string;
  readonly consoleClient: StaffConsoleClient;
  private readonly alarmTopic: ITopic;
  private readonly staff: ParcelguardData['staff'];
  /** Where this deployment's log metrics go: its own, so two deployments in one account never mix alarms. */
  private readonly metricNamespace: string;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    this.metricNamespace = `parcelguard/${props.regionId}`;
    // This stack reads the data stack's outputs (Fn::GetStackOutput) instead of importing its exports:
    // with exports, a function that stops using a table would block the data stack's next deployment
    // (an export in use cannot be removed). The data stack needs no such guard: the stack is
    // termination-protected and every stateful resource in it is retained.
    CrossStackReferences.of(this).consume(ReferenceStrength.WEAK);
    const { data } = props;
    this.alarmTopic = data.alarmTopic;
    this.staff = data.staff;

    this.api = new HttpApi(this, 'Api', {
      description: `parcelguard ${props.regionId}`,
      createDefaultStage: false,
    });
    // The console's app client is here, not in the data stack with the pool: its callback URL is the API's
    // URL, and the API's authorizer names the client (StaffConsoleClient explains the cycle it avoids).
    this.consoleUrl = `${this.api.apiEndpoint}/console`;
    this.consoleClient = new StaffConsoleClient(this, 'StaffConsoleClient', {
      userPool: data.staff.userPool,
      consoleUrl: this.consoleUrl,
    });

    this.functions = mapDefinitions(FUNCTIONS, (name, definition: FunctionDefinition) =>
      this.function(name, definition, props),
    );

    for (const [name, definition] of Object.entries(QUEUES) as [QueueName, QueueDefinition][]) {
      const consumer = definition.consumer;
      if (consumer === undefined) continue;
      if (!isFunctionName(consumer.functionName)) {
        throw new Error(`queue ${name}: consumer ${consumer.functionName} is not in FUNCTIONS`);
      }
      this.functions[consumer.functionName].function.addEventSource(
        new SqsEventSource(data.queues[name], {
          batchSize: consumer.batchSize,
          maxBatchingWindow: Duration.seconds(consumer.maxBatchingWindowSeconds),
          maxConcurrency: consumer.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
    }

    for (const { name, everyMinutes } of scheduledFunctions()) {
      const fn = this.functions[name].function;
      // A failed run is not repeated at once: what it left is still there for the next run, and the
      // function's error alarm reports it.
      fn.configureAsyncInvoke({ retryAttempts: 0 });
      new Rule(this, `${pascalCase(name)}Schedule`, {
        description: `Runs the ${name} function every ${everyMinutes} minutes.`,
        schedule: Schedule.rate(Duration.minutes(everyMinutes)),
        targets: [new LambdaFunction(fn)],
      });
      this.alarmOnMissedRuns(name, fn, everyMinutes);
    }

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No headers and no body: signatures, tokens and parcel data stay out of access logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    this.addRoutes();

    this.alarmOnServerErrors(accessLogs);
    for (const [name, fn] of Object.entries(this.functions) as [FunctionName, ParcelguardFunction][]) {
      this.alarm(
        `${pascalCase(name)}ErrorAlarm`,
        functionErrorAlarmDescription(name),
        fn.function.metricErrors(),
      );
    }

    this.alarmOnFlaggedParcels();
    this.alarmOnScreenLog(
      'PublishedListRefused',
      PUBLISHED_LIST_REFUSED,
      'PublishedListsRefused',
      PUBLISHED_LIST_REFUSED_DESCRIPTION,
    );
    this.alarmOnScreenLog(
      'ShadowRuleSetRefused',
      SHADOW_RULE_SET_REFUSED,
      'ShadowRuleSetsRefused',
      SHADOW_RULE_SET_REFUSED_DESCRIPTION,
    );
    this.alarmOnScreenLog(
      'ListsNotRefreshed',
      LISTS_NOT_REFRESHED,
      'ListRefreshesFailed',
      LISTS_NOT_REFRESHED_DESCRIPTION,
    );
    // Busy parties: parcels no longer counted for a party, counterparts no longer shared.
    this.alarmOnScreenLog('PartyDayFull', PARTY_DAY_FULL, 'PartyDaysFull', PARTY_DAY_FULL_DESCRIPTION);
    this.alarmOnScreenLog(
      'SharedCounterpartsFull',
      SHARED_COUNTERPARTS_FULL,
      'SharedCounterpartItemsFull',
      SHARED_COUNTERPARTS_FULL_DESCRIPTION,
    );

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url });
    new CfnOutput(this, 'ConsoleUrl', {
      value: this.consoleUrl,
      description: "the officers' console: staff sign in from here through managed login",
    });
    new CfnOutput(this, 'StaffSignInUrl', {
      value: data.staff.signInUrl,
      description: 'managed login of the staff user pool (the console sends staff there)',
    });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.client.userPoolClientId });
  }

  private function(name: FunctionName, definition: FunctionDefinition, props: ServiceStackProps) {
    const { data } = props;
    const tableNames = [...new Set<TableName>([...definition.tables.read, ...definition.tables.write])];
    const environment: Record<string, string> = {};
    for (const table of tableNames) environment[TABLES[table].env] = data.tables[table].tableName;
    for (const queue of definition.sendsTo) environment[QUEUES[queue].env] = data.queues[queue].queueUrl;
    for (const bucket of definition.putsInto ?? [])
      environment[BUCKETS[bucket].env] = bucketNameOf(props.regionId, bucket, Aws.ACCOUNT_ID, Aws.REGION);
    // A consumer may change the visibility of the messages it holds (backoff), so it knows its queue.
    for (const queue of consumedBy(name)) environment[QUEUES[queue].env] = data.queues[queue].queueUrl;
    // The party key salt reaches the function as an environment variable, as the function's
    // configuration expects: CloudFormation resolves the dynamic reference at deployment, so the value
    // appears in no template. Lambda encrypts such a function's environment with the data key (below),
    // so only who may decrypt with that key sees the salt in GetFunctionConfiguration, as only they
    // can read the data: under Lambda's own key, any reader of the function's configuration would.
    for (const secret of definition.secrets) {
      environment[SECRETS[secret].env] = data.secrets[secret].secretValue.unsafeUnwrap();
    }

    const bundled = bundledData(definition, props.ruleSet);
    Object.assign(environment, bundled.environment);
    if (definition.samplesControls === true) {
      environment.CONTROL_SAMPLE_PER_MILLE = String(props.controlSamplePerMille);
    }
    if (definition.refreshesLists === true) {
      environment.LIST_REFRESH_SECONDS = String(props.listRefreshSeconds);
    }
    if (definition.screensInShadow === true && props.shadowRuleSet !== undefined) {
      requireRuleSetFolder('shadowRuleSet', props.shadowRuleSet);
      // The whole rules folder is bundled with a function that needs rules, the shadow's included.
      environment.SHADOW_RULES_DIR = `${TASK_ROOT}/${RULES_FOLDER}/${props.shadowRuleSet}`;
    }
    if (definition.signsInStaff === true) {
      environment.STAFF_SIGN_IN_URL = data.staff.signInUrl;
      environment.STAFF_CLIENT_ID = this.consoleClient.client.userPoolClientId;
    }

    const fn = new ParcelguardFunction(this, `${pascalCase(name)}Function`, {
      entry: definition.entry,
      timeout: Duration.seconds(definition.timeoutSeconds),
      memorySize: definition.memoryMb,
      environment,
      ...(definition.secrets.length > 0 ? { environmentEncryption: data.dataKey } : {}),
      bundledPaths: bundled.paths,
    });
    // Lambda decrypts the environment with the function's own role at cold start.
    if (definition.secrets.length > 0) data.dataKey.grantDecrypt(fn.function);
    for (const grant of tableGrantsOf(definition)) grantTable(fn.function, data.tables[grant.table], grant);
    for (const queue of definition.sendsTo) data.queues[queue].grantSendMessages(fn.function);
    // Adding objects, and reading one back: no delete, no retention change (s3:PutObjectRetention is not
    // granted). The read is for a put whose answer was lost: the SDK's retry gets 412, and the object
    // there tells whether it is this put's (S3AuditAnchors.put).
    for (const bucket of definition.putsInto ?? []) {
      const objects = (account: string, region: string, partition: string) =>
        `arn:${partition}:s3:::${bucketNameOf(props.regionId, bucket, account, region)}/${BUCKETS[bucket].prefix}*`;
      fn.function.addToRolePolicy(newObjectPuts(objects(Aws.ACCOUNT_ID, Aws.REGION, Aws.PARTITION)));
      fn.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [objects(Aws.ACCOUNT_ID, Aws.REGION, Aws.PARTITION)],
        }),
      );
      // The finding names the resource as cdk-nag prints it, pseudo parameters in angle brackets.
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${objects('<AWS::AccountId>', '<AWS::Region>', '<AWS::Partition>')}]`,
        reason:
          'Any new object in its folder: each anchor is a new object, named by its time; PutObject of a new key, and GetObject to tell its own object after a lost answer, are the only actions.',
      });
    }
    const encrypts = definition.tables.write.length > 0 || definition.sendsTo.length > 0;
    for (const action of encrypts ? ['kms:GenerateDataKey*', 'kms:ReEncrypt*'] : []) {
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          `${action} is the action family SQS and DynamoDB need to encrypt under the data key, and the ` +
          'statement names that one key as its only resource.',
      });
    }

    return fn;
  }

  private addRoutes(): void {
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName): HttpLambdaIntegration => {
      const existing = integrations.get(name);
      if (existing !== undefined) return existing;
      const integration = new HttpLambdaIntegration(
        `${pascalCase(name)}Integration`,
        this.functions[name].function,
      );
      integrations.set(name, integration);
      return integration;
    };

    const authentications = routeAuthentication(this.staff.userPool, this.consoleClient.client);
    for (const route of ROUTES) {
      const authentication = authentications[route.auth];
      const [httpRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.functionName),
        authorizer: authentication.authorizer(),
      });
      if (httpRoute !== undefined && authentication.unauthorizedAtGatewayBecause !== undefined) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: authentication.unauthorizedAtGatewayBecause,
        });
      }
    }
    // Every request no route matches gets a problem document from the noRoute function.
    const fallback = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrationFor('noRoute'),
    });
    Validations.of(fallback).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'the $default route answers 404 or 405 problem documents and describes problem types; it reads and writes nothing',
    });
  }

  /**
   * A scheduled function that does not run raises no error, so its error alarm stays quiet: a disabled
   * schedule would silently stop the sweep, or the audit anchoring. A window of two periods without a run
   * raises this one (CloudWatch windows are fixed: 2 to 3 periods after the last run).
   */
  private alarmOnMissedRuns(name: FunctionName, fn: IFunction, everyMinutes: number): void {
    const alarm = new Alarm(this, `${pascalCase(name)}MissedRunsAlarm`, {
      alarmDescription: missedRunsAlarmDescription(name, everyMinutes),
      metric: fn.metricInvocations({ period: Duration.minutes(2 * everyMinutes), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  /**
   * The parcels screen flags an hour, against the band CloudWatch's anomaly detection learns from the
   * weeks before: a rule set or list that flags far more or far fewer than usual (a bad deploy or
   * publish) raises nothing else, since every parcel is still screened. No screening, no point: the
   * stalled-queue alarm covers that.
   */
  private alarmOnFlaggedParcels(): void {
    const flagged = new MetricFilter(this, 'ParcelsFlaggedFilter', {
      logGroup: this.functions.screen.logGroup,
      filterPattern: onMessage(PARCELS_SCREENED),
      metricNamespace: this.metricNamespace,
      metricName: 'ParcelsFlagged',
      metricValue: '$.flagged',
    }).metric({ statistic: 'Sum', period: Duration.hours(1) });
    const alarm = new AnomalyDetectionAlarm(this, 'ParcelsFlaggedAnomalyAlarm', {
      alarmDescription: FLAGGED_PARCELS_ANOMALY_DESCRIPTION,
      metric: flagged,
      stdDevs: 3,
      evaluationPeriods: 2,
      comparisonOperator: ComparisonOperator.LESS_THAN_LOWER_OR_GREATER_THAN_UPPER_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  /** An alarm on each screen log line of `message`. */
  private alarmOnScreenLog(id: string, message: string, metricName: string, description: string): void {
    const lines = this.countLines(id, this.functions.screen.logGroup, metricName, onMessage(message));
    this.alarm(`${id}Alarm`, description, lines);
  }

  /** The lines of `logGroup` matching `pattern`, 5 minutes a point (`<id>Filter` counts them into `metricName`). */
  private countLines(id: string, logGroup: ILogGroup, metricName: string, pattern: IFilterPattern): IMetric {
    return new MetricFilter(this, `${id}Filter`, {
      logGroup,
      filterPattern: pattern,
      metricNamespace: this.metricNamespace,
      metricName,
      metricValue: '1',
    }).metric({ statistic: 'Sum', period: Duration.minutes(5) });
  }

  /**
   * The API's 5xx, counted from its access log. Any 5xx but 503 alarms at once. A 503 says "send it again
   * shortly": a dependency slow for a moment, so a few are no failure and they alarm when they go on
   * (every 5 minutes for 15); or, by design, another delivery of the same manifest being handled, which
   * ingest logs as `DELIVERY_DEFERRED` and the alarm leaves out (a partner's retries are not an outage).
   */
  private alarmOnServerErrors(accessLogs: LogGroup): void {
    const status = (pattern: string, value: string) => FilterPattern.stringValue('$.status', pattern, value);
    this.alarm(
      'ApiServerErrorAlarm',
      API_SERVER_ERROR_DESCRIPTION,
      this.countLines(
        'ApiServerErrors',
        accessLogs,
        'ApiServerErrors',
        FilterPattern.all(status('=', '5*'), status('!=', '503')),
      ),
    );
    this.alarm(
      'ApiUnavailableAlarm',
      API_UNAVAILABLE_DESCRIPTION,
      new MathExpression({
        // A metric filter reports nothing in a period without a matching line: read that as none.
        expression: 'FILL(unavailable, 0) - FILL(deferred, 0)',
        usingMetrics: {
          unavailable: this.countLines('ApiUnavailable', accessLogs, 'ApiUnavailable', status('=', '503')),
          deferred: this.countLines(
            'DeliveriesDeferred',
            this.functions.ingest.logGroup,
            'DeliveriesDeferred',
            onMessage(DELIVERY_DEFERRED),
          ),
        },
        label: 'API 503s but deliveries deferred',
        period: Duration.minutes(5),
      }),
      { threshold: 10, evaluationPeriods: 3 },
    );
  }

  private alarm(
    id: string,
    description: string,
    metric: IMetric,
    { threshold = 0, evaluationPeriods = 1 }: { threshold?: number; evaluationPeriods?: number } = {},
  ): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}

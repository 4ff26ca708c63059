import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: entries, the lockfile and `rules/` are resolved from here. */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where Lambda unpacks the bundle. */
export const TASK_ROOT = '/var/task';

/**
 * esbuild emits ESM, but some dependencies are CommonJS and call `require` for Node built-ins;
 * ESM has no `require`, so give the bundle one.
 */
const CREATE_REQUIRE_BANNER =
  "import { createRequire as parcelguardCreateRequire } from 'node:module'; const require = parcelguardCreateRequire(import.meta.url);";

/** How every handler is compiled (esbuild, through NodejsFunction); test/infra/bundling.test.ts builds with it. */
export const BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  banner: CREATE_REQUIRE_BANNER,
  minify: true,
  // Errors name themselves by class (`this.name = new.target.name`): logs say ConflictError, not Kn.
  keepNames: true,
  sourceMap: true,
} satisfies BundlingOptions;

export interface ParcelguardFunctionProps {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  timeout: Duration;
  memorySize: number;
  environment: Record<string, string>;
  /** The key Lambda encrypts the environment with, where it holds a secret: only its users may read it. */
  environmentEncryption?: IKey;
  /**
   * Files or folders, relative to the repository root, copied into the bundle under the same path
   * (so `rules` lands at `/var/task/rules`). Each must exist at synthesis.
   */
  bundledPaths?: string[];
  /** Cap on concurrent executions. Unset: the function shares the account's unreserved pool. */
  reservedConcurrentExecutions?: number;
  logRetention?: RetentionDays;
}

/**
 * A NodejsFunction with parcelguard's defaults: Node 24 on arm64, ESM bundled by the local esbuild
 * (no Docker) with the AWS SDK inside, minified with source maps, JSON logs into a log group of its
 * own, and a role of its own that holds nothing but the right to write that log group. Callers add
 * every other permission with resource-scoped grants.
 *
 * Tracing is off on purpose: X-Ray's PutTraceSegments cannot be scoped to a resource, and a
 * wildcard resource is exactly what the infrastructure tests forbid. Parcels are followed through
 * the pipeline by ids in structured logs instead.
 */
export class ParcelguardFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: IRole;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ParcelguardFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // No AWSLambdaBasicExecutionRole: it allows writing to every log group in the account.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `parcelguard ${id} function`,
    });
    this.logGroup.grantWrite(role);
    this.role = role;

    const bundledPaths = props.bundledPaths ?? [];
    for (const bundled of bundledPaths) {
      if (path.isAbsolute(bundled) || bundled.split(/[\\/]/).includes('..')) {
        throw new Error(`${id}: bundled path ${bundled} must be relative and inside the repository`);
      }
      if (!existsSync(path.join(REPOSITORY_ROOT, bundled))) {
        throw new Error(`${id}: bundled path ${bundled} does not exist`);
      }
    }
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(REPOSITORY_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      systemLogLevelV2: SystemLogLevel.WARN,
      tracing: Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        ...props.environment,
        NODE_OPTIONS: '--enable-source-maps',
      },
      environmentEncryption: props.environmentEncryption,
      bundling: {
        ...BUNDLING,
        forceDockerBundling: false,
        sourceMapMode: SourceMapMode.DEFAULT,
        // The SDK version the tests ran against, not whichever one the runtime carries today.
        bundleAwsSDK: true,
        ...(bundledPaths.length === 0
          ? {}
          : {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  bundledPaths.flatMap((bundled) => [
                    `mkdir -p "${path.dirname(path.join(outputDir, bundled))}"`,
                    `cp -R "${path.join(inputDir, bundled)}" "${path.join(outputDir, bundled)}"`,
                  ]),
              },
            }),
      },
    });
  }
}

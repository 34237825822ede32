/**
 * The project's standard for every Node.js Lambda function, in one place: bundled locally by esbuild (never Docker)
 * through the project's in-process bundler (lib/bundling/lambda-bundler.ts), the newest Node.js runtime pinned
 * (AwsSolutions-L1 flags anything older), ARM64, minified with source maps, JSON logs. The AWS SDK is bundled
 * rather than taken from the runtime, so the deployed code runs the SDK the tests ran.
 *
 * It is a NodejsFunction, built with NodejsFunction's `code` property: NodejsFunction's own bundling starts
 * `npx esbuild` once per function and hashes the output, whose source maps depend on the output directory. What
 * NodejsFunction still does is unchanged (runtime checks, construct metadata, the Function itself); what its
 * bundling did is kept by the bundler: local esbuild, `index.js` + `index.js.map` per function, the same esbuild
 * options (lib/bundling/esbuild-standard.ts), and the `aws:cdk:bundling-stacks` switch.
 *
 * Every project function is one of these; test/bundling/standard-functions.test.ts fails on any other
 * NodejsFunction in the app. Callers add what differs: entry, role, log group, memory, timeout, environment.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import { LambdaBundler } from '../bundling/lambda-bundler';

export interface StandardNodejsFunctionProps extends Omit<
  nodejs.NodejsFunctionProps,
  | 'entry'
  | 'handler'
  | 'code'
  | 'bundling'
  | 'runtime'
  | 'architecture'
  | 'loggingFormat'
  | 'environment'
  | 'projectRoot'
  | 'depsLockFilePath'
> {
  /** Absolute path of the handler module (inside the project), e.g. lambda/signaling/join.ts. */
  readonly entry: string;
  /**
   * Exported function Lambda invokes.
   * @default 'handler'
   */
  readonly handler?: string;
  /** Powertools service name for the function's log lines. */
  readonly serviceName: string;
  readonly environment: Record<string, string>;
}

export class StandardNodejsFunction extends nodejs.NodejsFunction {
  /** The handler module this function was bundled from (absolute path). */
  public readonly entry: string;

  constructor(scope: Construct, id: string, props: StandardNodejsFunctionProps) {
    const { entry, handler, serviceName, environment, ...rest } = props;
    super(scope, id, {
      ...rest,
      code: LambdaBundler.of().code(scope, entry),
      handler: `index.${handler ?? 'handler'}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        ...environment,
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: serviceName,
      },
    });
    this.entry = entry;
  }
}

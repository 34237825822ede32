/**
 * The project's standard for every Node.js Lambda function, in one place: bundled locally by esbuild (never Docker),
 * the newest Node.js runtime pinned (AwsSolutions-L1 flags anything older), ARM64, minified with source maps, JSON
 * logs. The AWS SDK is bundled rather than taken from the runtime, so the deployed code runs the SDK the tests ran.
 * Callers add what differs: entry, role, log group, memory, timeout, environment.
 */
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

export interface NodeFunctionStandardProps {
  /** Powertools service name for the function's log lines. */
  readonly serviceName: string;
  readonly environment: Record<string, string>;
}

export function nodeFunctionStandard(
  props: NodeFunctionStandardProps,
): Pick<nodejs.NodejsFunctionProps, 'runtime' | 'architecture' | 'loggingFormat' | 'environment' | 'bundling'> {
  return {
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: {
      ...props.environment,
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: props.serviceName,
    },
    bundling: {
      minify: true,
      sourceMap: true,
      target: 'node24',
      format: nodejs.OutputFormat.CJS,
      externalModules: [],
      forceDockerBundling: false,
    },
  };
}

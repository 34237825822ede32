import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { StandardNodejsFunction } from './node-function-standard';

/** Where the signaling handlers live (one file per route, see lambda/signaling/). */
export const SIGNALING_HANDLER_DIR = path.join(__dirname, '..', '..', 'lambda', 'signaling');

export interface SignalingFunctionProps {
  /** Handler file name in lambda/signaling/ without extension, e.g. `join`. */
  readonly handler: string;
  /** What the function does (shown in the console and the template). */
  readonly description: string;
  /** Full log group name; must sit under the project prefix the log key's policy allows. */
  readonly logGroupName: string;
  /** Customer-managed key for the log group. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  readonly environment: Record<string, string>;
  /**
   * Reserved concurrency.
   * @default - none (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 10 seconds (a WebSocket route integration times out after 29 s) */
  readonly timeout?: Duration;
}

/**
 * A signaling Lambda built to the project standard: bundled locally by esbuild (never Docker), pinned Node.js 24
 * on ARM64, minified with source maps, logging JSON to its own KMS-encrypted log group with retention. The AWS SDK
 * is bundled rather than taken from the runtime, so the deployed code runs the SDK version the tests ran.
 *
 * Permissions live in one customer-managed policy per function ({@link policy}): no AWS managed policy and no
 * inline policy, and every statement names its resource. Add statements there, not through `grant*` calls on
 * the function, which would create an inline policy.
 */
export class SignalingFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly role: iam.Role;
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: SignalingFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Signaling ${props.handler}: its own log group, plus what the stack adds.`,
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      description: `Signaling ${props.handler} function`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [this.policy],
    });
    this.function = new StandardNodejsFunction(this, 'Resource', {
      role: this.role,
      entry: path.join(SIGNALING_HANDLER_DIR, `${props.handler}.ts`),
      description: props.description,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroup: this.logGroup,
      serviceName: 'hipaa-rtc-signaling',
      environment: props.environment,
    });
  }
}

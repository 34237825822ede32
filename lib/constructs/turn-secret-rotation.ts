import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ADVANCE_EVENT } from '../relay/rotation-event';
import { ADVANCE_INTERVAL_MINUTES } from '../relay/rotation-schedule';
import { rotationEnvironment } from '../relay/rotation-settings';
import type { RotationPolicy } from '../relay/secret-rotation';
import { StandardNodejsFunction } from './node-function-standard';
import { relayKeyAlias } from './relay-key';
import { turnSecretName } from './turn-secret';
import { relayLogGroup, type RelayLogOptions } from './relay-log-group';

/** The rotation function's handler (lambda/relay/). */
export const ROTATION_HANDLER_ENTRY = path.join(__dirname, '..', '..', 'lambda', 'relay', 'rotate-turn-secret.ts');

export interface TurnSecretRotationProps {
  readonly secret: secretsmanager.ISecret;
  /** The secret's key; the function uses it only through Secrets Manager. */
  readonly secretKey: kms.IKey;
  /** The longest TTL signaling issues, the skew and the relay pickup time (lib/relay/secret-rotation.ts). */
  readonly policy: RotationPolicy;
  /** Days between rotations (checked against the overlap by lib/relay/relay-settings.ts). */
  readonly intervalDays: number;
  readonly logs: RelayLogOptions;
  /**
   * Further relay Regions holding a replica of the secret, each encrypted with its relay key (`relayKeyAlias`).
   * @default - none
   */
  readonly replicas?: { readonly deploymentName: string; readonly regions: readonly string[] };
}

/**
 * Rotation of the TURN secret (lib/relay/rotation-plan.ts): Secrets Manager's schedule starts a rotation, whose
 * four native steps stage a new secret as `pending`; an EventBridge rule invokes the same function every few
 * minutes with {"action":"advance"} to promote it after the relay pickup time and drop the old one after the
 * longest credential TTL. The function's only permissions are one customer-managed policy on this one secret.
 *
 * Everything lives under a `TurnSecretRotation` construct in `scope`, as it did before this class existed; the
 * errors alarm is added to `scope` itself, where it was, so no logical id changes (see RelayStack).
 */
export class TurnSecretRotation {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(
    private readonly scope: Construct,
    props: TurnSecretRotationProps,
  ) {
    const stack = Stack.of(scope);
    const rotation = new Construct(scope, 'TurnSecretRotation');
    const secretArn = props.secret.secretArn;
    this.logGroup = relayLogGroup(rotation, 'LogGroup', 'turn-secret-rotation', props.logs);
    this.role = new iam.Role(rotation, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'TURN secret rotation function',
    });
    new iam.ManagedPolicy(rotation, 'Policy', {
      description: 'TURN secret rotation: read and write versions of the TURN secret only, and its own log group',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
        new iam.PolicyStatement({
          sid: 'RotateTurnSecretOnly',
          actions: [
            'secretsmanager:DescribeSecret',
            'secretsmanager:GetSecretValue',
            'secretsmanager:PutSecretValue',
            'secretsmanager:UpdateSecretVersionStage',
          ],
          resources: [secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'UseTurnSecretKeyViaSecretsManager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.secretKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
        }),
        ...replicaKeyStatements(stack, props.replicas),
      ],
    });
    const fn = new StandardNodejsFunction(rotation, 'Function', {
      // An immutable view of the role: nothing may add an inline policy to it; the managed policy above is all.
      role: this.role.withoutPolicyUpdates(),
      entry: ROTATION_HANDLER_ENTRY,
      description: 'Rotates the TURN shared secret with a two-secret overlap',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logGroup: this.logGroup,
      serviceName: 'hipaa-rtc-turn-rotation',
      environment: rotationEnvironment({ secretArn, policy: props.policy, replicaRegions: props.replicas?.regions }),
    });
    this.function = fn;
    // The L1 rather than secret.addRotationSchedule(): the L2 also grants the function the secret key through the
    // key's policy (with an imported key that is an edit to another stack, and a dependency cycle), adds an inline
    // policy with secretsmanager:GetRandomPassword on "*", and lets Secrets Manager invoke the function from any
    // account. The managed policy above and the permission below are all rotation needs.
    // Only for this secret (SourceArn) in this account: Secrets Manager cannot be made to invoke it for another.
    const invokedBySecretsManager = new lambda.CfnPermission(rotation, 'InvokedBySecretsManager', {
      action: 'lambda:InvokeFunction',
      functionName: fn.functionArn,
      principal: 'secretsmanager.amazonaws.com',
      sourceAccount: stack.account,
      sourceArn: secretArn,
    });
    const schedule = new secretsmanager.CfnRotationSchedule(rotation, 'Schedule', {
      secretId: secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: `rate(${props.intervalDays} days)` },
      // A deployment never starts a rotation: the generated secret is new, and an update landing inside an overlap
      // would be refused and leave an empty AWSPENDING version behind. Secrets Manager then only runs testSecret on a
      // temporary AWSPENDING version to test the configuration, which the function passes without writing.
      rotateImmediatelyOnUpdate: false,
    });
    // Secrets Manager checks it may invoke the function when the schedule is created.
    schedule.node.addDependency(invokedBySecretsManager);
    new events.Rule(rotation, 'AdvanceSchedule', {
      description: 'Advances a TURN secret rotation: promote after relay pickup, drop the old secret after its TTL',
      schedule: events.Schedule.rate(Duration.minutes(ADVANCE_INTERVAL_MINUTES)),
      targets: [
        new eventsTargets.LambdaFunction(fn, {
          event: events.RuleTargetInput.fromObject(ADVANCE_EVENT),
          // Every tick re-reads the secret, so a retry older than the next tick adds nothing.
          maxEventAge: Duration.minutes(ADVANCE_INTERVAL_MINUTES - 1),
          retryAttempts: 2,
        }),
      ],
    });
  }

  /**
   * Alarms when the function fails (a refused rotation, an error): its log group says why. Added to the scope the
   * rotation was given, with id `RotationFunctionErrors`, where it was before this class existed.
   */
  public alarmOnErrors(action: cloudwatch.IAlarmAction): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this.scope, 'RotationFunctionErrors', {
      alarmDescription: 'The TURN secret rotation function failed (see its log group for the refusal or error)',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(action);
    return alarm;
  }
}

/**
 * The function reads every replica (kms:Decrypt there), and Secrets Manager re-encrypts each new version for every
 * replica with the replica Region's key, with the identity that wrote the version (a forward access session), so the
 * function's PutSecretValue and UpdateSecretVersionStage need that key too (kms:Encrypt, kms:GenerateDataKey) (Secrets Manager user guide, "How Secrets Manager authorizes cross-account replication"; the same
 * two KMS operations run for replicas in other Regions of one account). Without it a replica goes `Failed`, which
 * rotation refuses to promote past. The keys are in other Regions, so they are matched by alias and Region (through
 * Secrets Manager there), not by ARN: the template names no other Region's resource.
 */
function replicaKeyStatements(stack: Stack, replicas: TurnSecretRotationProps['replicas']): iam.PolicyStatement[] {
  if (!replicas || replicas.regions.length === 0) return [];
  return [
    // Each advance tick reads every replica's AWSCURRENT in its Region, as its relays do (lib/relay/rotation-replicas.ts):
    // only the replicas of this secret, by the name they share with it, and only the current version.
    new iam.PolicyStatement({
      sid: 'ReadReplicasCurrentVersionOnly',
      actions: ['secretsmanager:GetSecretValue'],
      resources: replicas.regions.map(
        (region) =>
          `arn:${stack.partition}:secretsmanager:${region}:${stack.account}:secret:${turnSecretName(replicas.deploymentName)}-??????`,
      ),
      conditions: {
        StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' },
        Null: { 'secretsmanager:VersionId': 'true' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'UseReplicaRelayKeysViaSecretsManager',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [`arn:${stack.partition}:kms:*:${stack.account}:key/*`],
      conditions: {
        StringEquals: { 'kms:ViaService': replicas.regions.map((region) => `secretsmanager.${region}.amazonaws.com`) },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${relayKeyAlias(replicas.deploymentName)}` },
      },
    }),
  ];
}

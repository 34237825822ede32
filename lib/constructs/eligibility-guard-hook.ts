import { Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ObjectLockMode } from './audit-log-bucket';
import { EncryptedBucket } from './encrypted-bucket';
import { GuardRulesObject } from './guard-rules-object';

export interface EligibilityGuardHookProps {
  /** The Guard rule file's content (lib/compliance/guard/eligibility-guard-rules.ts). */
  readonly guardRules: string;
  /** Key for the rule file, the hook's evaluation logs and the writer's logs: the audit key. */
  readonly logEncryptionKey: kms.IKey;
  /** Receives the rule and log buckets' server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /** Object Lock default retention of every rule version, in days (the audit evidence retention). */
  readonly rulesRetentionDays: number;
  readonly rulesObjectLockMode: ObjectLockMode;
  /** Log group of the custom resource that writes the rules; under the deployment's log-group prefix. */
  readonly writerLogGroupName: string;
  readonly writerLogRetention: logs.RetentionDays;
  /**
   * Hook alias; must have the form `Private::Guard::<Name>`.
   * @default 'Private::Guard::HipaaRtcEligibility'
   */
  readonly alias?: string;
}

/**
 * An account-level CloudFormation Guard Hook in FAIL mode: every create or update of a resource, by any stack or Cloud
 * Control call in the account and region (CDK or not), is checked against the eligibility rules before it is
 * provisioned. The rules are an immutable object (GuardRulesObject) and the hook is pinned to its VersionId, so
 * rewriting the object changes nothing the hook reads; evaluation logs go to an encrypted bucket.
 */
export class EligibilityGuardHook extends Construct {
  public readonly hook: cloudformation.CfnGuardHook;
  public readonly rules: GuardRulesObject;
  public readonly logBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: EligibilityGuardHookProps) {
    super(scope, id);
    const alias = props.alias ?? 'Private::Guard::HipaaRtcEligibility';
    if (!/^Private::Guard::[A-Za-z0-9]{1,64}$/.test(alias)) {
      throw new Error(`EligibilityGuardHook ${this.node.path}: alias "${alias}" must look like Private::Guard::<Name>`);
    }
    const stack = Stack.of(this);
    this.rules = new GuardRulesObject(this, 'Rules', {
      content: props.guardRules,
      encryptionKey: props.logEncryptionKey,
      accessLogBucket: props.accessLogBucket,
      retentionDays: props.rulesRetentionDays,
      objectLockMode: props.rulesObjectLockMode,
      writerLogGroupName: props.writerLogGroupName,
      writerLogRetention: props.writerLogRetention,
    });
    this.logBucket = new EncryptedBucket(this, 'LogBucket', {
      encryptionKey: props.logEncryptionKey,
      accessLogBucket: props.accessLogBucket,
      accessLogPrefix: 'guard-hook-log-bucket/',
    }).bucket;

    const policy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description:
        'Lets the eligibility Guard Hook read the pinned version of its rule file and write its evaluation logs; nothing else.',
      statements: [
        ...this.rules.readStatements(),
        new iam.PolicyStatement({
          sid: 'WriteEvaluationLogs',
          actions: ['s3:PutObject'],
          resources: [this.logBucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptEvaluationLogs',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.logEncryptionKey.keyArn],
        }),
      ],
    });
    const role = new iam.Role(this, 'ExecutionRole', {
      description: 'Assumed by CloudFormation Hooks to run the HIPAA-eligibility Guard rules.',
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      managedPolicies: [policy],
    });

    this.hook = new cloudformation.CfnGuardHook(this, 'Resource', {
      alias,
      executionRole: role.roleArn,
      failureMode: 'FAIL',
      hookStatus: 'ENABLED',
      ruleLocation: { uri: this.rules.uri, versionId: this.rules.versionId },
      logBucket: this.logBucket.bucketName,
      targetOperations: ['RESOURCE', 'CLOUD_CONTROL'],
    });
    this.hook.node.addDependency(role);
  }
}

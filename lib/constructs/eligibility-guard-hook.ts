import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { EncryptedBucket } from './encrypted-bucket';

export interface EligibilityGuardHookProps {
  /** The Guard rule file's content (lib/compliance/guard/eligibility-guard-rules.ts). */
  readonly guardRules: string;
  /** Key for the hook's evaluation-log bucket. */
  readonly logEncryptionKey: kms.IKey;
  /** Receives the log bucket's server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Hook alias; must have the form `Private::Guard::<Name>`.
   * @default 'Private::Guard::HipaaRtcEligibility'
   */
  readonly alias?: string;
}

/** Writes the rules where the asset can pick them up; the path depends only on the content, so synth stays stable. */
function stageRuleFile(content: string): string {
  const digest = crypto.createHash('sha256').update(content).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `hipaa-rtc-guard-${digest}`);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'hipaa-eligibility.guard');
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content) fs.writeFileSync(file, content);
  return file;
}

/**
 * An account-level CloudFormation Guard Hook in FAIL mode: every create or update of a resource, by any stack or Cloud
 * Control call in the account and region (CDK or not), is checked against the eligibility rules before it is
 * provisioned. The rule file ships as a CDK asset (the bootstrap bucket, SSE-KMS); evaluation logs go to an
 * encrypted bucket.
 */
export class EligibilityGuardHook extends Construct {
  public readonly hook: cloudformation.CfnGuardHook;
  public readonly rulesAsset: s3assets.Asset;
  public readonly logBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: EligibilityGuardHookProps) {
    super(scope, id);
    const alias = props.alias ?? 'Private::Guard::HipaaRtcEligibility';
    if (!/^Private::Guard::[A-Za-z0-9]{1,64}$/.test(alias)) {
      throw new Error(`EligibilityGuardHook ${this.node.path}: alias "${alias}" must look like Private::Guard::<Name>`);
    }
    const stack = Stack.of(this);
    this.rulesAsset = new s3assets.Asset(this, 'Rules', { path: stageRuleFile(props.guardRules) });
    this.logBucket = new EncryptedBucket(this, 'LogBucket', {
      encryptionKey: props.logEncryptionKey,
      accessLogBucket: props.accessLogBucket,
      accessLogPrefix: 'guard-hook-log-bucket/',
    }).bucket;

    const policy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: 'Lets the eligibility Guard Hook read its rule file and write its evaluation logs; nothing else.',
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadRuleFile',
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [this.rulesAsset.bucket.arnForObjects(this.rulesAsset.s3ObjectKey)],
        }),
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
      ruleLocation: { uri: this.rulesAsset.s3ObjectUrl },
      logBucket: this.logBucket.bucketName,
      targetOperations: ['RESOURCE', 'CLOUD_CONTROL'],
    });
    this.hook.node.addDependency(role);
  }
}

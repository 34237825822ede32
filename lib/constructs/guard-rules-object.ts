import * as crypto from 'node:crypto';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { ObjectLockMode } from './audit-log-bucket';
import { mandatoryBucketProps, sendServerAccessLogs } from './bucket-standard';

export interface GuardRulesObjectProps {
  /** The Guard rule file's content. */
  readonly content: string;
  /** Customer-managed key for the bucket (SSE-KMS with a bucket key): the audit key. */
  readonly encryptionKey: kms.IKey;
  /** Receives the bucket's server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Object Lock default retention for every version of the rules: the audit evidence retention, so each version the
   * hook ever enforced stays as evidence (HIPAA 164.316(b)(2)(i) keeps policies six years).
   */
  readonly retentionDays: number;
  /** COMPLIANCE: nobody can delete or overwrite a version before it expires; GOVERNANCE: privileged users can. */
  readonly objectLockMode: ObjectLockMode;
  /** Name of the writer's log group; must sit under the deployment's log-group prefix (the audit key allows those). */
  readonly writerLogGroupName: string;
  readonly writerLogRetention: logs.RetentionDays;
}

/** The object key of the rule file; `.guard` is one of the extensions a Guard Hook accepts. */
export const GUARD_RULES_OBJECT_KEY = 'hipaa-eligibility.guard';

/** Base64 SHA-256 of the content: S3 checks the uploaded body against it, so the stored object is what synth wrote. */
export function sha256Base64(content: string): string {
  return crypto.createHash('sha256').update(content, 'utf8').digest('base64');
}

/**
 * The Guard rule file as an immutable object: a dedicated versioned bucket with Object Lock (the locked version cannot
 * be overwritten or deleted), SSE-KMS with the audit key, server access logs, TLS only, and a bucket policy that lets
 * only the writer role put objects and nobody delete versions or change their retention. The writer (CDK's
 * AwsCustomResource calling S3 PutObject) runs at deploy and returns the new object's VersionId, which the hook is
 * pinned to: "The Guard Hook downloads files from S3 every time the Hook is invoked. To prevent accidental changes or
 * deletions, we recommend using a version" (AWS::CloudFormation::GuardHook S3Location, VersionId).
 *
 * The rules travel in the template (about 50 KB, twice: AwsCustomResource renders the create and the update call) rather
 * than as a CDK asset, so nothing outside the stack's own template can change what is written. A CloudFormation
 * template may be 1 MB when read from S3; test/constructs/eligibility-guard-hook.test.ts keeps the size in a budget.
 */
export class GuardRulesObject extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly objectKey = GUARD_RULES_OBJECT_KEY;
  /** The rule file's text, byte for byte what is written. */
  public readonly content: string;
  /** The only principal the bucket policy lets put objects. */
  public readonly writerRole: iam.Role;
  /** VersionId of the object the writer put (a deploy-time value). */
  public readonly versionId: string;
  /** `s3://<bucket>/<key>`, the form a Guard Hook's RuleLocation takes. */
  public readonly uri: string;

  constructor(scope: Construct, id: string, props: GuardRulesObjectProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.content = props.content;
    const retention = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      // Object Lock can only be enabled when a bucket is created; versioning comes with it.
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      ...mandatoryBucketProps(props.encryptionKey),
    });
    sendServerAccessLogs(this.bucket, props.accessLogBucket, 'guard-rules-bucket/');

    const logGroup = new logs.LogGroup(this, 'WriterLogGroup', {
      logGroupName: props.writerLogGroupName,
      encryptionKey: props.encryptionKey,
      retention: props.writerLogRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A customer-managed policy, not the inline policy AwsCustomResource would generate (HIPAA IAMNoInlinePolicy).
    const writerPolicy = new iam.ManagedPolicy(this, 'WriterPolicy', {
      description: 'Writes the Guard rule file (one object key) into its bucket; nothing else.',
      statements: [
        new iam.PolicyStatement({
          sid: 'PutRuleFileOnly',
          actions: ['s3:PutObject'],
          resources: [this.bucket.arnForObjects(this.objectKey)],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptRuleFileViaS3',
          actions: ['kms:GenerateDataKey'],
          resources: [props.encryptionKey.keyArn],
          conditions: {
            StringEquals: {
              'kms:ViaService': `s3.${stack.region}.amazonaws.com`,
              // With an S3 bucket key the encryption context is the bucket ARN (S3 user guide, "Encryption context").
              'kms:EncryptionContext:aws:s3:arn': this.bucket.bucketArn,
            },
          },
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      ],
    });
    this.writerRole = new iam.Role(this, 'WriterRole', {
      description: 'Runs the custom resource that writes the Guard rule file and returns its VersionId.',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [writerPolicy],
    });
    this.restrictBucket();

    const putRules: cr.AwsSdkCall = {
      service: 'S3',
      action: 'putObject',
      parameters: {
        Bucket: this.bucket.bucketName,
        Key: this.objectKey,
        Body: props.content,
        ContentType: 'text/plain; charset=utf-8',
        // An upload to a bucket with Object Lock retention needs a checksum header (S3 user guide, "Using S3 Object
        // Lock"); a given SHA-256 also makes S3 refuse a body that differs from what synth wrote.
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256Base64(props.content),
      },
      // Every new content is a new version, so a new physical ID; the old version stays (and stays locked).
      physicalResourceId: cr.PhysicalResourceId.fromResponse('VersionId'),
      outputPaths: ['VersionId'],
      // Keeps the API response out of the logs. The handler still logs the request, i.e. the rule file: generated,
      // public text with no PHI.
      logging: cr.Logging.withDataHidden(),
    };
    const writer = new cr.AwsCustomResource(this, 'Writer', {
      resourceType: 'Custom::GuardRulesObject',
      onUpdate: putRules,
      role: this.writerRole,
      logGroup,
      installLatestAwsSdk: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The bucket policy must be in place before anything is written.
    writer.node.addDependency(this.bucket);
    this.versionId = writer.getResponseField('VersionId');
    this.uri = `s3://${this.bucket.bucketName}/${this.objectKey}`;
  }

  /**
   * Allows reading exactly the pinned version and nothing else (`s3:versionid` is a condition key of
   * s3:GetObjectVersion), and decrypting it through S3 only.
   */
  public readStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    return [
      new iam.PolicyStatement({
        sid: 'ReadPinnedRuleVersionOnly',
        actions: ['s3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects(this.objectKey)],
        conditions: { StringEquals: { 's3:versionid': this.versionId } },
      }),
      new iam.PolicyStatement({
        sid: 'DecryptRuleFileViaS3',
        actions: ['kms:Decrypt'],
        resources: [(this.bucket.encryptionKey as kms.IKey).keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `s3.${stack.region}.amazonaws.com`,
            'kms:EncryptionContext:aws:s3:arn': this.bucket.bucketArn,
          },
        },
      }),
    ];
  }

  /** Only the writer may put; nobody may delete a version or weaken its lock. */
  private restrictBucket(): void {
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheWriterPutsObjects',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.writerRole.roleArn } },
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoDeletesOrLockChanges',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: [
          's3:DeleteObject',
          's3:DeleteObjectVersion',
          's3:PutObjectRetention',
          's3:PutObjectLegalHold',
          's3:BypassGovernanceRetention',
        ],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
  }
}

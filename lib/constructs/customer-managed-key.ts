import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { forbiddenActionsGranted } from './kms-actions';

/**
 * Actions a key administrator needs, spelled out (no wildcards, so no future KMS action arrives unreviewed). None of
 * them can read or write data with the key or change who may (test/constructs/key-policies.test.ts expands every
 * pattern against lib/constructs/kms-actions.ts). Deliberately absent:
 * - kms:PutKeyPolicy (was in `kms:Put*`): its holder could grant itself Decrypt. Key policies change only through a
 *   reviewed deployment or the root user's break-glass path (docs/keys.md).
 * - kms:CreateGrant (in `kms:Create*`): a grant to itself is use.
 * - kms:ReplicateKey, kms:UpdatePrimaryRegion: a replica carries a key policy of the caller's choosing.
 * - kms:ImportKeyMaterial, kms:GetParametersForImport, kms:DeleteImportedKeyMaterial (in `kms:Get*`, `kms:Delete*`):
 *   imported material the caller knows decrypts outside KMS; deleting it makes data unreadable. Our keys are
 *   AWS_KMS origin, so an administrator never needs them.
 * - kms:GetPublicKey, kms:UpdateCustomKeyStore and the other custom-key-store actions: not our key type.
 * Kept though they can hurt availability, because administering keys is their purpose and each is detected:
 * DisableKey, DisableKeyRotation and ScheduleKeyDeletion raise the KmsKeyDisabledOrScheduledForDeletion alarm, and
 * deletion waits 30 days (CancelKeyDeletion undoes it). TagResource is kept: no policy in this app grants access by
 * key tag (aws:ResourceTag); if one ever does, tagging becomes an escalation and must go.
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:RevokeGrant',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
] as const;

/**
 * The use actions as this app writes them in grants (patterns; KMS_USE_ACTIONS in ./kms-actions lists every concrete
 * one). Key administrators never receive any of them.
 */
export const KEY_USAGE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
  'kms:CreateGrant',
] as const;

export interface CustomerManagedKeyProps {
  /** Alias without the `alias/` prefix, e.g. `hipaa-rtc/example/audit`. */
  readonly alias: string;
  /** What the key protects; shown in the KMS console and in the template. */
  readonly description: string;
  /**
   * The role that administers the key. It gets the administration actions in the key policy and nothing that
   * can encrypt or decrypt data (separation of duties, HIPAA 164.308(a)(3) and 164.308(a)(4)).
   */
  readonly administrator: iam.IRole;
}

/**
 * A symmetric KMS key encoding the project's key standard: annual rotation, a 30-day deletion window, RETAIN, and a
 * key policy that separates administrators from users. Usage is granted to identities through IAM (the account-root
 * statement CDK writes delegates to IAM) or to AWS services through {@link allowService} with scoping conditions.
 * None of these settings can be relaxed through props.
 */
export class CustomerManagedKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    if (!/^[a-zA-Z0-9/_-]+$/.test(props.alias) || props.alias.startsWith('aws/')) {
      throw new Error(
        `CustomerManagedKey ${this.node.path}: alias "${props.alias}" must use [A-Za-z0-9/_-] and must not start with "aws/"`,
      );
    }
    // CDK writes the default statement that gives the account root `kms:*`. It stays: AWS KMS ("Default key policy",
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html) warns that without it the key can
    // become unmanageable, recoverable only through AWS Support. Its cost is that IAM identity policies in this
    // account can grant use and kms:PutKeyPolicy, so IAM is the control (no policy in this app grants PutKeyPolicy)
    // and the KmsKeyDisabledOrScheduledForDeletion and IamPolicyChanges alarms are the detection (docs/keys.md).
    this.key = new kms.Key(this, 'Resource', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Written explicitly rather than through `admins:` so the action list is ours, reviewed, and checked (here and in
    // tests) to grant nothing that uses the key or changes its policy.
    const escalating = forbiddenActionsGranted(KEY_ADMINISTRATION_ACTIONS);
    if (escalating.length > 0) {
      throw new Error(
        `CustomerManagedKey ${this.node.path}: KEY_ADMINISTRATION_ACTIONS grants ${escalating.join(', ')}, which let ` +
          'an administrator use the key or rewrite its policy; remove them (docs/keys.md)',
      );
    }
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'KeyAdministration',
        principals: [new iam.ArnPrincipal(props.administrator.roleArn)],
        actions: [...KEY_ADMINISTRATION_ACTIONS],
        resources: ['*'],
      }),
    );
  }

  /**
   * Lets an AWS service principal use the key for the given actions, but only under the given conditions
   * (source account/ARN or encryption context), so the service cannot be used as a confused deputy.
   */
  public allowService(grant: ServiceKeyAccess): void {
    if (Object.keys(grant.conditions).length === 0) {
      throw new Error(`${this.node.path}: service access for ${grant.service} needs at least one scoping condition`);
    }
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: grant.sid,
        principals: [new iam.ServicePrincipal(grant.service)],
        actions: [...grant.actions],
        resources: ['*'],
        conditions: grant.conditions,
      }),
    );
  }

  /**
   * Lets CloudWatch Logs in this Region encrypt the log groups named under `prefix` (and any `extraNames` patterns),
   * by the encryption context CloudWatch Logs sends (the log group's ARN): no other log group may use the key.
   */
  public allowLogGroupsUnder(prefix: string, extraNames: readonly string[] = []): void {
    const stack = Stack.of(this);
    const logGroupArn = (resourceName: string) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.allowService({
      sid: 'CloudWatchLogsProjectLogGroups',
      service: `logs.${stack.region}.amazonaws.com`,
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': [`${prefix}*`, ...extraNames].map(logGroupArn) },
      },
    });
  }

  /** Lets S3 server access logging deliver logs encrypted with this key, for buckets of this account only. */
  public allowS3AccessLogDelivery(): void {
    this.allowService({
      sid: 'S3ServerAccessLogDelivery',
      service: 'logging.s3.amazonaws.com',
      actions: ['kms:GenerateDataKey*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    });
  }

  /**
   * Lets a service-linked role (e.g. Auto Scaling's) encrypt EBS volumes it launches with this key: the data-key
   * actions, and grants only for AWS resources (the grant EC2 needs to attach the volume), nothing else. The role
   * must exist when the key policy is written: KMS rejects a policy naming a missing principal.
   */
  public allowEbsVolumesFor(sidPrefix: string, serviceLinkedRoleArn: string): void {
    const principal = new iam.ArnPrincipal(serviceLinkedRoleArn);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `${sidPrefix}EncryptsVolumes`,
        principals: [principal],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        resources: ['*'],
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `${sidPrefix}GrantsForVolumes`,
        principals: [principal],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );
  }
}

/** One service principal's scoped access to a key. */
export interface ServiceKeyAccess {
  /** Statement ID, unique within the key policy. */
  readonly sid: string;
  /** Service principal, e.g. `cloudtrail.amazonaws.com`. */
  readonly service: string;
  readonly actions: readonly string[];
  /** IAM condition block; must not be empty. */
  readonly conditions: Record<string, Record<string, unknown>>;
}

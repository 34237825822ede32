import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Actions a key administrator needs; none of them can read or write data with the key. */
// kms:Create* is deliberately absent: it would include kms:CreateGrant, which lets the holder grant itself decryption.
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
] as const;

/** Cryptographic actions that touch data; key administrators never receive these through the key policy. */
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
    this.key = new kms.Key(this, 'Resource', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Written explicitly rather than through `admins:` so the action list is ours, reviewed, and tested to be
    // disjoint from KEY_USAGE_ACTIONS.
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

import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

export interface AccountSettingsProps {
  /** Key for the custom-resource function's log group. */
  readonly logEncryptionKey: kms.IKey;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /**
   * Which settings to apply. EBS encryption by default is per Region, so every Region that runs instances needs it;
   * S3 account-level Block Public Access is one setting for the whole account, applied once from the home Region.
   * @default ['ebs-encryption-by-default', 's3-account-public-access-block']
   */
  readonly settings?: readonly AccountSetting[];
}

const POLICY_DESCRIPTION: Record<string, string> = {
  'ebs-encryption-by-default+s3-account-public-access-block':
    'Turns on EBS encryption by default and account-level S3 Block Public Access; nothing else.',
  'ebs-encryption-by-default': 'Turns on EBS encryption by default in this Region; nothing else.',
  's3-account-public-access-block': 'Turns on account-level S3 Block Public Access; nothing else.',
};

export type AccountSetting = 'ebs-encryption-by-default' | 's3-account-public-access-block';

const ACTION_OF: Record<AccountSetting, string> = {
  'ebs-encryption-by-default': 'ec2:EnableEbsEncryptionByDefault',
  's3-account-public-access-block': 's3:PutAccountPublicAccessBlock',
};

/**
 * Account-wide, per-region safety settings that CloudFormation has no resource type for: EBS encryption by default
 * and account-level S3 Block Public Access. Applied through CDK's AwsCustomResource with a role that can call exactly
 * those two APIs. Deleting the stack leaves both settings on: turning protection off must be a deliberate act.
 */
export class AccountSettings extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AccountSettingsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.logEncryptionKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // A managed policy rather than the inline policy AwsCustomResource would generate (HIPAA IAMNoInlinePolicy).
    const settings = new Set<AccountSetting>(
      props.settings ?? ['ebs-encryption-by-default', 's3-account-public-access-block'],
    );
    if (settings.size === 0) throw new Error(`AccountSettings ${this.node.path}: name at least one setting to apply`);
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: POLICY_DESCRIPTION[[...settings].sort().join('+')],
      statements: [
        new iam.PolicyStatement({
          sid: 'AccountLevelApisWithoutResourceArns',
          actions: [...settings].map((setting) => ACTION_OF[setting]),
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      ],
    });
    this.role = new iam.Role(this, 'Role', {
      description: 'Runs the account-settings custom resource.',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [policy],
    });

    const common = {
      role: this.role,
      logGroup,
      installLatestAwsSdk: false,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // `logging` belongs to each SDK call, not to the construct's props (where CDK ignores it): API responses are not
    // logged; they carry nothing sensitive, but the function's logs stay minimal on principle.
    const enableEbsEncryption = {
      service: 'EC2',
      action: 'enableEbsEncryptionByDefault',
      physicalResourceId: cr.PhysicalResourceId.of(`ebs-encryption-by-default-${stack.region}`),
      logging: cr.Logging.withDataHidden(),
    };
    if (settings.has('ebs-encryption-by-default')) {
      new cr.AwsCustomResource(this, 'EbsEncryptionByDefault', {
        ...common,
        resourceType: 'Custom::EbsEncryptionByDefault',
        onCreate: enableEbsEncryption,
        onUpdate: enableEbsEncryption,
      });
    }
    const blockPublicAccess = {
      service: 'S3Control',
      action: 'putPublicAccessBlock',
      parameters: {
        AccountId: stack.account,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
      physicalResourceId: cr.PhysicalResourceId.of('s3-account-public-access-block'),
      logging: cr.Logging.withDataHidden(),
    };
    if (!settings.has('s3-account-public-access-block')) return;
    new cr.AwsCustomResource(this, 'S3AccountPublicAccessBlock', {
      ...common,
      resourceType: 'Custom::S3AccountPublicAccessBlock',
      onCreate: blockPublicAccess,
      onUpdate: blockPublicAccess,
    });
  }
}

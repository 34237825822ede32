import { Duration } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rules from '../../../lib/compliance/packs/rules';
import { TestType, testStack, validateStack } from './rule-harness';

// The assertions live in validateStack (rule-harness.ts); this makes jest fail any case that never reaches one.
beforeEach(() => expect.hasAssertions());

describe('KMSSymmetricKeyRotation: Symmetric KMS keys rotate at least yearly', () => {
  test('Noncompliance 1: rotation off', () => {
    const stack = testStack();
    new kms.Key(stack, 'rKey');
    validateStack(stack, rules.KMSSymmetricKeyRotation, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: rotation period longer than a year', () => {
    const stack = testStack();
    new kms.CfnKey(stack, 'rKey', { keyPolicy: {}, enableKeyRotation: true, rotationPeriodInDays: 730 });
    validateStack(stack, rules.KMSSymmetricKeyRotation, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    new kms.Key(stack, 'rRotating', { enableKeyRotation: true });
    new kms.Key(stack, 'rYearly', { enableKeyRotation: true, rotationPeriod: Duration.days(365) });
    new kms.Key(stack, 'rAsymmetric', { keySpec: kms.KeySpec.RSA_2048, keyUsage: kms.KeyUsage.SIGN_VERIFY });
    validateStack(stack, rules.KMSSymmetricKeyRotation, TestType.COMPLIANCE);
  });
});

describe('KMSKeyPolicyNoOpenPrincipal: No key-policy Allow statement grants to every principal without a condition', () => {
  test('Noncompliance 1: Principal "*"', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'rKey', { enableKeyRotation: true });
    key.addToResourcePolicy(
      new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['kms:Decrypt'], resources: ['*'] }),
    );
    validateStack(stack, rules.KMSKeyPolicyNoOpenPrincipal, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: {"AWS": "*"} on an L1 key', () => {
    const stack = testStack();
    new kms.CfnKey(stack, 'rKey', {
      keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] },
    });
    validateStack(stack, rules.KMSKeyPolicyNoOpenPrincipal, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'rKey', { enableKeyRotation: true });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': '111111111111', 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
        },
      }),
    );
    new kms.CfnKey(stack, 'rDeny', {
      keyPolicy: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' }] },
    });
    validateStack(stack, rules.KMSKeyPolicyNoOpenPrincipal, TestType.COMPLIANCE);
  });
});

describe('KMSNoPolicyEscalation: nobody but the account may rewrite a key policy, replicate a key or import material', () => {
  const adminStatement = (actions: string[]) =>
    new iam.PolicyStatement({
      principals: [new iam.ArnPrincipal('arn:aws:iam::111111111111:role/KeyAdministrator')],
      actions,
      resources: ['*'],
    });
  test('Noncompliance 1: the key administrator holds kms:Put* in the key policy (defect 4 of issue 11)', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'rKey', { enableKeyRotation: true });
    key.addToResourcePolicy(adminStatement(['kms:Create*', 'kms:Describe*', 'kms:Put*', 'kms:Update*']));
    validateStack(stack, rules.KMSNoPolicyEscalation, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: NotAction in a key policy leaves kms:ReplicateKey granted', () => {
    const stack = testStack();
    new kms.CfnKey(stack, 'rKey', {
      keyPolicy: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:role/Ops' },
            NotAction: 'kms:Decrypt',
            Resource: '*',
          },
        ],
      },
    });
    validateStack(stack, rules.KMSNoPolicyEscalation, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 3: an IAM policy grants kms:PutKeyPolicy (the account statement delegates to IAM)', () => {
    const stack = testStack();
    const role = new iam.Role(stack, 'rRole', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:PutKeyPolicy'], resources: ['*'] }));
    validateStack(stack, rules.KMSNoPolicyEscalation, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 4: a role inline policy with "*", and a managed policy with kms:*', () => {
    const stack = testStack();
    new iam.CfnRole(stack, 'rInline', {
      assumeRolePolicyDocument: {},
      policies: [
        { policyName: 'all', policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
      ],
    });
    new iam.ManagedPolicy(stack, 'rManaged', {
      statements: [new iam.PolicyStatement({ actions: ['kms:*'], resources: ['*'] })],
    });
    validateStack(stack, rules.KMSNoPolicyEscalation, TestType.NON_COMPLIANCE);
  });
  test('Compliance: the account statement, explicit administration actions, use by IAM, a Deny of PutKeyPolicy', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'rKey', { enableKeyRotation: true }); // CDK's default: kms:* to the account root
    key.addToResourcePolicy(adminStatement(['kms:DescribeKey', 'kms:EnableKeyRotation', 'kms:ScheduleKeyDeletion']));
    new kms.CfnKey(stack, 'rPlainRoot', {
      keyPolicy: {
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
        ],
      },
    });
    const role = new iam.Role(stack, 'rRole', { assumedBy: new iam.AccountRootPrincipal() });
    key.grantEncryptDecrypt(role);
    role.addToPolicy(
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['kms:PutKeyPolicy'], resources: ['*'] }),
    );
    validateStack(stack, rules.KMSNoPolicyEscalation, TestType.COMPLIANCE);
  });
});

describe('DynamoDBCustomerManagedKey: DynamoDB tables are encrypted with a customer-managed KMS key', () => {
  test('Noncompliance 1: Table with the AWS-owned key', () => {
    const stack = testStack();
    new dynamodb.Table(stack, 'rTable', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    validateStack(stack, rules.DynamoDBCustomerManagedKey, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: Table with the AWS-managed key', () => {
    const stack = testStack();
    new dynamodb.Table(stack, 'rTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
    });
    validateStack(stack, rules.DynamoDBCustomerManagedKey, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 3: TableV2 (GlobalTable) with the AWS-owned key', () => {
    const stack = testStack();
    new dynamodb.TableV2(stack, 'rTable', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    validateStack(stack, rules.DynamoDBCustomerManagedKey, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'rKey', { enableKeyRotation: true });
    new dynamodb.Table(stack, 'rTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
    });
    new dynamodb.TableV2(stack, 'rTableV2', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(key),
    });
    validateStack(stack, rules.DynamoDBCustomerManagedKey, TestType.COMPLIANCE);
  });
});

describe('DynamoDBRecoveryAndDeletionProtection: PITR and deletion protection on every table and replica', () => {
  test('Noncompliance 1: TableV2 without PITR (cdk-nag misses GlobalTable)', () => {
    const stack = testStack();
    new dynamodb.TableV2(stack, 'rTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      deletionProtection: true,
    });
    validateStack(stack, rules.DynamoDBRecoveryAndDeletionProtection, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: Table with PITR but no deletion protection', () => {
    const stack = testStack();
    new dynamodb.Table(stack, 'rTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    validateStack(stack, rules.DynamoDBRecoveryAndDeletionProtection, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    new dynamodb.Table(stack, 'rTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
    });
    new dynamodb.TableV2(stack, 'rTableV2', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
    });
    validateStack(stack, rules.DynamoDBRecoveryAndDeletionProtection, TestType.COMPLIANCE);
  });
});

describe('CloudTrailAccountWideManagementEvents: Trails cover all regions and record all management events including KMS', () => {
  test('Noncompliance 1: single-region trail', () => {
    const stack = testStack();
    new cloudtrail.Trail(stack, 'rTrail', { isMultiRegionTrail: false });
    validateStack(stack, rules.CloudTrailAccountWideManagementEvents, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: write-only management events (drops kms:Decrypt)', () => {
    const stack = testStack();
    new cloudtrail.Trail(stack, 'rTrail', { managementEvents: cloudtrail.ReadWriteType.WRITE_ONLY });
    validateStack(stack, rules.CloudTrailAccountWideManagementEvents, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 3: KMS excluded from management events', () => {
    const stack = testStack();
    new cloudtrail.CfnTrail(stack, 'rTrail', {
      isLogging: true,
      s3BucketName: 'b',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      eventSelectors: [
        { includeManagementEvents: true, readWriteType: 'All', excludeManagementEventSources: ['kms.amazonaws.com'] },
      ],
    });
    validateStack(stack, rules.CloudTrailAccountWideManagementEvents, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 4: advanced selector limited to writes', () => {
    const stack = testStack();
    new cloudtrail.CfnTrail(stack, 'rTrail', {
      isLogging: true,
      s3BucketName: 'b',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      advancedEventSelectors: [
        {
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Management'] },
            { field: 'readOnly', equalTo: ['false'] },
          ],
        },
      ],
    });
    validateStack(stack, rules.CloudTrailAccountWideManagementEvents, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    new cloudtrail.Trail(stack, 'rDefault');
    new cloudtrail.CfnTrail(stack, 'rAdvanced', {
      isLogging: true,
      s3BucketName: 'b',
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }] }],
    });
    validateStack(stack, rules.CloudTrailAccountWideManagementEvents, TestType.COMPLIANCE);
  });
});

describe('LogGroupEncryptedWithRetention: Log groups use a customer-managed key and a retention period', () => {
  test('Noncompliance 1: no key', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'rLogs', { retention: logs.RetentionDays.ONE_YEAR });
    validateStack(stack, rules.LogGroupEncryptedWithRetention, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance 2: kept forever', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'rLogs', {
      encryptionKey: new kms.Key(stack, 'rKey'),
      retention: logs.RetentionDays.INFINITE,
    });
    validateStack(stack, rules.LogGroupEncryptedWithRetention, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'rLogs', {
      encryptionKey: new kms.Key(stack, 'rKey'),
      retention: logs.RetentionDays.ONE_YEAR,
    });
    validateStack(stack, rules.LogGroupEncryptedWithRetention, TestType.COMPLIANCE);
  });
});

describe('LambdaExplicitLogGroup: Lambda functions log to an explicit log group', () => {
  const code = lambda.Code.fromInline('exports.handler = async () => {}');
  test('Noncompliance 1: implicit /aws/lambda group', () => {
    const stack = testStack();
    new lambda.CfnFunction(stack, 'rFn', {
      code: { zipFile: 'x' },
      role: 'arn:aws:iam::111111111111:role/r',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
    });
    validateStack(stack, rules.LambdaExplicitLogGroup, TestType.NON_COMPLIANCE);
  });
  test('Compliance', () => {
    const stack = testStack();
    new lambda.Function(stack, 'rFn', {
      code,
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      logGroup: new logs.LogGroup(stack, 'rLogs'),
    });
    validateStack(stack, rules.LambdaExplicitLogGroup, TestType.COMPLIANCE);
  });
});

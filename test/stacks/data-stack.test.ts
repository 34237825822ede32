import { Match, type Template } from 'aws-cdk-lib/assertions';
import { exampleTemplates, type BuiltApp } from '../helpers/test-app';
import { asArray, keyPolicyStatements, onlyResource, type PolicyStatement } from '../helpers/template-queries';

let data: Template;
let built: BuiltApp;
let dataKeyId: string;

beforeAll(() => {
  ({ data, built } = exampleTemplates());
  dataKeyId = onlyResource(data, 'AWS::KMS::Key').logicalId;
});

describe('Data stack lifecycle', () => {
  test('is termination-protected and depends on the Audit stack (keys and buckets cross as objects)', () => {
    expect(built.data.terminationProtection).toBe(true);
    expect(built.data.dependencies).toContain(built.audit);
  });

  test('retains every stateful resource', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::DynamoDB::GlobalTable']) {
      for (const resource of Object.values(data.findResources(type))) {
        expect({
          type,
          DeletionPolicy: resource.DeletionPolicy,
          UpdateReplacePolicy: resource.UpdateReplacePolicy,
        }).toEqual({
          type,
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        });
      }
    }
  });
});

describe('data KMS key', () => {
  test('is its own key (not the audit key), rotated yearly, with a 30-day deletion window', () => {
    data.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      RotationPeriodInDays: 365,
      PendingWindowInDays: 30,
    });
    data.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hipaa-rtc/hipaa-rtc-example/data' });
  });

  test('is administered by the Audit stack key administrator, and grants no service principal anything', () => {
    const statements = keyPolicyStatements(data, dataKeyId);
    const admin = statements.find((s) => s.Sid === 'KeyAdministration')!;
    expect(admin.Principal).toEqual({
      AWS: {
        'Fn::GetStackOutput': {
          StackName: 'hipaa-rtc-example-audit',
          Region: 'us-east-1',
          OutputName: expect.stringContaining('KeyAdministrator'),
        },
      },
    });
    expect(statements.filter((s: PolicyStatement) => JSON.stringify(s.Principal).includes('"Service"'))).toEqual([]);
    expect(statements.filter((s) => asArray(s.Action).includes('kms:*'))).toHaveLength(1);
  });
});

describe('recordings bucket', () => {
  test('is encrypted with the data key, versioned, private, TLS-only and logged to the Audit access-log bucket', () => {
    const { resource, logicalId } = onlyResource(data, 'AWS::S3::Bucket');
    expect(resource.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [dataKeyId, 'Arn'] },
            },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: {
          'Fn::GetStackOutput': {
            StackName: 'hipaa-rtc-example-audit',
            Region: 'us-east-1',
            OutputName: expect.stringContaining('AccessLogBucket'),
          },
        },
        LogFilePrefix: 'recordings-bucket/',
      },
    });
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });
});

describe('records table', () => {
  test('uses the data key, point-in-time recovery and deletion protection', () => {
    data.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({
          Region: 'us-east-1',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId, 'Arn'] } },
        }),
      ],
    });
  });

  test('has opaque key attribute names only', () => {
    const { resource } = onlyResource(data, 'AWS::DynamoDB::GlobalTable');
    expect(resource.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });
});

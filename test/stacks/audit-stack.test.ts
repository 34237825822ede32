import { Match, type Template } from 'aws-cdk-lib/assertions';
import { KEY_ADMINISTRATION_ACTIONS, KEY_USAGE_ACTIONS } from '../../lib/constructs/customer-managed-key';
import { SECURITY_ALARMS } from '../../lib/constructs/security-alarm-definitions';
import { exampleTemplates, type BuiltApp } from '../helpers/test-app';
import {
  actionPatternCovers,
  asArray,
  keyPolicyStatements,
  onlyResource,
  referencedLogicalIds,
  type PolicyStatement,
} from '../helpers/template-queries';

let audit: Template;
let built: BuiltApp;
let auditKeyId: string;
let auditBucketId: string;
let accessLogBucketId: string;

beforeAll(() => {
  ({ audit, built } = exampleTemplates());
  auditKeyId = onlyResource(audit, 'AWS::KMS::Key').logicalId;
  const buckets = audit.findResources('AWS::S3::Bucket');
  auditBucketId = Object.keys(buckets).find((id) => buckets[id]!.Properties.ObjectLockEnabled === true)!;
  accessLogBucketId = Object.keys(buckets).find((id) => id !== auditBucketId)!;
});

describe('Audit stack lifecycle', () => {
  test('is termination-protected', () => {
    expect(built.audit.terminationProtection).toBe(true);
  });
  test('retains every stateful resource on delete and on replacement', () => {
    for (const type of ['AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::CloudTrail::Trail']) {
      for (const resource of Object.values(audit.findResources(type))) {
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

describe('audit KMS key', () => {
  let statements: PolicyStatement[];
  beforeAll(() => {
    statements = keyPolicyStatements(audit, auditKeyId);
  });

  test('rotates yearly and waits 30 days before deletion', () => {
    audit.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      RotationPeriodInDays: 365,
      PendingWindowInDays: 30,
    });
  });

  test('grants kms:* only to the account root (the lock-out safety statement)', () => {
    const wildcard = statements.filter((s) => asArray(s.Action).includes('kms:*'));
    expect(wildcard).toHaveLength(1);
    expect(JSON.stringify(wildcard[0]!.Principal)).toMatch(/:root"/);
  });

  test('key administrators get no action that encrypts, decrypts or creates grants', () => {
    const admin = statements.find((s) => s.Sid === 'KeyAdministration')!;
    expect(asArray(admin.Action).sort()).toEqual([...KEY_ADMINISTRATION_ACTIONS].sort());
    for (const pattern of asArray(admin.Action)) {
      for (const usage of KEY_USAGE_ACTIONS)
        expect({ pattern, usage, covers: actionPatternCovers(pattern, usage) }).toMatchObject({ covers: false });
    }
  });

  test('the administrator role is used in no usage statement', () => {
    const admin = statements.find((s) => s.Sid === 'KeyAdministration')!;
    const adminPrincipal = JSON.stringify(admin.Principal);
    const usage = statements.filter((s) =>
      asArray(s.Action).some((a) => KEY_USAGE_ACTIONS.some((u) => actionPatternCovers(a, u))),
    );
    for (const statement of usage) expect(JSON.stringify(statement.Principal)).not.toEqual(adminPrincipal);
  });

  test('the administrator role can only be assumed with MFA', () => {
    const admin = statements.find((s) => s.Sid === 'KeyAdministration')!;
    const roleId = referencedLogicalIds(admin.Principal)[0]!;
    expect(audit.findResources('AWS::IAM::Role')[roleId]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }),
    ]);
  });

  test('every service-principal statement is scoped by a condition', () => {
    const services = statements.filter((s) => JSON.stringify(s.Principal).includes('"Service"'));
    expect(services.map((s) => s.Sid).sort()).toEqual([
      // AWS Config deliveries and EventBridge routes to the alarm topic, added by the Detect stack.
      'AWSConfigDeliveryEncryption',
      'CloudTrailDescribeKey',
      'CloudTrailEncryptLogs',
      'CloudWatchAlarmsPublishToEncryptedTopic',
      'CloudWatchLogsProjectLogGroups',
      'EventBridgeRulesPublishToEncryptedTopic',
      'S3ServerAccessLogDelivery',
    ]);
    for (const statement of services) expect(Object.keys(statement.Condition ?? {})).not.toHaveLength(0);
  });

  test('CloudTrail may use the key only for this trail (aws:SourceArn) and trail encryption context', () => {
    const encrypt = statements.find((s) => s.Sid === 'CloudTrailEncryptLogs')!;
    expect(encrypt.Action).toEqual('kms:GenerateDataKey*');
    expect(JSON.stringify(encrypt.Condition!.StringEquals!['aws:SourceArn'])).toContain(
      ':trail/hipaa-rtc-example-audit',
    );
    expect(JSON.stringify(encrypt.Condition!.StringLike!['kms:EncryptionContext:aws:cloudtrail:arn'])).toContain(
      ':trail/*',
    );
  });

  test('CloudWatch Logs may use the key only for log groups under the project prefix', () => {
    const logsStatement = statements.find((s) => s.Sid === 'CloudWatchLogsProjectLogGroups')!;
    expect(logsStatement.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(JSON.stringify(logsStatement.Condition!.ArnLike!['kms:EncryptionContext:aws:logs:arn'])).toContain(
      ':log-group:/hipaa-rtc/hipaa-rtc-example/*',
    );
  });

  test('the key policy never references the trail resource, so there is no dependency cycle', () => {
    const trailId = onlyResource(audit, 'AWS::CloudTrail::Trail').logicalId;
    expect(referencedLogicalIds(statements)).not.toContain(trailId);
    const auditBucketPolicy = Object.values(audit.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === auditBucketId,
    )!;
    expect(referencedLogicalIds(auditBucketPolicy)).not.toContain(trailId);
  });
});

describe('CloudTrail trail', () => {
  test('covers all regions and global services, validates log files, encrypts with the audit key, and logs', () => {
    audit.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'hipaa-rtc-example-audit',
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [auditKeyId, 'Arn'] },
      S3BucketName: { Ref: auditBucketId },
      CloudWatchLogsLogGroupArn: Match.anyValue(),
      CloudWatchLogsRoleArn: Match.anyValue(),
    });
  });

  test('records every management event, with no read-only filter and no excluded source (KMS stays in)', () => {
    const { resource } = onlyResource(audit, 'AWS::CloudTrail::Trail');
    const selectors = resource.Properties.AdvancedEventSelectors as Array<{
      FieldSelectors: Array<Record<string, unknown>>;
    }>;
    const management = selectors.filter((s) =>
      s.FieldSelectors.some((f) => f.Field === 'eventCategory' && JSON.stringify(f.Equals) === '["Management"]'),
    );
    expect(management).toEqual([
      { Name: 'All management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
    ]);
    expect(JSON.stringify(selectors)).not.toMatch(/readOnly|eventSource/);
    expect(resource.Properties.EventSelectors).toBeUndefined();
  });

  test('records S3 object events except on the audit storage itself, and DynamoDB item events', () => {
    const { resource } = onlyResource(audit, 'AWS::CloudTrail::Trail');
    expect(resource.Properties.AdvancedEventSelectors).toEqual(
      expect.arrayContaining([
        {
          Name: 'S3 object events outside the audit storage',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            {
              Field: 'resources.ARN',
              NotStartsWith: [
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [auditBucketId, 'Arn'] }, '/']] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [accessLogBucketId, 'Arn'] }, '/']] },
              ],
            },
          ],
        },
        {
          Name: 'DynamoDB item events',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
          ],
        },
      ]),
    );
  });

  test('is created after the bucket policy and delivery role it needs', () => {
    const { resource } = onlyResource(audit, 'AWS::CloudTrail::Trail');
    const policyId = Object.entries(audit.findResources('AWS::S3::BucketPolicy')).find(
      ([, p]) => p.Properties.Bucket.Ref === auditBucketId,
    )![0];
    expect(resource.DependsOn).toEqual(expect.arrayContaining([policyId]));
  });

  test('delivers to a KMS-encrypted log group under the project prefix through a role only CloudTrail for this trail can assume', () => {
    audit.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/hipaa-rtc/hipaa-rtc-example/cloudtrail',
      KmsKeyId: { 'Fn::GetAtt': [auditKeyId, 'Arn'] },
      RetentionInDays: 365,
    });
    audit.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceArn': Match.anyValue() } },
          }),
        ],
      },
      ManagedPolicyArns: [Match.anyValue()],
      Policies: Match.absent(),
    });
  });
});

describe('audit-log bucket', () => {
  test('has Object Lock with the configured default retention and mode', () => {
    audit.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 2192 } },
      },
    });
  });

  test.each([
    ['audit-log', () => auditBucketId],
    ['access-log', () => accessLogBucketId],
  ])(
    '%s bucket: SSE-KMS with the audit CMK and a bucket key, versioning, public access blocked, ACLs off',
    (_name, id) => {
      const bucket = audit.findResources('AWS::S3::Bucket')[id()]!;
      expect(bucket.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [auditKeyId, 'Arn'] },
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
      });
    },
  );

  test.each([
    ['audit-log', () => auditBucketId],
    ['access-log', () => accessLogBucketId],
  ])('%s bucket policy denies plain HTTP and TLS below 1.2', (_name, id) => {
    const policy = Object.values(audit.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === id(),
    )!;
    const denies = (policy.Properties.PolicyDocument.Statement as PolicyStatement[]).filter((s) => s.Effect === 'Deny');
    expect(denies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
        expect.objectContaining({
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
        }),
      ]),
    );
  });

  test('sends its server access logs to the separate access-log bucket', () => {
    expect(audit.findResources('AWS::S3::Bucket')[auditBucketId]!.Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: accessLogBucketId },
      LogFilePrefix: 'audit-log-bucket/',
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } },
    });
  });

  test('moves evidence to colder storage and expires it only after the retention period', () => {
    const rules = audit.findResources('AWS::S3::Bucket')[auditBucketId]!.Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        ExpirationInDays: 2192,
        NoncurrentVersionExpiration: { NoncurrentDays: 2192 },
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
      }),
    ]);
  });

  test('CloudTrail statements in its policy are scoped to this trail', () => {
    const policy = Object.values(audit.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === auditBucketId,
    )!;
    const cloudTrail = (policy.Properties.PolicyDocument.Statement as PolicyStatement[]).filter(
      (s) => JSON.stringify(s.Principal) === '{"Service":"cloudtrail.amazonaws.com"}',
    );
    expect(cloudTrail.map((s) => s.Sid).sort()).toEqual(['CloudTrailAclCheck', 'CloudTrailWrite']);
    for (const statement of cloudTrail) {
      expect(JSON.stringify(statement.Condition!.StringEquals!['aws:SourceArn'])).toContain(
        ':trail/hipaa-rtc-example-audit',
      );
    }
    expect(cloudTrail.find((s) => s.Sid === 'CloudTrailWrite')!.Condition!.StringEquals!['s3:x-amz-acl']).toBe(
      'bucket-owner-full-control',
    );
  });
});

describe('access-log bucket', () => {
  test('has no Object Lock and does not log to itself', () => {
    const bucket = audit.findResources('AWS::S3::Bucket')[accessLogBucketId]!;
    expect(bucket.Properties.ObjectLockEnabled).toBeUndefined();
    expect(bucket.Properties.LoggingConfiguration).toBeUndefined();
  });

  test('accepts log delivery only from buckets in this account', () => {
    const policy = Object.values(audit.findResources('AWS::S3::BucketPolicy')).find(
      (p) => p.Properties.Bucket.Ref === accessLogBucketId,
    )!;
    const allows = (policy.Properties.PolicyDocument.Statement as PolicyStatement[]).filter(
      (s) => s.Effect === 'Allow',
    );
    expect(allows).toEqual([
      expect.objectContaining({
        Sid: 'AllowServerAccessLogDeliveryFromThisAccount',
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
  });
});

describe('security alarms', () => {
  test.each(SECURITY_ALARMS.map((d) => [d.id, d]))(
    '%s: a metric filter on the trail log group and an alarm to the topic',
    (_id, definition) => {
      audit.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: definition.filterPattern,
        LogGroupName: { Ref: Match.stringLikeRegexp('^TrailLogGroup') },
        MetricTransformations: [{ MetricName: definition.id, MetricNamespace: 'HipaaRtc/Security', MetricValue: '1' }],
      });
      audit.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: definition.id,
        Namespace: 'HipaaRtc/Security',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^SecurityAlarmsTopic') }],
      });
    },
  );

  test('cover the required events', () => {
    const patterns = Object.fromEntries(SECURITY_ALARMS.map((d) => [d.id, d.filterPattern]));
    expect(patterns.RootAccountUse).toContain('$.userIdentity.type = "Root"');
    expect(patterns.UnauthorizedApiCalls).toContain('AccessDenied*');
    expect(patterns.ConsoleSignInWithoutMfa).toContain('$.additionalEventData.MFAUsed != "Yes"');
    expect(patterns.IamPolicyChanges).toContain('PutRolePolicy');
    expect(patterns.CloudTrailChanges).toContain('StopLogging');
    expect(patterns.KmsKeyDisabledOrScheduledForDeletion).toMatch(/DisableKey.*ScheduleKeyDeletion/);
    // Every key-policy change (reviewed deploy or break-glass, docs/keys.md) and every escalation no role holds.
    for (const event of ['PutKeyPolicy', 'ReplicateKey', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial'])
      expect(patterns.KmsKeyDisabledOrScheduledForDeletion).toContain(`($.eventName = ${event})`);
    expect(patterns.SecurityGroupChanges).toContain('AuthorizeSecurityGroupIngress');
    expect(patterns.NetworkAclChanges).toContain('CreateNetworkAclEntry');
  });

  test('every filter pattern is balanced JSON-pattern syntax', () => {
    for (const { id, filterPattern } of SECURITY_ALARMS) {
      let depth = 0;
      for (const ch of filterPattern) {
        depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
        expect({ id, negative: depth < 0 }).toEqual({ id, negative: false });
      }
      expect({ id, depth, braces: filterPattern.startsWith('{ ') && filterPattern.endsWith(' }') }).toEqual({
        id,
        depth: 0,
        braces: true,
      });
    }
  });

  test('the topic is KMS-encrypted with the audit key, TLS-only, and mails the configured address', () => {
    audit.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [auditKeyId, 'Arn'] } });
    audit.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    audit.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.org' });
  });
});

describe('account settings', () => {
  test('API Gateway gets its CloudWatch role, assumable only from this account, with no AWS managed policy', () => {
    const { resource } = onlyResource(audit, 'AWS::ApiGateway::Account');
    const roleId = referencedLogicalIds(resource.Properties.CloudWatchRoleArn)[0]!;
    const role = audit.findResources('AWS::IAM::Role')[roleId]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: 'apigateway.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    ]);
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).not.toContain('aws:policy');
  });

  /** AwsCustomResource stores its SDK call as JSON text, joined with tokens when it contains any. */
  function sdkCall(value: unknown): Record<string, any> {
    if (typeof value === 'string') return JSON.parse(value);
    const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
  }

  test('EBS encryption by default and account-level S3 Block Public Access are switched on', () => {
    const ebs = onlyResource(audit, 'Custom::EbsEncryptionByDefault').resource;
    expect(sdkCall(ebs.Properties.Create)).toMatchObject({ service: 'EC2', action: 'enableEbsEncryptionByDefault' });
    expect(sdkCall(ebs.Properties.Update)).toMatchObject({ service: 'EC2', action: 'enableEbsEncryptionByDefault' });
    const s3 = onlyResource(audit, 'Custom::S3AccountPublicAccessBlock').resource;
    expect(sdkCall(s3.Properties.Create)).toMatchObject({
      service: 'S3Control',
      action: 'putPublicAccessBlock',
      parameters: {
        AccountId: 'TOKEN',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
    });
    // API responses stay out of the function's logs: `logging` is honoured only on each SDK call (CDK ignores it on
    // the construct's props, where it sat before), and shows up in the template as logApiResponseData: false.
    for (const resource of [ebs, s3])
      for (const call of [resource.Properties.Create, resource.Properties.Update])
        expect(sdkCall(call)).toMatchObject({ logApiResponseData: false });
    // Deleting the stack must not turn protection off.
    expect(ebs.Properties.Delete).toBeUndefined();
    expect(s3.Properties.Delete).toBeUndefined();
  });

  test('the custom-resource role can call exactly the two account-level APIs and write its own log group', () => {
    const policies = Object.values(audit.findResources('AWS::IAM::ManagedPolicy'));
    const settings = policies.find((p) => JSON.stringify(p).includes('EnableEbsEncryptionByDefault'))!;
    const actions = (settings.Properties.PolicyDocument.Statement as PolicyStatement[])
      .flatMap((s) => asArray(s.Action))
      .sort();
    expect(actions).toEqual([
      'ec2:EnableEbsEncryptionByDefault',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutAccountPublicAccessBlock',
    ]);
  });

  test('no inline IAM policies anywhere (HIPAA IAMNoInlinePolicy)', () => {
    audit.resourceCountIs('AWS::IAM::Policy', 0);
    for (const role of Object.values(audit.findResources('AWS::IAM::Role')))
      expect(role.Properties.Policies).toBeUndefined();
  });

  test('every Lambda function logs to a KMS-encrypted log group under the project prefix', () => {
    const groups = audit.findResources('AWS::Logs::LogGroup');
    for (const fn of Object.values(audit.findResources('AWS::Lambda::Function'))) {
      const groupId = fn.Properties.LoggingConfig.LogGroup.Ref as string;
      expect(groups[groupId]!.Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [auditKeyId, 'Arn'] },
        LogGroupName: expect.stringMatching(/^\/hipaa-rtc\/hipaa-rtc-example\//),
      });
    }
  });
});

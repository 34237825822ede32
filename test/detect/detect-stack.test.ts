import { Match, Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../config';
import { example } from '../../config/example';
import { GUARDDUTY_MEDIUM_SEVERITY } from '../../lib/constructs/threat-detection';
import { judgeResourceType } from '../../lib/compliance/eligibility';
import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';
import { FAILED_JOB_STATES } from '../../lib/detect/backup-schedule';
import { FIXED_TODAY, buildExampleApp, newTestApp } from '../helpers/test-app';
import { keyPolicyStatements, onlyResource, type PolicyStatement } from '../helpers/template-queries';

/**
 * The Detect stack as AWS would receive it: what each service records or watches, where its findings go, and what
 * the backup vault, plan and restore tests protect. Each `create`-only resource is also asserted absent with
 * `existing` (a second recorder or detector in an account that has one fails to deploy).
 */

let detect: Template;
let audit: Template;
let auditKeyId: string;

beforeAll(() => {
  const built = buildExampleApp();
  detect = Template.fromStack(built.detect);
  audit = Template.fromStack(built.audit);
  auditKeyId = onlyResource(audit, 'AWS::KMS::Key').logicalId;
});

/** A reference to another stack's output (CDK writes cross-stack references as Fn::GetStackOutput). */
const importOf = (outputFragment: string) => ({
  'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp(outputFragment) }),
});
/** The same, for jest's own matchers (toEqual). */
const outputOf = (outputFragment: string) => ({
  'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringMatching(outputFragment) }),
});
const bucketPolicyStatements = (template: Template): PolicyStatement[] =>
  Object.values(template.findResources('AWS::S3::BucketPolicy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as PolicyStatement[],
  );
const auditBucketId = () =>
  Object.entries(audit.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('AuditLogBucket'))![0];

function appWith(detectOverrides: Record<string, unknown>) {
  const app = newTestApp();
  const config = validateConfig('under-test', { ...example, detect: { ...example.detect, ...detectOverrides } });
  return composeHipaaRtc(app, config, { today: FIXED_TODAY, registerPacks: false });
}

describe('AWS Config recorder', () => {
  test('records every supported resource type, global types included (this is the home region)', () => {
    detect.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      Name: 'hipaa-rtc-example-recorder',
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RoleARN: {
        'Fn::Join': [
          '',
          Match.arrayWith([
            Match.stringLikeRegexp(':role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig$'),
          ]),
        ],
      },
    });
  });

  test('delivers to the audit evidence bucket, encrypted with the audit key, after the recorder exists', () => {
    const channel = onlyResource(detect, 'AWS::Config::DeliveryChannel');
    expect(channel.resource.Properties).toEqual({
      Name: 'hipaa-rtc-example-delivery',
      S3BucketName: outputOf('AuditLogBucket'),
      S3KeyPrefix: 'config',
      S3KmsKeyArn: outputOf('AuditKey'),
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
    expect(channel.resource.DependsOn).toEqual([onlyResource(detect, 'AWS::Config::ConfigurationRecorder').logicalId]);
  });

  test('the evidence bucket policy lets config.amazonaws.com check and write its prefix, from this account only', () => {
    const config = bucketPolicyStatements(audit).filter(
      (s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'config.amazonaws.com' }),
    );
    const bucketArn = { 'Fn::GetAtt': [auditBucketId(), 'Arn'] };
    const thisAccount = { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } };
    expect(config).toEqual([
      expect.objectContaining({
        Sid: 'AWSConfigBucketPermissionsCheck',
        Action: 's3:GetBucketAcl',
        Resource: bucketArn,
        Condition: { StringEquals: thisAccount },
      }),
      expect.objectContaining({
        Sid: 'AWSConfigBucketExistenceCheck',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        Condition: { StringEquals: thisAccount },
      }),
      expect.objectContaining({
        Sid: 'AWSConfigBucketDelivery',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [bucketArn, '/config/AWSLogs/', { Ref: 'AWS::AccountId' }, '/Config/*']] },
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...thisAccount } },
      }),
    ]);
    expect(config.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  test('the audit key lets config.amazonaws.com encrypt deliveries, from this account only', () => {
    const statement = keyPolicyStatements(audit, auditKeyId).find((s) => s.Sid === 'AWSConfigDeliveryEncryption');
    expect(statement).toEqual({
      Sid: 'AWSConfigDeliveryEncryption',
      Effect: 'Allow',
      Principal: { Service: 'config.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
  });
});

describe('GuardDuty', () => {
  test('one detector with S3 data events, EBS malware protection and EC2 runtime monitoring', () => {
    const detector = onlyResource(detect, 'AWS::GuardDuty::Detector').resource.Properties;
    expect(detector.Enable).toBe(true);
    // DataSources and Features are mutually exclusive in the API; the template uses Features only.
    expect(detector.DataSources).toBeUndefined();
    expect(detector.Features).toEqual([
      { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
      { Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' },
      {
        Name: 'RUNTIME_MONITORING',
        Status: 'ENABLED',
        AdditionalConfiguration: [
          { Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' },
          { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'DISABLED' },
          { Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' },
        ],
      },
    ]);
  });

  test('findings of medium severity (4.0) and above go to the alarm topic, nothing below', () => {
    expect(GUARDDUTY_MEDIUM_SEVERITY).toBe(4);
    detect.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', 4] }] },
      },
      State: 'ENABLED',
      Targets: [{ Id: 'SecurityAlarmTopic', Arn: importOf('SecurityAlarmsTopic') }],
    });
  });
});

describe('IAM Access Analyzer', () => {
  test('an account analyzer whose active findings go to the alarm topic', () => {
    detect.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT',
      AnalyzerName: 'hipaa-rtc-example-account',
    });
    detect.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.access-analyzer'],
        'detail-type': ['Access Analyzer Finding'],
        detail: { status: ['ACTIVE'] },
      },
      Targets: [{ Id: 'SecurityAlarmTopic', Arn: importOf('SecurityAlarmsTopic') }],
    });
  });
});

describe('AWS Security Hub CSPM', () => {
  test('a hub without default standards, and exactly FSBP and NIST 800-53 Rev. 5, each after the hub and the recorder', () => {
    const hub = onlyResource(detect, 'AWS::SecurityHub::Hub');
    expect(hub.resource.Properties).toEqual(
      expect.objectContaining({ EnableDefaultStandards: false, ControlFindingGenerator: 'SECURITY_CONTROL' }),
    );
    const recorderId = onlyResource(detect, 'AWS::Config::ConfigurationRecorder').logicalId;
    expect(hub.resource.DependsOn).toEqual([recorderId]);
    const standards = Object.values(detect.findResources('AWS::SecurityHub::Standard'));
    expect(standards.map((s) => s.Properties.StandardsArn)).toEqual([
      'arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      'arn:aws:securityhub:us-east-1::standards/nist-800-53/v/5.0.0',
    ]);
    for (const standard of standards)
      expect(standard.DependsOn).toEqual(expect.arrayContaining([hub.logicalId, recorderId]));
  });

  test('only Security Hub CSPM types are used, which the eligibility data allows; the V2 types stay refused', () => {
    const types = Object.values(detect.toJSON().Resources as Record<string, { Type: string }>)
      .map((r) => r.Type)
      .filter((t) => t.startsWith('AWS::SecurityHub::'));
    expect([...new Set(types)].sort()).toEqual(['AWS::SecurityHub::Hub', 'AWS::SecurityHub::Standard']);
    for (const type of types) expect(judgeResourceType(type).eligible).toBe(true);
    expect(judgeResourceType('AWS::SecurityHub::HubV2').eligible).toBe(false);
  });
});

describe('routes to the alarm topic are publishable', () => {
  test('the topic policy allows EventBridge rules of this account, and the key statement has no source conditions', () => {
    const topicStatements: PolicyStatement[] = onlyResource(audit, 'AWS::SNS::TopicPolicy').resource.Properties
      .PolicyDocument.Statement;
    expect(topicStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: 'EventBridgeRulesPublish',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
        }),
      ]),
    );
    const key = keyPolicyStatements(audit, auditKeyId).find((s) => s.Sid === 'EventBridgeRulesPublishToEncryptedTopic');
    expect(key).toBeDefined();
    const conditionKeys = Object.values(key!.Condition ?? {}).flatMap((block) => Object.keys(block));
    expect(conditionKeys).toEqual(['kms:EncryptionContext:aws:sns:topicArn']);
  });

  test("no route relies on CDK's unconditioned topic grant (every events.amazonaws.com Allow is scoped)", () => {
    const events = (
      onlyResource(audit, 'AWS::SNS::TopicPolicy').resource.Properties.PolicyDocument.Statement as PolicyStatement[]
    ).filter((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }));
    expect(events).toHaveLength(1);
    expect(events[0]!.Condition).toBeDefined();
  });
});

describe('AWS Backup', () => {
  test('a vault under its own rotating, retained CMK, with a compliance-mode lock from the config', () => {
    const vault = onlyResource(detect, 'AWS::Backup::BackupVault');
    const keyId = onlyResource(detect, 'AWS::KMS::Key').logicalId;
    expect(vault.resource.Properties).toEqual({
      BackupVaultTags: expect.anything(),
      BackupVaultName: 'hipaa-rtc-example-vault',
      EncryptionKeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] },
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 3650, ChangeableForDays: 3 },
    });
    expect(vault.resource.DeletionPolicy).toBe('Retain');
    detect.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true }),
      DeletionPolicy: 'Retain',
    });
  });

  test('a daily and a monthly rule into the vault, keeping points as long as the config says', () => {
    const plan = onlyResource(detect, 'AWS::Backup::BackupPlan').resource.Properties.BackupPlan;
    const vaultName = { 'Fn::GetAtt': [onlyResource(detect, 'AWS::Backup::BackupVault').logicalId, 'BackupVaultName'] };
    expect(plan.BackupPlanRule).toEqual([
      expect.objectContaining({
        RuleName: 'Daily',
        ScheduleExpression: 'cron(0 5 ? * * *)',
        TargetBackupVault: vaultName,
        Lifecycle: { DeleteAfterDays: 35 },
      }),
      expect.objectContaining({
        RuleName: 'Monthly',
        ScheduleExpression: 'cron(0 5 1 * ? *)',
        TargetBackupVault: vaultName,
        Lifecycle: { DeleteAfterDays: 365 },
      }),
    ]);
    // No copy action unless the config names a second region.
    expect(plan.BackupPlanRule.every((rule: Record<string, unknown>) => rule.CopyActions === undefined)).toBe(true);
  });

  test('the plan selects exactly the records table and the recordings bucket, through the backup role', () => {
    const selection = onlyResource(detect, 'AWS::Backup::BackupSelection').resource.Properties.BackupSelection;
    expect(selection.Resources).toEqual([outputOf('RecordsTable'), outputOf('RecordingsBucket')]);
    expect(selection.IamRoleArn).toEqual({ 'Fn::GetAtt': [onlyResource(detect, 'AWS::IAM::Role').logicalId, 'Arn'] });
  });

  test('the backup role trusts only AWS Backup from this account, and uses the data and vault keys without wildcards', () => {
    const role = onlyResource(detect, 'AWS::IAM::Role').resource.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'backup.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
    const statements: PolicyStatement[] = onlyResource(detect, 'AWS::IAM::ManagedPolicy').resource.Properties
      .PolicyDocument.Statement;
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.some((a) => a.includes('*'))).toBe(false);
    expect(statements.find((s) => s.Sid === 'GrantsForAwsResourcesOnly')?.Condition).toEqual({
      Bool: { 'kms:GrantIsForAWSResource': 'true' },
    });
  });

  test('restore tests restore the latest recovery point of each protected resource on the configured schedule', () => {
    const plan = onlyResource(detect, 'AWS::Backup::RestoreTestingPlan').resource.Properties;
    expect(plan).toEqual({
      Tags: expect.anything(),
      RestoreTestingPlanName: 'hipaa_rtc_example_restore_tests',
      ScheduleExpression: 'cron(0 6 ? * MON *)',
      ScheduleExpressionTimezone: 'Etc/UTC',
      StartWindowHours: 24,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [
          { 'Fn::GetAtt': [onlyResource(detect, 'AWS::Backup::BackupVault').logicalId, 'BackupVaultArn'] },
        ],
        RecoveryPointTypes: ['SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    const roleArn = { 'Fn::GetAtt': [onlyResource(detect, 'AWS::IAM::Role').logicalId, 'Arn'] };
    const selections = Object.values(detect.findResources('AWS::Backup::RestoreTestingSelection')).map(
      (r) => r.Properties,
    );
    expect(selections).toEqual([
      expect.objectContaining({
        ProtectedResourceType: 'DynamoDB',
        ProtectedResourceArns: [outputOf('RecordsTable')],
        IamRoleArn: roleArn,
        ValidationWindowHours: 4,
        RestoreTestingPlanName: 'hipaa_rtc_example_restore_tests',
        // The restored table stays under the data key, never an AWS owned key.
        RestoreMetadataOverrides: { encryptionType: 'KMS', kmsMasterKeyArn: outputOf('DataKey') },
      }),
      expect.objectContaining({
        ProtectedResourceType: 'S3',
        ProtectedResourceArns: [outputOf('RecordingsBucket')],
        IamRoleArn: roleArn,
        ValidationWindowHours: 4,
      }),
    ]);
  });

  test('failed backup, copy and restore jobs (restore tests are restore jobs) go to the alarm topic', () => {
    detect.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.backup'],
        'detail-type': ['Backup Job State Change', 'Copy Job State Change', 'Restore Job State Change'],
        // Backup and copy jobs report `state`, restore jobs (restore tests) `status`: both must match.
        detail: {
          $or: [
            { state: [...FAILED_JOB_STATES] },
            { status: [...FAILED_JOB_STATES] },
            { validationStatus: ['FAILED', 'TIMED_OUT'] },
          ],
        },
      },
      Targets: [{ Id: 'SecurityAlarmTopic', Arn: importOf('SecurityAlarmsTopic') }],
    });
    expect(FAILED_JOB_STATES).toEqual(expect.arrayContaining(['FAILED', 'ABORTED', 'EXPIRED']));
  });
});

describe('existing: nothing is created for a service somebody else runs', () => {
  const existing = { mode: 'existing', managedBy: 'organization security account 111111111111' };

  test('config existing: no recorder, channel or rules, and no Config grants on the evidence bucket or key', () => {
    const built = appWith({ config: existing });
    const template = Template.fromStack(built.detect);
    for (const type of [
      'AWS::Config::ConfigurationRecorder',
      'AWS::Config::DeliveryChannel',
      'AWS::Config::ConfigRule',
    ]) {
      template.resourceCountIs(type, 0);
    }
    const auditTemplate = Template.fromStack(built.audit);
    expect(JSON.stringify(bucketPolicyStatements(auditTemplate))).not.toContain('config.amazonaws.com');
    const keyId = onlyResource(auditTemplate, 'AWS::KMS::Key').logicalId;
    expect(keyPolicyStatements(auditTemplate, keyId).map((s) => s.Sid)).not.toContain('AWSConfigDeliveryEncryption');
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
  });

  test('guardDuty, accessAnalyzer and securityHub existing: no detector, analyzer, hub or their routes', () => {
    const template = Template.fromStack(
      appWith({ guardDuty: existing, accessAnalyzer: existing, securityHub: existing }).detect,
    );
    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 0);
    template.resourceCountIs('AWS::SecurityHub::Hub', 0);
    template.resourceCountIs('AWS::SecurityHub::Standard', 0);
    const sources = Object.values(template.findResources('AWS::Events::Rule')).map(
      (r) => r.Properties.EventPattern.source,
    );
    expect(sources).toEqual([['aws.backup']]);
  });

  test('backup existing: no vault, key, plan, role or restore tests', () => {
    const template = Template.fromStack(appWith({ backup: existing }).detect);
    for (const type of [
      'AWS::Backup::BackupVault',
      'AWS::Backup::BackupPlan',
      'AWS::Backup::BackupSelection',
      'AWS::Backup::RestoreTestingPlan',
      'AWS::Backup::RestoreTestingSelection',
      'AWS::KMS::Key',
      'AWS::IAM::Role',
    ]) {
      template.resourceCountIs(type, 0);
    }
  });
});

test('the Detect stack is termination-protected', () => {
  const built = buildExampleApp();
  expect(built.detect.terminationProtection).toBe(true);
});

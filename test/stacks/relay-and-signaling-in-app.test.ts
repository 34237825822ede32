/**
 * Security properties that only exist where the app wires the Relay and Signaling stacks together: the relay key
 * the Relay stack creates, the coturn image repository, and the audit key's reach over API Gateway's log groups.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';
import { buildExampleApp, exampleConfig, FIXED_TODAY, newTestApp } from '../helpers/test-app';

const built = buildExampleApp();
const relay = Template.fromStack(built.relay);
const audit = Template.fromStack(built.audit);

function keyStatements(template: Template): any[] {
  const keys = Object.values(template.findResources('AWS::KMS::Key')) as any[];
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

describe('relay key', () => {
  const statements = keyStatements(relay);
  const sid = (id: string) => statements.find((s) => s.Sid === id);

  test('rotates, is retained, and encrypts the TURN secret and the relay volumes', () => {
    relay.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    const keyRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^RelayKey'), 'Arn'] };
    relay.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyRef });
    relay.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ Encrypted: true, KmsKeyId: keyRef }) })],
      },
    });
  });

  test('lets only the Auto Scaling service-linked role use it for volumes, with grants only for AWS resources', () => {
    const use = sid('AutoScalingEncryptsVolumes');
    const grants = sid('AutoScalingGrantsForVolumes');
    for (const statement of [use, grants]) {
      expect(JSON.stringify(statement.Principal)).toContain(
        'role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      );
    }
    expect(use.Action).not.toContain('kms:CreateGrant');
    expect(grants.Action).toBe('kms:CreateGrant');
    expect(grants.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('its administrator cannot use it (separation of duties holds for the new key too)', () => {
    const admin = statements.find((s) => JSON.stringify(s.Principal).includes('KeyAdministrator'));
    expect(admin).toBeDefined();
    for (const action of ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'kms:CreateGrant']) {
      expect([admin.Action].flat()).not.toContain(action);
    }
  });
});

test('the coturn image repository is KMS-encrypted, immutable, scanned on push and retained', () => {
  relay.hasResource('AWS::ECR::Repository', {
    Properties: {
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: Match.anyValue() },
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
    },
    DeletionPolicy: 'Retain',
  });
});

test("the audit key lets CloudWatch Logs encrypt the project's log groups and API Gateway's execution logs, nothing else", () => {
  const logs = keyStatements(audit).find((s) => s.Sid === 'CloudWatchLogsProjectLogGroups');
  const arns = JSON.stringify(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']);
  expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toHaveLength(2);
  expect(arns).toContain('log-group:/hipaa-rtc/hipaa-rtc-example/*');
  expect(arns).toContain('log-group:API-Gateway-Execution-Logs_*');
});

test("the config's per-connection and per-user rate limits reach every signaling function that enforces them", () => {
  const config = exampleConfig();
  const rateLimits = {
    join: { requests: 7, perSeconds: 30 },
    signal: { requests: 250, perSeconds: 10 },
    iceServers: { requests: 3, perSeconds: 120 },
    perUser: { join: { requests: 21, perSeconds: 30 }, iceServers: { requests: 8, perSeconds: 120 } },
  };
  const app = newTestApp();
  const built = composeHipaaRtc(
    app,
    { ...config, signaling: { ...config.signaling, rateLimits } },
    { today: FIXED_TODAY, registerPacks: false },
  );
  const functions = Object.values(Template.fromStack(built.signaling).findResources('AWS::Lambda::Function')) as any[];
  const limits = functions.map((f) => f.Properties.Environment?.Variables?.RATE_LIMITS).filter(Boolean);
  expect(limits).toHaveLength(3); // join, signal, ice-servers
  for (const value of limits) {
    expect(value).toBe('join=7/30,signal=250/10,ice-servers=3/120,user:join=21/30,user:ice-servers=8/120');
  }
});

test("the config's token source reaches both the stage's identity source and the authorizer function", () => {
  const config = exampleConfig();
  const app = newTestApp();
  const built = composeHipaaRtc(
    app,
    { ...config, signaling: { ...config.signaling, tokenSource: 'protocol-header' } },
    { today: FIXED_TODAY, registerPacks: false },
  );
  const template = Template.fromStack(built.signaling);
  template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
    IdentitySource: ['route.request.header.Sec-WebSocket-Protocol'],
  });
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as any[];
  const sources = functions.map((f) => f.Properties.Environment?.Variables?.TOKEN_SOURCE).filter(Boolean);
  expect(sources).toEqual(['protocol-header']);
});

describe("relay alarms notify the audit stack's security topic", () => {
  const alarms = relay.findResources('AWS::CloudWatch::Alarm');
  const byMetric = (name: string) => Object.values(alarms).find((a: any) => a.Properties.MetricName === name) as any;

  test('a relay whose secret sync keeps failing (or that stops reporting) raises an alarm', () => {
    const sync = byMetric('SecretSyncFailed');
    expect(sync.Properties).toMatchObject({
      Namespace: 'hipaa-rtc/relay',
      Dimensions: [{ Name: 'Deployment', Value: exampleConfig().deploymentName }],
      Statistic: 'Maximum',
      Threshold: 1,
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
    });
    expect(JSON.stringify(sync.Properties.AlarmActions)).toContain('SecurityAlarmsTopic');
  });

  test('a failed rotation raises an alarm', () => {
    const errors = byMetric('Errors');
    expect(errors.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 1 });
    expect(JSON.stringify(errors.Properties.Dimensions)).toContain('TurnSecretRotation');
    expect(JSON.stringify(errors.Properties.AlarmActions)).toContain('SecurityAlarmsTopic');
  });

  test("relays may publish metrics only into the sync metric's namespace", () => {
    const policies = Object.values(relay.findResources('AWS::IAM::ManagedPolicy')) as any[];
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const publish = statements.filter((st) => [st.Action].flat().includes('cloudwatch:PutMetricData'));
    expect(publish).toEqual([
      expect.objectContaining({ Condition: { StringEquals: { 'cloudwatch:namespace': 'hipaa-rtc/relay' } } }),
    ]);
  });
});

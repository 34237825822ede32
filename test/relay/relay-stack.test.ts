import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RelayStack, type RelaySettings } from '../../lib/stacks/relay-stack';
import { newTestApp } from '../helpers/test-app';
import { RELAY_TEST_SETTINGS } from './helpers/relay-settings';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const SETTINGS = RELAY_TEST_SETTINGS;

function build(settings: Partial<RelaySettings> = {}, digest = DIGEST): { template: Template; relay: RelayStack } {
  const app = newTestApp();
  const env = { region: 'us-east-1' };
  const keys = new Stack(app, 'Keys', { env });
  const key = (id: string) => new kms.Key(keys, id, { enableKeyRotation: true });
  const relay = new RelayStack(app, 'Relay', {
    env,
    settings: { ...SETTINGS, ...settings },
    logKey: key('LogKey'),
    secretKey: key('SecretKey'),
    volumeKey: key('VolumeKey'),
    coturnRepository: new ecr.Repository(keys, 'Coturn'),
    coturnImageDigest: digest,
  });
  return { template: Template.fromStack(relay), relay };
}

const { template, relay } = build();
const resolve = (value: unknown) => relay.resolve(value);

describe('launch template', () => {
  const data = () => Object.values(template.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData;

  test('IMDSv2 required with hop limit 1, no SSH key, Graviton, public address', () => {
    expect(data().MetadataOptions).toEqual({ HttpTokens: 'required', HttpPutResponseHopLimit: 1 });
    expect(data().KeyName).toBeUndefined();
    expect(data().InstanceType).toBe('c7gn.large');
    expect(data().NetworkInterfaces?.[0]?.AssociatePublicIpAddress).toBe(true);
  });

  test('the root volume is encrypted with the given CMK', () => {
    const mappings = data().BlockDeviceMappings;
    expect(mappings).toHaveLength(1);
    expect(mappings[0].DeviceName).toBe('/dev/xvda');
    expect(mappings[0].Ebs).toMatchObject({ Encrypted: true, DeleteOnTermination: true, VolumeType: 'gp3' });
    expect(JSON.stringify(data().BlockDeviceMappings[0].Ebs.KmsKeyId)).toMatch(/VolumeKey/);
  });

  test('user data reads secrets at boot and contains no secret value', () => {
    const userData = JSON.stringify(data().UserData);
    // The fetch itself is in the sync script the boot script installs and runs before coturn (boot-script.test.ts).
    expect(userData).toContain('\\n/usr/local/sbin/hipaa-rtc-sync-turn-secrets\\n');
    expect(userData).not.toMatch(/static-auth-secret=[A-Za-z0-9]{32,}/);
    expect(userData).not.toContain('SecretString"');
  });
});

describe('security group', () => {
  const sg = () =>
    Object.values(template.findResources('AWS::EC2::SecurityGroup')).find((r) =>
      String(r.Properties.GroupDescription).startsWith('TURN relays'),
    )!.Properties;

  // The TURN ports are admitted from the load balancer's group by separate rules: relay-load-balancer.test.ts.
  test('inline ingress is exactly the relay range from anywhere; no TURN port and no SSH from the internet', () => {
    const ingress = sg().SecurityGroupIngress.map((r: any) => [r.IpProtocol, r.FromPort, r.ToPort, r.CidrIp]);
    expect(ingress).toEqual([['udp', 49152, 65535, '0.0.0.0/0']]);
    expect(ingress.find((r: unknown[]) => r[1] === 22)).toBeUndefined();
  });

  test('egress is UDP (relayed media) and HTTPS only, not all traffic', () => {
    const egress = sg().SecurityGroupEgress.map((r: any) => [r.IpProtocol, r.FromPort, r.ToPort]);
    expect(egress).toEqual([
      ['udp', 0, 65535],
      ['tcp', 443, 443],
    ]);
  });
});

describe('instance role', () => {
  const roleId = () =>
    Object.keys(template.findResources('AWS::IAM::Role')).find((id) => id.startsWith('InstanceRole'))!;
  // Only the instance role's policies (the flow-log delivery role has its own). Customer-managed only: an inline
  // policy would fail HIPAA.Security-IAMNoInlinePolicy.
  const statements = () =>
    Object.values(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId()))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);

  test('has no inline policies at all (the stack has none)', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('reads only the AWSCURRENT version of the TURN secret, and nothing else of it', () => {
    const secretStatements = statements().filter((s: any) =>
      [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toEqual([
      {
        Sid: 'ReadCurrentTurnSecretOnly',
        Effect: 'Allow',
        // The sync script calls get-secret-value only (secret-sync.ts): no DescribeSecret.
        Action: 'secretsmanager:GetSecretValue',
        Resource: resolve(relay.turnSecret.secretArn),
        // The script asks for no stage (AWSCURRENT is the default): another stage, or any version by ID, is denied.
        Condition: {
          StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' },
          Null: { 'secretsmanager:VersionId': 'true' },
        },
      },
    ]);
  });

  test('writes only the relay log group', () => {
    const logWrites = statements().filter((s: any) => [s.Action].flat().includes('logs:PutLogEvents'));
    expect(logWrites).toHaveLength(1);
    expect(JSON.stringify(logWrites[0].Resource)).toContain('RelayLogs');
  });

  test('has no wildcard secret or KMS admin actions', () => {
    for (const s of statements()) {
      for (const action of [s.Action].flat()) expect(action).not.toMatch(/^(secretsmanager|kms):\*$|^\*$/);
    }
  });
});

describe('logs and secret', () => {
  test('every log group has the CMK and a retention, under the project prefix', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(3); // flow logs, coturn, the rotation function
    for (const g of groups) {
      expect(g.Properties.KmsKeyId).toBeDefined();
      expect(g.Properties.RetentionInDays).toBe(365);
      expect(g.Properties.LogGroupName).toMatch(/^\/hipaa-rtc\/example\/relay\//);
      expect(g.DeletionPolicy).toBe('Retain');
    }
  });

  test('VPC flow logs capture all traffic into the encrypted group', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
  });

  test('the TURN secret is encrypted with the given CMK and generated, never a literal', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: Match.anyValue(),
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'current', ExcludePunctuation: true }),
      SecretString: Match.absent(),
    });
  });
});

describe('network', () => {
  test('public subnets in two AZs, no NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('NLB listeners: TCP_UDP 3478 and TLS 443 with ACM and a TLS 1.2+ policy', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 3478, Protocol: 'TCP_UDP' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'TLS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: Match.anyValue() }],
    });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
  });

  test('TLS target is coturn TLS 5349; health checks use TCP', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 5349, Protocol: 'TLS' });
    for (const tg of Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))) {
      expect(tg.Properties.HealthCheckProtocol).toBe('TCP');
    }
  });

  test('the fleet scales on network throughput', () => {
    template.hasResourceProperties('AWS::AutoScaling::ScalingPolicy', {
      TargetTrackingConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ASGAverageNetworkOut' },
        TargetValue: 200_000_000,
      }),
    });
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', { MinSize: '2', MaxSize: '6' });
  });
});

describe('TURN secret rotation', () => {
  const logicalId = (type: string, prefix: string) =>
    Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix))!;
  const functionId = () => logicalId('AWS::Lambda::Function', 'TurnSecretRotationFunction');
  const fn = () => template.findResources('AWS::Lambda::Function')[functionId()]!.Properties;
  const rotationPolicy = () =>
    Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
      JSON.stringify(p.Properties.Roles).includes('TurnSecretRotationRole'),
    )!.Properties;

  test('the function: pinned Node.js 24 on ARM64, JSON logs to its own group, settings from the stack', () => {
    expect(fn()).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 30,
      LoggingConfig: {
        LogFormat: 'JSON',
        LogGroup: { Ref: logicalId('AWS::Logs::LogGroup', 'TurnSecretRotationLogGroup') },
      },
    });
    expect(fn().Environment.Variables).toEqual({
      TURN_SECRET_ARN: resolve(relay.turnSecret.secretArn),
      MAX_CREDENTIAL_TTL_SECONDS: '3600',
      CLOCK_SKEW_SECONDS: '60',
      RELAY_PICKUP_SECONDS: '1800',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'hipaa-rtc-turn-rotation',
    });
  });

  test('its log group is KMS-encrypted with the log key, kept, with retention', () => {
    const group =
      template.findResources('AWS::Logs::LogGroup')[logicalId('AWS::Logs::LogGroup', 'TurnSecretRotationLogGroup')]!;
    expect(group.Properties).toMatchObject({
      LogGroupName: '/hipaa-rtc/example/relay/turn-secret-rotation',
      RetentionInDays: 365,
    });
    expect(JSON.stringify(group.Properties.KmsKeyId)).toMatch(/LogKey/);
    expect(group.DeletionPolicy).toBe('Retain');
  });

  test('its only permissions: one customer-managed policy on this secret, its key via Secrets Manager, its logs', () => {
    const role = template.findResources('AWS::IAM::Role')[logicalId('AWS::IAM::Role', 'TurnSecretRotationRole')]!;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(rotationPolicy().PolicyDocument.Statement).toEqual([
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logicalId('AWS::Logs::LogGroup', 'TurnSecretRotationLogGroup'), 'Arn'] },
      },
      {
        Sid: 'RotateTurnSecretOnly',
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: resolve(relay.turnSecret.secretArn),
      },
      {
        Sid: 'UseTurnSecretKeyViaSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: resolve(relay.secretKey.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('no wildcard, no GetRandomPassword, no inline policy from the rotation schedule', () => {
    const text = JSON.stringify(rotationPolicy());
    expect(text).not.toContain('"*"');
    expect(text).not.toContain('GetRandomPassword');
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('Secrets Manager rotates on the configured interval, never on deploy', () => {
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: resolve(relay.turnSecret.secretArn),
      RotationLambdaARN: { 'Fn::GetAtt': [functionId(), 'Arn'] },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
      RotateImmediatelyOnUpdate: false,
    });
    const other = build({ rotationIntervalDays: 45 }).template;
    other.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(45 days)' },
    });
  });

  test("only this account's Secrets Manager, rotating this secret, may invoke the function", () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
      (p) => p.Properties.Principal === 'secretsmanager.amazonaws.com',
    );
    expect(permissions.map((p) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionId(), 'Arn'] },
        Principal: 'secretsmanager.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: resolve(relay.turnSecret.secretArn),
      },
    ]);
  });

  test('an EventBridge rule advances rotations every 5 minutes with {"action":"advance"}', () => {
    const rule = Object.values(template.findResources('AWS::Events::Rule'))[0]!.Properties;
    template.resourceCountIs('AWS::Events::Rule', 1);
    expect(rule.ScheduleExpression).toBe('rate(5 minutes)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [functionId(), 'Arn'] },
        Input: '{"action":"advance"}',
        RetryPolicy: { MaximumEventAgeInSeconds: 240, MaximumRetryAttempts: 2 },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionId(), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [logicalId('AWS::Events::Rule', 'TurnSecretRotationAdvanceSchedule'), 'Arn'] },
    });
  });
});

describe('settings validation', () => {
  test('a rotation interval that cannot fit one overlap is refused with the bound', () => {
    expect(() => build({ rotationIntervalDays: 1 })).toThrow(/rotation\.intervalDays is 1.*use at least 2 days/);
    expect(() =>
      build({ rotationIntervalDays: 2, rotation: { ...SETTINGS.rotation, relayPickupSeconds: 86_400 } }),
    ).toThrow(/use at least 3 days/);
  });

  test.each<[string, Partial<RelaySettings>, string]>([
    ['a non-Graviton type', { instanceType: 'c7i.large' }, DIGEST],
    ['max below min', { maxCapacity: 1 }, DIGEST],
    ['a non-canonical VPC CIDR', { vpcCidr: '10.40.0.1/16' }, DIGEST],
    ['an image tag instead of a digest', {}, 'latest'],
  ])('rejects %s', (_name, settings, digest) => {
    expect(() => build(settings, digest)).toThrow(/RelayStack settings are invalid/);
  });

  test('without both keys it needs an administrator for the relay key it would create', () => {
    const app = newTestApp();
    const env = { region: 'us-east-1' };
    const keys = new Stack(app, 'Keys', { env });
    expect(
      () =>
        new RelayStack(app, 'Relay', {
          env,
          settings: SETTINGS,
          logKey: new kms.Key(keys, 'LogKey'),
          secretKey: new kms.Key(keys, 'SecretKey'),
          coturnImageDigest: DIGEST,
        }),
    ).toThrow('RelayStack Relay: pass keyAdministrator (the role that administers the relay key this stack creates)');
  });
});

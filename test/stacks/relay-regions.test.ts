import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedAssembly, type SharedAssembly } from '../helpers/shared-assembly';

/**
 * Two relay Regions (config/example-two-regions.ts) through the real `cdk synth`, every pack on: what each Region's
 * templates must carry for AWS to gate, encrypt, route and fail over there (docs/relay-regions.md).
 */
const HOME = 'us-east-1';
const FURTHER = 'us-west-2';
const RELAY_KEY_ALIAS = 'alias/hipaa-rtc/hipaa-rtc-example/relay';

let assembly: SharedAssembly;
let manifest: any;
beforeAll(() => {
  assembly = sharedAssembly('example-two-regions');
  manifest = JSON.parse(fs.readFileSync(path.join(assembly.dir, 'manifest.json'), 'utf8'));
});

const resourcesOf = (stackId: string, type: string): [string, any][] =>
  Object.entries(assembly.template(stackId).Resources as Record<string, any>).filter(([, r]) => r.Type === type);

/** Every string literal in a template, wherever it sits. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** Every `Fn::GetStackOutput` in a template. */
function stackOutputReads(value: unknown): { Region: string; StackName: string }[] {
  if (Array.isArray(value)) return value.flatMap(stackOutputReads);
  if (!value || typeof value !== 'object') return [];
  const read = (value as Record<string, any>)['Fn::GetStackOutput'];
  return [...(read ? [read] : []), ...Object.values(value).flatMap(stackOutputReads)];
}

function stackArtifact(stackId: string) {
  return manifest.artifacts[stackId];
}

test('a two-region config synthesizes with zero findings in every pack', () => {
  expect({ status: assembly.status, output: assembly.output }).toMatchObject({ status: 0 });
  const report = JSON.parse(fs.readFileSync(path.join(assembly.dir, 'compliance-report.json'), 'utf8'));
  expect(report.nag.packs).toEqual(['HIPAA.Security', 'AwsSolutions', 'HipaaRtc', 'HipaaEligibility', 'HipaaRtcPaths']);
  expect(report.nag.unacknowledged).toEqual([]);
  const failing = (report.paths as any[]).filter((p) => p.hops.some((h: any) => h.verdict === 'fail'));
  expect(failing).toEqual([]);
});

test('each Region has its own Guardrails and Relay stack, deployed to that Region, hook first', () => {
  expect(stackArtifact('HipaaRtcGuardrails').environment).toBe(`aws://unknown-account/${HOME}`);
  expect(stackArtifact('HipaaRtcRelay').environment).toBe(`aws://unknown-account/${HOME}`);
  expect(stackArtifact(`HipaaRtcGuardrails-${FURTHER}`).environment).toBe(`aws://unknown-account/${FURTHER}`);
  expect(stackArtifact(`HipaaRtcRelay-${FURTHER}`).environment).toBe(`aws://unknown-account/${FURTHER}`);
  // The Region's hook gates its relay stack; the home secret's replica needs the further Region's relay key.
  expect(stackArtifact(`HipaaRtcRelay-${FURTHER}`).dependencies).toContain(`HipaaRtcGuardrails-${FURTHER}`);
  expect(stackArtifact('HipaaRtcRelay').dependencies).toContain(`HipaaRtcRelay-${FURTHER}`);
});

test("each Region's templates carry its own keys, Guard Hook and EBS encryption by default", () => {
  for (const [guardrails, relay] of [
    ['HipaaRtcGuardrails', 'HipaaRtcRelay'],
    [`HipaaRtcGuardrails-${FURTHER}`, `HipaaRtcRelay-${FURTHER}`],
  ]) {
    expect(resourcesOf(guardrails!, 'AWS::CloudFormation::GuardHook')).toHaveLength(1);
    expect(resourcesOf(relay!, 'AWS::KMS::Key')).toHaveLength(1); // the Region's relay key
  }
  // The further Region's baseline key (the home Region uses the Audit stack's key).
  expect(resourcesOf(`HipaaRtcGuardrails-${FURTHER}`, 'AWS::KMS::Key')).toHaveLength(1);
  expect(resourcesOf('HipaaRtcGuardrails', 'AWS::KMS::Key')).toHaveLength(0);
  // EBS encryption by default: per Region. S3 account Block Public Access: once, for the account, from home.
  expect(resourcesOf('HipaaRtcAudit', 'Custom::EbsEncryptionByDefault')).toHaveLength(1);
  expect(resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'Custom::EbsEncryptionByDefault')).toHaveLength(1);
  expect(resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'Custom::S3AccountPublicAccessBlock')).toHaveLength(0);
  expect(resourcesOf(`HipaaRtcGuardrails-${FURTHER}`, 'Custom::EbsEncryptionByDefault')).toHaveLength(0);
});

test('a stack names no other Region’s resource but the TURN secret replica, by its fixed name: no hard-coded ARNs', () => {
  const regions = [HOME, FURTHER];
  const allowed: string[] = [];
  for (const [stackId, artifact] of Object.entries(manifest.artifacts as Record<string, any>)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const own = String(artifact.environment).split('/').pop();
    const others = regions.filter((r) => r !== own);
    const template = assembly.template(stackId);
    // ARN fragments naming another Region. CDK writes ARNs as joins of literal fragments and tokens, so a fragment
    // holds the service and Region; the account is always the AWS::AccountId token.
    const foreign = strings(template).filter((s) => s.includes('arn:') && others.some((r) => s.includes(`:${r}:`)));
    for (const fragment of foreign) {
      expect({ stackId, fragment }).toEqual({
        stackId: 'HipaaRtcRelay',
        fragment: expect.stringMatching(new RegExp(`^arn:aws:secretsmanager:${FURTHER}:$`)),
      });
      allowed.push(fragment);
    }
    // Stack outputs are read only within the Region (CloudFormation's Fn::GetStackOutput can cross Regions; nothing
    // here may depend on another Region's stack at deploy time).
    const outputs = stackOutputReads(template);
    expect({ stackId, regions: [...new Set(outputs.map((o) => o.Region))] }).toEqual({
      stackId,
      regions: outputs.length > 0 ? [own] : [],
    });
    // No literal account IDs: the synth has no account, and none may be baked in.
    expect({ stackId, accounts: strings(template).filter((s) => /(^|:)\d{12}(:|$)/.test(s)) }).toEqual({
      stackId,
      accounts: [],
    });
  }
  // The one place: the home rotation function reads each replica, named by the secret's fixed name.
  expect(allowed).toHaveLength(1);
  const [, rotationPolicy] = resourcesOf('HipaaRtcRelay', 'AWS::IAM::ManagedPolicy').find(([id]) =>
    id.startsWith('TurnSecretRotationPolicy'),
  )!;
  const read = (rotationPolicy.Properties.PolicyDocument.Statement as any[]).find(
    (st) => st.Sid === 'ReadReplicasCurrentVersionOnly',
  );
  expect(JSON.stringify(read.Resource)).toContain(':secret:hipaa-rtc/hipaa-rtc-example/turn-shared-secrets-??????');
  // Keys in other Regions are matched by alias and Region through Secrets Manager, never by ARN.
  const keys = (rotationPolicy.Properties.PolicyDocument.Statement as any[]).find(
    (st) => st.Sid === 'UseReplicaRelayKeysViaSecretsManager',
  );
  expect(keys.Condition).toEqual({
    StringEquals: { 'kms:ViaService': [`secretsmanager.${FURTHER}.amazonaws.com`] },
    'ForAnyValue:StringEquals': { 'kms:ResourceAliases': RELAY_KEY_ALIAS },
  });
});

test('one TURN secret: the home secret has a replica in the further Region under its relay key alias', () => {
  const secrets = resourcesOf('HipaaRtcRelay', 'AWS::SecretsManager::Secret');
  expect(secrets).toHaveLength(1);
  const [, secret] = secrets[0]!;
  expect(secret.Properties.Name).toBe('hipaa-rtc/hipaa-rtc-example/turn-shared-secrets');
  expect(secret.Properties.ReplicaRegions).toEqual([{ Region: FURTHER, KmsKeyId: RELAY_KEY_ALIAS }]);
  // The alias the replica names exists in that Region, on that Region's relay key (KMS resolves it there).
  const aliases = resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::KMS::Alias');
  expect(aliases.map(([, a]) => a.Properties.AliasName)).toEqual([RELAY_KEY_ALIAS]);
  const [relayKeyId] = resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::KMS::Key')[0]!;
  expect(aliases[0]![1].Properties.TargetKeyId).toEqual({ 'Fn::GetAtt': [relayKeyId, 'Arn'] });
  // The further Region has no secret of its own and no rotation: it reads the replica.
  expect(resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::SecretsManager::Secret')).toHaveLength(0);
  expect(resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::SecretsManager::RotationSchedule')).toHaveLength(0);
  expect(resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::Lambda::Function').map(([id]) => id)).not.toContainEqual(
    expect.stringMatching(/TurnSecretRotation/),
  );
  // Rotation waits for the replica before promoting (docs/relay.md, rotation across Regions).
  const [, rotation] = resourcesOf('HipaaRtcRelay', 'AWS::Lambda::Function').find(([id]) =>
    id.startsWith('TurnSecretRotationFunction'),
  )!;
  expect(rotation.Properties.Environment.Variables.REPLICA_REGIONS).toBe(FURTHER);
});

test('relays in the further Region read only the AWSCURRENT replica, decrypted by their own relay key there', () => {
  const [, policy] = resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::IAM::ManagedPolicy').find(([id]) =>
    id.startsWith('InstancePolicy'),
  )!;
  const statements = policy.Properties.PolicyDocument.Statement as any[];
  const read = statements.find((s) => s.Sid === 'ReadCurrentTurnSecretOnly');
  expect(JSON.stringify(read.Resource)).toContain(`:secretsmanager:${FURTHER}:`);
  expect(JSON.stringify(read.Resource)).toContain('secret:hipaa-rtc/hipaa-rtc-example/turn-shared-secrets-??????');
  expect(read.Condition).toEqual({
    StringEqualsIfExists: { 'secretsmanager:VersionStage': 'AWSCURRENT' },
    Null: { 'secretsmanager:VersionId': 'true' },
  });
  const decrypt = statements.find((s) => s.Sid === 'DecryptTurnSecretViaSecretsManager');
  expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': `secretsmanager.${FURTHER}.amazonaws.com` } });
  expect(JSON.stringify(decrypt.Resource)).toMatch(/RelayKey/);
});

test('the relay name has a latency alias record per Region, each evaluating its own load balancer’s health', () => {
  for (const [stackId, region] of [
    ['HipaaRtcRelay', HOME],
    [`HipaaRtcRelay-${FURTHER}`, FURTHER],
  ] as const) {
    const records = resourcesOf(stackId, 'AWS::Route53::RecordSet');
    expect(records).toHaveLength(1);
    const [, record] = records[0]!;
    const [lbId] = resourcesOf(stackId, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0]!;
    expect(record.Properties).toMatchObject({
      HostedZoneId: 'Z0000000000000EXAMPLE',
      Name: 'turn.example.org.',
      Type: 'A',
      Region: region,
      SetIdentifier: region,
      AliasTarget: {
        DNSName: expect.objectContaining({}),
        HostedZoneId: { 'Fn::GetAtt': [lbId, 'CanonicalHostedZoneID'] },
        EvaluateTargetHealth: true,
      },
    });
    expect(JSON.stringify(record.Properties.AliasTarget.DNSName)).toContain(lbId);
  }
});

test("the further Region's relay alarms notify that Region's own alarm topic", () => {
  const alarms = resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::CloudWatch::Alarm');
  expect(alarms.length).toBeGreaterThan(0);
  for (const [, alarm] of alarms) {
    expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/RegionalBaselineAlarmsTopic/);
  }
});

test("the further Region's EBS setting may enable EBS encryption by default and nothing else", () => {
  const [, policy] = resourcesOf(`HipaaRtcRelay-${FURTHER}`, 'AWS::IAM::ManagedPolicy').find(([id]) =>
    id.startsWith('AccountSettingsPolicy'),
  )!;
  const statements = policy.Properties.PolicyDocument.Statement as any[];
  const account = statements.find((s) => s.Sid === 'AccountLevelApisWithoutResourceArns');
  expect(account.Action).toBe('ec2:EnableEbsEncryptionByDefault');
  expect(JSON.stringify(statements)).not.toContain('s3:PutAccountPublicAccessBlock');
});

test("the further Region's key serves only this deployment's log groups there and S3 access-log delivery", () => {
  const [, key] = resourcesOf(`HipaaRtcGuardrails-${FURTHER}`, 'AWS::KMS::Key')[0]!;
  const statements = key.Properties.KeyPolicy.Statement as any[];
  const logs = statements.find((s) => s.Sid === 'CloudWatchLogsProjectLogGroups');
  expect(logs.Principal).toEqual({ Service: `logs.${FURTHER}.amazonaws.com` });
  expect(JSON.stringify(logs.Condition.ArnLike)).toContain(`:logs:${FURTHER}:`);
  expect(JSON.stringify(logs.Condition.ArnLike)).toContain(':log-group:/hipaa-rtc/hipaa-rtc-example/*');
  const delivery = statements.find((s) => s.Sid === 'S3ServerAccessLogDelivery');
  expect(delivery.Action).toBe('kms:GenerateDataKey*');
  // Every log group in the Region's stacks is encrypted with a key of that Region's stacks.
  for (const stackId of [`HipaaRtcGuardrails-${FURTHER}`, `HipaaRtcRelay-${FURTHER}`]) {
    for (const [id, group] of resourcesOf(stackId, 'AWS::Logs::LogGroup')) {
      expect({ id, kms: group.Properties.KmsKeyId }).toEqual({ id, kms: expect.anything() });
    }
  }
});

test('the TURN secret has the same fixed name with one Region, so adding or removing a Region never replaces it', () => {
  const single = sharedAssembly('example').template('HipaaRtcRelay');
  const secrets = Object.values(single.Resources as Record<string, any>).filter(
    (r) => r.Type === 'AWS::SecretsManager::Secret',
  );
  expect(secrets).toHaveLength(1);
  expect(secrets[0].Properties.Name).toBe('hipaa-rtc/hipaa-rtc-example/turn-shared-secrets');
  expect(secrets[0].Properties.ReplicaRegions).toBeUndefined();
  // Same logical ID and name in both configs: CloudFormation updates the replica list in place.
  const [twoRegionId] = resourcesOf('HipaaRtcRelay', 'AWS::SecretsManager::Secret')[0]!;
  expect(Object.keys(single.Resources).filter((id) => single.Resources[id] === secrets[0])).toEqual([twoRegionId]);
  // Not a name Secrets Manager could read as "<name>-<6-character suffix>" when given without its suffix.
  expect(secrets[0].Properties.Name).not.toMatch(/-[A-Za-z0-9]{6}$/);
});

test('with a hosted zone the relay name is the stacks’ record, and the output says so instead of "make a CNAME"', () => {
  for (const stackId of ['HipaaRtcRelay', `HipaaRtcRelay-${FURTHER}`]) {
    const output = assembly.template(stackId).Outputs.LoadBalancerDnsName;
    expect(output.Description).toContain('is a Route 53 latency alias record of this stack');
    expect(output.Description).not.toContain('CNAME');
  }
  expect(sharedAssembly('example').template('HipaaRtcRelay').Outputs.LoadBalancerDnsName.Description).toContain(
    'a CNAME, or a Route 53 alias',
  );
});

test("the further Region's baseline: MFA-only key administrator, encrypted TLS-only alarm topic, termination protection", () => {
  const guardrails = `HipaaRtcGuardrails-${FURTHER}`;
  expect(stackArtifact(guardrails).properties.terminationProtection).toBe(true);
  const [, admin] = resourcesOf(guardrails, 'AWS::IAM::Role').find(([id]) => id.includes('KeyAdministrator'))!;
  expect(admin.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    expect.objectContaining({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    }),
  ]);
  const [keyId] = resourcesOf(guardrails, 'AWS::KMS::Key')[0]!;
  const [topicId, topic] = resourcesOf(guardrails, 'AWS::SNS::Topic')[0]!;
  expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  const [, topicPolicy] = resourcesOf(guardrails, 'AWS::SNS::TopicPolicy')[0]!;
  const statements = topicPolicy.Properties.PolicyDocument.Statement as any[];
  expect(statements).toContainEqual(
    expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
  );
  // The topic policy replaces SNS's default: only this account's CloudWatch alarms in this Region may publish.
  const allows = statements.filter((s) => s.Effect === 'Allow');
  expect(allows).toEqual([
    expect.objectContaining({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Resource: { Ref: topicId },
      Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
    }),
  ]);
  expect(JSON.stringify(allows[0].Condition.ArnLike)).toContain(`arn:aws:cloudwatch:${FURTHER}:`);
});

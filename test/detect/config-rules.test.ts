import { Template } from 'aws-cdk-lib/assertions';
import { checkRegister, isAwsConfigRuleException, AWS_CONFIG_RULE_PREFIX } from '../../lib/compliance/exception';
import { exceptionRegister } from '../../lib/compliance/exception-register';
import {
  CONTROL_FAMILIES,
  HIPAA_CONFIG_RULES,
  PACK,
  controlsOf,
  deployableConfigRules,
  deployedRuleName,
} from '../../lib/detect/hipaa-conformance-pack';
import { FIXED_TODAY, buildExampleApp } from '../helpers/test-app';

let rules: Array<{ logicalId: string; properties: Record<string, any>; dependsOn: string[] }>;
let recorderId: string;

beforeAll(() => {
  const detect = Template.fromStack(buildExampleApp().detect);
  rules = Object.entries(detect.findResources('AWS::Config::ConfigRule')).map(([logicalId, r]) => ({
    logicalId,
    properties: r.Properties,
    dependsOn: r.DependsOn ?? [],
  }));
  recorderId = Object.keys(detect.findResources('AWS::Config::ConfigurationRecorder'))[0]!;
});

describe('the HIPAA conformance-pack data', () => {
  test('names its source, the day it was read and how controls were mapped', () => {
    expect(PACK.source).toMatch(
      /^https:\/\/github\.com\/awslabs\/aws-config-rules\/blob\/[0-9a-f]{40}\/.*HIPAA-Security\.yaml$/,
    );
    expect(PACK.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PACK.mappingSource).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/config\//);
  });

  test('rule names and identifiers are unique, and every row maps to HIPAA Security Rule controls', () => {
    expect(new Set(HIPAA_CONFIG_RULES.map((r) => r.name)).size).toBe(HIPAA_CONFIG_RULES.length);
    expect(new Set(HIPAA_CONFIG_RULES.map((r) => r.identifier)).size).toBe(HIPAA_CONFIG_RULES.length);
    for (const rule of HIPAA_CONFIG_RULES) {
      expect(controlsOf(rule).length).toBeGreaterThan(0);
      for (const control of controlsOf(rule)) expect(control).toMatch(/^164\.3(08|10|12)\(/);
    }
    for (const family of Object.values(CONTROL_FAMILIES)) expect(family.length).toBeGreaterThan(0);
  });

  test('holds the pack (131 rules, one of them a process check) plus CMK_BACKING_KEY_ROTATION_ENABLED', () => {
    expect(HIPAA_CONFIG_RULES).toHaveLength(132);
    expect(HIPAA_CONFIG_RULES.filter((r) => r.processCheck).map((r) => r.name)).toEqual([
      'annual-risk-assessment-performed',
    ]);
    expect(HIPAA_CONFIG_RULES.filter((r) => r.addedByProject).map((r) => r.identifier)).toEqual([
      'CMK_BACKING_KEY_ROTATION_ENABLED',
    ]);
  });
});

describe('the synthesized rules and the data file agree', () => {
  test('one rule per deployable row, and none other', () => {
    expect(rules.map((r) => r.properties.Source.SourceIdentifier).sort()).toEqual(
      deployableConfigRules()
        .map((r) => r.identifier)
        .sort(),
    );
  });

  test.each(deployableConfigRules().map((rule) => [rule.identifier, rule] as const))(
    '%s: name, owner, parameters and scope as in the data, after the recorder',
    (identifier, row) => {
      const deployed = rules.find((r) => r.properties.Source.SourceIdentifier === identifier)!;
      expect(deployed.properties).toEqual({
        ConfigRuleName: deployedRuleName('hipaa-rtc-example', row),
        Source: { Owner: 'AWS', SourceIdentifier: identifier },
        ...(row.parameters ? { InputParameters: row.parameters } : {}),
        ...(row.resourceTypes ? { Scope: { ComplianceResourceTypes: row.resourceTypes } } : {}),
      });
      expect(deployed.dependsOn).toContain(recorderId);
    },
  );

  test('the process check is not deployed (it exists only inside conformance packs)', () => {
    expect(rules.some((r) => r.properties.Source.SourceIdentifier === 'AWS_CONFIG_PROCESS_CHECK')).toBe(false);
  });

  test('KMS key rotation is checked in the account, which the pack alone would not do', () => {
    expect(rules.map((r) => r.properties.ConfigRuleName)).toContain(
      'hipaa-rtc-example-cmk-backing-key-rotation-enabled',
    );
  });
});

describe('exceptions to Config rules', () => {
  const register = exceptionRegister({ deploymentName: 'hipaa-rtc-example' });
  const configExceptions = register.filter(isAwsConfigRuleException);

  test('cover the public relays and the TURN ports', () => {
    const byRule = (identifier: string) =>
      configExceptions.filter((e) => e.ruleId === `${AWS_CONFIG_RULE_PREFIX}${identifier}`).map((e) => e.path);
    expect(byRule('EC2_INSTANCE_NO_PUBLIC_IP')).toEqual(['HipaaRtcRelay/LaunchTemplate/Resource']);
    expect(byRule('VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS')).toEqual([
      'HipaaRtcRelay/RelaySecurityGroup/Resource',
      'HipaaRtcRelay/LoadBalancerSecurityGroup/Resource',
    ]);
    expect(byRule('SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED')).toHaveLength(2);
    expect(byRule('NO_UNRESTRICTED_ROUTE_TO_IGW')).toHaveLength(2);
  });

  test('cover the backup rules for what is rebuilt, not restored: the stateless relays and the TTL-only signaling table', () => {
    const byRule = (identifier: string) =>
      configExceptions.filter((e) => e.ruleId === `${AWS_CONFIG_RULE_PREFIX}${identifier}`).map((e) => e.path);
    expect(byRule('EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN')).toEqual(['HipaaRtcRelay/LaunchTemplate/Resource']);
    expect(byRule('EBS_IN_BACKUP_PLAN')).toEqual(['HipaaRtcRelay/LaunchTemplate/Resource']);
    expect(byRule('DYNAMODB_IN_BACKUP_PLAN')).toEqual(['HipaaRtcSignaling/ConnectionsTable/Resource/Resource']);
    // The PHI stores are never excepted from backup: the plan covers them.
    const backupRules = [
      'DYNAMODB_IN_BACKUP_PLAN',
      'S3_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
    ];
    const phiStores = configExceptions.filter(
      (e) => backupRules.some((r) => e.ruleId.endsWith(r)) && /HipaaRtcData\//.test(e.path),
    );
    expect(phiStores).toEqual([]);
  });

  test('each names a rule the data holds; an unknown identifier is refused', () => {
    const identifiers = new Set(HIPAA_CONFIG_RULES.map((r) => r.identifier));
    for (const e of configExceptions) expect(identifiers.has(e.ruleId.slice(AWS_CONFIG_RULE_PREFIX.length))).toBe(true);
    const bogus = { ...configExceptions[0]!, ruleId: 'AwsConfig-NO_SUCH_RULE' };
    expect(checkRegister([bogus], FIXED_TODAY)).toEqual([
      expect.stringMatching(/NO_SUCH_RULE is not a Config rule identifier in lib\/detect\/hipaa-conformance-pack\.ts/),
    ]);
  });

  test('CLOUDWATCH_ALARM_ACTION_CHECK: every alarm in the app treats missing data, has an ALARM action, and carries the entry', () => {
    // The entry's reason holds only while no alarm can rest in INSUFFICIENT_DATA; a new alarm must be added to it.
    const built = buildExampleApp();
    const stacks = [built.audit, built.data, built.guardrails, built.relay, built.signaling, built.detect];
    const alarms = stacks.flatMap((stack) =>
      Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm') as Record<string, any>),
    );
    expect(alarms.length).toBe(10);
    for (const alarm of alarms) {
      expect(['notBreaching', 'breaching']).toContain(alarm.Properties.TreatMissingData);
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Metadata['hipaa-rtc:compliance-exceptions']).toEqual(
        expect.arrayContaining([expect.objectContaining({ ruleId: 'AwsConfig-CLOUDWATCH_ALARM_ACTION_CHECK' })]),
      );
    }
  });

  test('S3 and IAM rules: entries exactly where the templates fail them (buckets without Object Lock, every bucket for event notifications, the one inline policy)', () => {
    const built = buildExampleApp();
    const stacks = [built.audit, built.data, built.guardrails, built.relay, built.signaling, built.detect];
    const resources = stacks.flatMap((stack) =>
      Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>),
    );
    const excepted = (resource: any, identifier: string) =>
      (resource.Metadata?.['hipaa-rtc:compliance-exceptions'] ?? []).some(
        (e: { ruleId: string }) => e.ruleId === `${AWS_CONFIG_RULE_PREFIX}${identifier}`,
      );
    const buckets = resources.filter((r) => r.Type === 'AWS::S3::Bucket');
    expect(buckets).toHaveLength(5);
    for (const bucket of buckets) {
      const locked = bucket.Properties.ObjectLockEnabled === true;
      expect(excepted(bucket, 'S3_BUCKET_DEFAULT_LOCK_ENABLED')).toBe(!locked);
      expect(bucket.Properties.NotificationConfiguration).toBeUndefined();
      expect(excepted(bucket, 'S3_EVENT_NOTIFICATIONS_ENABLED')).toBe(true);
    }
    expect(buckets.filter((b) => b.Properties.ObjectLockEnabled === true)).toHaveLength(2);
    const inline = resources.filter(
      (r) => ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(r.Type) && r.Properties.Policies,
    );
    expect(resources.filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);
    expect(inline).toHaveLength(1);
    expect(excepted(inline[0], 'IAM_NO_INLINE_POLICY_CHECK')).toBe(true);
  });

  test("are applied like every other entry: recorded in the failing resource's template metadata", () => {
    const built = buildExampleApp();
    const relay = Template.fromStack(built.relay).toJSON();
    const launchTemplate = Object.values(relay.Resources as Record<string, any>).find(
      (r) => r.Type === 'AWS::EC2::LaunchTemplate',
    );
    expect(launchTemplate.Metadata['hipaa-rtc:compliance-exceptions']).toEqual(
      expect.arrayContaining([expect.objectContaining({ ruleId: 'AwsConfig-EC2_INSTANCE_NO_PUBLIC_IP' })]),
    );
  });
});

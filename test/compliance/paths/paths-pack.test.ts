import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack, Validations, type IPolicyValidationContext } from 'aws-cdk-lib';
import { HipaaRtcPathsChecks } from '../../../lib/compliance/packs/hipaa-rtc-paths-checks';
import { evaluatePaths, loadTemplateSet, PATH_RULES } from '../../../lib/compliance/paths';
import { RecordingPlugin } from '../../../lib/compliance/recording-plugin';
import { composeHipaaRtc } from '../../../lib/hipaa-rtc-app';
import { exampleConfig, FIXED_TODAY, newTestApp } from '../../helpers/test-app';
import { fixture, type FixtureName } from './fixture';

/** Writes a fixture's stacks as template files and validates them the way CDK calls the plugin. */
function validateFixture(...names: FixtureName[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paths-pack-'));
  const app = new App();
  const stacks = new Map<string, { stackName: string; resources: object; outputs: object }>();
  // Fixtures cut different resources of the same stack: merge them per stack.
  for (const name of names)
    for (const stack of fixture(name).stacks) {
      const seen = stacks.get(stack.stackId);
      stacks.set(stack.stackId, {
        stackName: stack.stackName,
        resources: { ...seen?.resources, ...stack.resources },
        outputs: { ...seen?.outputs, ...stack.outputs },
      });
    }
  const stackTemplates = [...stacks].map(([stackId, stack]) => {
    new Stack(app, stackId, { stackName: stack.stackName });
    const templatePath = path.join(dir, `${stackId}.template.json`);
    fs.writeFileSync(templatePath, JSON.stringify({ Resources: stack.resources, Outputs: stack.outputs }));
    return { stackConstructPath: stackId, templatePath, accountId: undefined, region: 'us-east-1' };
  });
  const context: IPolicyValidationContext = {
    templatePaths: stackTemplates.map((s) => s.templatePath),
    stackTemplates,
    appConstruct: app,
    region: 'us-east-1',
  };
  return new HipaaRtcPathsChecks().validate(context);
}

describe('HipaaRtcPathsChecks (the validation plugin)', () => {
  test('fails on defects 1-3 with fatal findings that name the path, the hop, the control and the fix', () => {
    const report = validateFixture('relay-noncompliant', 'alarm-topic-noncompliant');
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => [v.ruleName, v.violatingResources[0]?.resourceLogicalId])).toEqual([
      [PATH_RULES.ice, 'LoadBalancerBE9EEC3A'],
      [PATH_RULES.ice, 'LoadBalancerSecurityGroupA28D6DD7'],
      [PATH_RULES.ice, 'LoadBalancerSecurityGroupA28D6DD7'],
      [PATH_RULES.ice, 'LoadBalancerSecurityGroupA28D6DD7'],
      [PATH_RULES.ice, 'LoadBalancerSecurityGroupA28D6DD7'],
      [PATH_RULES.notifications, 'SecurityAlarmsTopicPolicy3D2BAC67'],
    ]);
    expect(report.violations.every((v) => v.severity === 'fatal')).toBe(true);
    const [udp, , , , , alarms] = report.violations;
    expect(udp.description).toMatch(/^Path "turn:turn\.example\.org:3478\?transport=udp", hop "listener": /);
    expect(udp.description).toContain('(Control ID: 164.308(a)(7), 164.312(e)(1))');
    expect(udp.fix).toContain('Add a UDP or TCP_UDP listener on port 3478');
    expect(alarms.description).toContain('hop "topic policy allows sns:Publish"');
    expect(alarms.description).toContain('(Control ID: 164.308(a)(1)(ii)(D), 164.308(a)(6))');
    expect(alarms.violatingResources[0].templatePath).toMatch(/HipaaRtcAudit\.template\.json$/);
  });

  test('passes the compliant fixtures', () => {
    expect(validateFixture('relay-compliant', 'alarm-topic-compliant')).toEqual({ success: true, violations: [] });
    expect(validateFixture('log-delivery-compliant')).toEqual({ success: true, violations: [] });
  });
});

test.each([
  ['the example config', {}],
  ['a real deployment (account set, another allowed region)', { account: '111111111111', region: 'us-west-2' }],
])('a real synth of %s passes the paths pack (gated by CDK, recorded for the report)', (_name, overrides) => {
  const app = newTestApp();
  const built = composeHipaaRtc(app, exampleConfig(overrides), { today: FIXED_TODAY, registerPacks: false });
  const plugin = new RecordingPlugin(new HipaaRtcPathsChecks());
  Validations.of(app).addPlugins(plugin);
  try {
    app.synth();
  } catch {
    // The report below names what failed.
  }
  expect(plugin.lastReport?.violations.map((v) => v.description) ?? ['validation did not run']).toEqual([]);
  // Not vacuous: the same templates hold the three TURN URLs, the alarm topic path and the delivery paths.
  const set = loadTemplateSet(
    built.stacks.map((stack) => ({
      stackId: stack.node.id,
      stackName: stack.stackName,
      region: stack.region,
      account: stack.account,
      templatePath: path.join(app.outdir, stack.templateFile),
    })),
  );
  const paths = evaluatePaths(set);
  expect(paths.filter((p) => p.rule === PATH_RULES.ice).map((p) => p.title)).toHaveLength(3);
  expect(paths.filter((p) => p.rule === PATH_RULES.notifications).map((p) => p.title)).toEqual([
    'CloudWatch alarms -> HipaaRtcAudit/SecurityAlarmsTopicAF65CDDE',
    // The Detect stack's routes: GuardDuty and Access Analyzer findings, AWS Backup job failures.
    'EventBridge rules -> HipaaRtcAudit/SecurityAlarmsTopicAF65CDDE',
  ]);
  expect(paths.filter((p) => p.rule === PATH_RULES.logDelivery).length).toBeGreaterThan(10);
});

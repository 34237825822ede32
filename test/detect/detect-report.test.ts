import { Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../config';
import { example } from '../../config/example';
import { composeHipaaRtc, type HipaaRtcApp } from '../../lib/hipaa-rtc-app';
import { renderDetectSection, summarizeDetect } from '../../lib/detect/detect-report';
import { FIXED_TODAY, newTestApp } from '../helpers/test-app';

function sectionFor(detect: Record<string, unknown>): { text: string; built: HipaaRtcApp } {
  const config = validateConfig('under-test', { ...example, detect: { ...example.detect, ...detect } });
  const built = composeHipaaRtc(newTestApp(), config, { today: FIXED_TODAY, registerPacks: false });
  const stacks = built.stacks.map((stack) => {
    const template = Template.fromStack(stack).toJSON();
    return { stackId: stack.node.id, resources: template.Resources, metadata: template.Metadata };
  });
  return { text: renderDetectSection(summarizeDetect(stacks, built.exceptions)).join('\n'), built };
}

test('with every service created, the section says what runs, where findings go and what restore tests cover', () => {
  const { text } = sectionFor({});
  expect(text).toContain('| Amazon GuardDuty | yes (created by this app) | this account (HipaaRtcDetect stack) |');
  expect(text).toMatch(/\*\*131 AWS managed Config rules\*\*: 130 of "Operational Best Practices for HIPAA Security"/);
  expect(text).toContain('added by the project: CMK_BACKING_KEY_ROTATION_ENABLED');
  expect(text).toContain('RUNTIME_MONITORING (EC2_AGENT_MANAGEMENT)');
  expect(text).toContain(
    '**AWS Security Hub CSPM** with the standards `aws-foundational-security-best-practices/v/1.0.0`, `nist-800-53/v/5.0.0`',
  );
  expect(text).toMatch(/vault lock COMPLIANCE mode \(retention 7-3650 days; immutable 3 days after creation\)/);
  expect(text).toMatch(/aws\.guardduty \(GuardDuty Finding\) to the security alarm topic/);
  expect(text).toMatch(/aws\.backup \(Backup Job State Change, Copy Job State Change, Restore Job State Change\)/);
  expect(text).toContain('- DynamoDB: validation window 4 hours');
  expect(text).toContain('- S3: validation window 4 hours');
  expect(text).toMatch(
    /\*\*VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS\*\* on `HipaaRtcRelay\/LoadBalancerSecurityGroup\/Resource`/,
  );
});

test('with existing services, the section names who is expected to run them and claims nothing for them', () => {
  const managedBy = 'organization security account 111111111111 (delegated administrator)';
  const { text } = sectionFor({
    config: { mode: 'existing', managedBy },
    guardDuty: { mode: 'existing', managedBy },
    securityHub: { mode: 'existing', managedBy },
    backup: { mode: 'existing', managedBy: 'organization backup policy hipaa-daily' },
  });
  expect(text).toContain(`| Amazon GuardDuty | **no** (existing) | ${managedBy} |`);
  expect(text).toContain(`| AWS Config (recorder, delivery channel, HIPAA rules) | **no** (existing) | ${managedBy} |`);
  expect(text).toContain(
    '| AWS Backup (vault, plan, restore tests) | **no** (existing) | organization backup policy hipaa-daily |',
  );
  expect(text).not.toContain('GuardDuty** detector');
  expect(text).toContain(`| AWS Security Hub CSPM (FSBP, NIST 800-53) | **no** (existing) | ${managedBy} |`);
  expect(text).not.toContain('**AWS Security Hub CSPM** with');
  expect(text).not.toContain('AWS managed Config rules');
  expect(text).toContain('No restore tests run in this account.');
  expect(text).toMatch(/aws\.access-analyzer/);
  expect(text).not.toMatch(/aws\.guardduty/);
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ELIGIBILITY_LIST } from '../../lib/compliance/eligibility';
import { LIST_MAX_AGE_DAYS, listAgeDays, staleListWarning } from '../../lib/compliance/eligibility-freshness';
import { eligibilityScp } from '../../lib/compliance/scp/account-scp';
import {
  CONTROL_PLANE_IAM_PREFIXES,
  SCP_MAX_CHARACTERS,
  renderEligibilityScp,
} from '../../lib/compliance/scp/eligibility-scp';
import { SCP_FILENAME } from '../../lib/compliance/scp/write-scp';
import { writeEvidence } from '../../lib/compliance/write-evidence';
import { FIXED_TODAY, buildExampleApp } from '../helpers/test-app';

describe('list freshness', () => {
  test('no warning within 180 days of the list date', () => {
    expect(staleListWarning(new Date('2026-11-18T00:00:00Z'))).toBeUndefined(); // day 180
    expect(listAgeDays(new Date('2026-11-18T23:59:00Z'))).toBe(LIST_MAX_AGE_DAYS);
  });
  test('a warning naming the age, the date, the source and the refresh procedure after that', () => {
    const warning = staleListWarning(new Date('2026-11-19T00:00:00Z'));
    expect(warning).toContain('181 days old (dated 2026-05-22, limit 180)');
    expect(warning).toContain(ELIGIBILITY_LIST.source);
    expect(warning).toContain('docs/eligibility-list.md');
  });
});

describe('eligibility SCP', () => {
  const scp = eligibilityScp();
  const notActions = scp.document.Statement[0].NotAction;

  test('denies everything except eligible and reasoned control-plane prefixes, dated with the list', () => {
    // The second statement denies by name the features the list excludes (test/compliance/agreement.test.ts).
    expect(scp.document.Statement).toHaveLength(2);
    expect(scp.document.Statement[0]).toMatchObject({
      Effect: 'Deny',
      Resource: '*',
      Sid: 'DenyNonHipaaEligibleServices20260522',
    });
    expect(notActions).toEqual(
      expect.arrayContaining(['kms:*', 's3:*', 'dynamodb:*', 'execute-api:*', 'iam:*', 'sts:*']),
    );
    expect(notActions).not.toContain('apprunner:*');
    expect(notActions).not.toContain('lightsail:*');
    for (const prefix of Object.keys(CONTROL_PLANE_IAM_PREFIXES)) expect(notActions).toContain(`${prefix}:*`);
  });

  test('fits the SCP size quota, and refuses to render one that does not', () => {
    expect(scp.characters).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    const tooMany = Array.from({ length: 600 }, (_, i) => `service-${i}`);
    expect(() => renderEligibilityScp(tooMany, ELIGIBILITY_LIST.date)).toThrow(/over the 5120-character quota/);
  });

  test('refuses something that is not an IAM prefix', () => {
    expect(() => renderEligibilityScp(['s3:GetObject'], ELIGIBILITY_LIST.date)).toThrow(/not an IAM service prefix/);
  });
});

describe('evidence written at synth', () => {
  const built = buildExampleApp();
  const outdir = built.app.synth().directory;
  const files = writeEvidence(outdir, { ...built, packs: [] }, FIXED_TODAY);
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'compliance-report.json'), 'utf8'));
  const markdown = fs.readFileSync(path.join(outdir, 'compliance-report.md'), 'utf8');

  test('writes the report, the exceptions and a minified SCP', () => {
    expect(files.map((f) => path.basename(f)).sort()).toEqual(
      [
        'compliance-exceptions.json',
        'compliance-exceptions.md',
        'compliance-report.json',
        'compliance-report.md',
        SCP_FILENAME,
      ].sort(),
    );
    const scpText = fs.readFileSync(path.join(outdir, SCP_FILENAME), 'utf8');
    expect(scpText.trim()).not.toContain('\n');
    expect(scpText.trim().length).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  });

  test('the report carries the list date and source, and flags it stale', () => {
    expect(report.eligibilityList).toMatchObject({ date: '2026-05-22', source: ELIGIBILITY_LIST.source, stale: true });
    expect(markdown).toContain('Dated 2026-05-22');
    expect(markdown).toMatch(/older than 180 days/);
  });

  test('every resource type of every stack has a verdict, and all are allowed', () => {
    expect(report.stacks.map((s: { stackId: string }) => s.stackId)).toEqual([
      'HipaaRtcAudit',
      'HipaaRtcData',
      'HipaaRtcDetect',
      'HipaaRtcGuardrails',
      'HipaaRtcRelay',
      'HipaaRtcSignaling',
    ]);
    for (const stack of report.stacks) {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, `${stack.stackId}.template.json`), 'utf8'));
      const counted = stack.types.reduce((sum: number, row: { count: number }) => sum + row.count, 0);
      expect(counted).toBe(Object.keys(template.Resources).length);
      for (const row of stack.types) expect(row.eligible || row.excepted).toBe(true);
    }
    // The one non-eligible type is the Guardrails stack's hook, passed by its register entry and shown as such.
    const excepted = report.stacks.flatMap(
      (s: { stackId: string; types: Array<{ type: string; excepted: boolean }> }) =>
        s.types.filter((row) => row.excepted).map((row) => `${s.stackId} ${row.type}`),
    );
    expect(excepted).toEqual(['HipaaRtcGuardrails AWS::CloudFormation::GuardHook']);
    expect(markdown).toMatch(/\| `AWS::CloudFormation::GuardHook` \| 1 \| excepted \(register\) \(gate-management\)/);
  });

  test('without a validation run, findings are reported as unknown, never as zero', () => {
    expect(report.nag.validationRan).toBe(false);
    expect(markdown).not.toContain('Unacknowledged findings: 0');
  });

  test('the exception register is in the report', () => {
    expect(report.exceptions).toHaveLength(built.exceptions.length);
    expect(markdown).toContain('## Exception register');
  });

  test('safeguards 164.308/164.312 map to the resources that implement them', () => {
    const citations = report.safeguards.map((s: { citation: string }) => s.citation);
    expect(citations).toEqual(
      expect.arrayContaining([
        '164.312(a)(1)',
        '164.312(a)(2)(iv)',
        '164.312(b)',
        '164.312(c)(1)',
        '164.312(d)',
        '164.312(e)(1)',
      ]),
    );
    const encryption = report.safeguards.find((s: { citation: string }) => s.citation === '164.312(a)(2)(iv)');
    const resources = encryption.controls.flatMap((c: { resources: string[] }) => c.resources).join(' ');
    expect(resources).toContain('RecordsTable');
    expect(resources).toContain('AuditKey');
    for (const safeguard of report.safeguards) {
      for (const control of safeguard.controls) expect(control.resources.length).toBeGreaterThan(0);
    }
  });
});

describe('Guardrails stack', () => {
  const template = Template.fromStack(buildExampleApp().guardrails);

  test('a Guard Hook in FAIL mode on resource and Cloud Control operations, rules pinned to a version', () => {
    template.hasResourceProperties('AWS::CloudFormation::GuardHook', {
      Alias: 'Private::Guard::HipaaRtcEligibility',
      FailureMode: 'FAIL',
      HookStatus: 'ENABLED',
      TargetOperations: ['RESOURCE', 'CLOUD_CONTROL'],
      // Details in test/constructs/eligibility-guard-hook.test.ts.
      RuleLocation: { Uri: Match.anyValue(), VersionId: { 'Fn::GetAtt': [Match.anyValue(), 'VersionId'] } },
    });
  });

  test('its evaluation logs go to an encrypted, TLS-only bucket; the role trusts only the hooks service', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'hooks.cloudformation.amazonaws.com' } })],
      },
    });
  });

  test('is termination-protected', () => {
    expect(buildExampleApp().guardrails.terminationProtection).toBe(true);
  });
});

import { Template } from 'aws-cdk-lib/assertions';
import { validateConfig } from '../../config';
import { example } from '../../config/example';
import { exceptionRegister } from '../../lib/compliance/exception-register';
import { compliancePacks } from '../../lib/compliance/nag-packs';
import { HIPAA_ELIGIBILITY_RULE_ID } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import { composeHipaaRtc, type HipaaRtcApp } from '../../lib/hipaa-rtc-app';
import { newTestApp } from '../helpers/test-app';
import { onlyResource, type PolicyStatement } from '../helpers/template-queries';

/** The example config with cross-region copies of every recovery point to us-west-2. */
const config = validateConfig('under-test', {
  ...example,
  detect: { ...example.detect, backup: { ...(example.detect?.backup as object), copyToRegion: 'us-west-2' } },
});
const today = new Date();
let built: HipaaRtcApp;
let findings: string[];

beforeAll(() => {
  const app = newTestApp();
  const exceptions = exceptionRegister({ deploymentName: config.deploymentName, detect: config.detect });
  built = composeHipaaRtc(app, config, { today, exceptions, registerPacks: false });
  app.synth();
  const excepted = exceptions.filter((e) => e.ruleId === HIPAA_ELIGIBILITY_RULE_ID).map((e) => e.path);
  findings = compliancePacks(app, { exceptedEligibilityPaths: excepted })
    .flatMap((pack) => pack.validateScope(app).violations)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`));
});

test('every pack passes with the copy stack and the copy grants (the one wildcard is in the register)', () => {
  expect(findings).toEqual([]);
});

test('that register entry suppresses exactly the copy-key wildcard finding', () => {
  const app = newTestApp();
  const exceptions = exceptionRegister({ deploymentName: config.deploymentName, detect: config.detect }).filter(
    (e) => !e.ruleId.includes(':kms:us-west-2:'),
  );
  composeHipaaRtc(app, config, { today, exceptions, registerPacks: false });
  app.synth();
  const detect = app.node.findChild('HipaaRtcDetect');
  expect(
    compliancePacks(app, { exceptedEligibilityPaths: [] })
      .flatMap((pack) => pack.validateScope(detect).violations)
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)),
  ).toEqual([
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:us-west-2:<AWS::AccountId>:key/*] @ HipaaRtcDetect/Backup/KeyPolicy/Resource',
  ]);
});

test("the copy vault lives in the copy region, under its own key, with the home vault's lock", () => {
  expect(built.backupCopy?.region).toBe('us-west-2');
  const copy = Template.fromStack(built.backupCopy!);
  const vault = onlyResource(copy, 'AWS::Backup::BackupVault');
  expect(vault.resource.Properties).toEqual(
    expect.objectContaining({
      BackupVaultName: 'hipaa-rtc-example-vault',
      EncryptionKeyArn: { 'Fn::GetAtt': [onlyResource(copy, 'AWS::KMS::Key').logicalId, 'Arn'] },
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 3650, ChangeableForDays: 3 },
    }),
  );
  expect(vault.resource.DeletionPolicy).toBe('Retain');
  copy.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/hipaa-rtc/hipaa-rtc-example/backup-copy' });
  expect(built.backupCopy!.terminationProtection).toBe(true);
  // Deployed before the Detect stack, whose plan copies into it.
  expect(built.detect.dependencies).toContain(built.backupCopy);
});

test('each rule copies to that vault and keeps the copy as long as the original', () => {
  const detect = Template.fromStack(built.detect);
  const rules = onlyResource(detect, 'AWS::Backup::BackupPlan').resource.Properties.BackupPlan.BackupPlanRule;
  expect(rules.map((r: Record<string, any>) => [r.RuleName, r.CopyActions])).toEqual([
    [
      'Daily',
      [
        {
          DestinationBackupVaultArn: {
            'Fn::Join': [
              '',
              ['arn:aws:backup:us-west-2:', { Ref: 'AWS::AccountId' }, ':backup-vault:hipaa-rtc-example-vault'],
            ],
          },
          Lifecycle: { DeleteAfterDays: 35 },
        },
      ],
    ],
    [
      'Monthly',
      [
        {
          DestinationBackupVaultArn: {
            'Fn::Join': [
              '',
              ['arn:aws:backup:us-west-2:', { Ref: 'AWS::AccountId' }, ':backup-vault:hipaa-rtc-example-vault'],
            ],
          },
          Lifecycle: { DeleteAfterDays: 365 },
        },
      ],
    ],
  ]);
});

test('the backup role may use only the copy key in that region, found by its alias', () => {
  const detect = Template.fromStack(built.detect);
  const statements: PolicyStatement[] = onlyResource(detect, 'AWS::IAM::ManagedPolicy').resource.Properties
    .PolicyDocument.Statement;
  const copy = statements.filter((s) => String(s.Sid).startsWith('CopyVaultKey') || s.Sid === 'UseCopyVaultKey');
  expect(copy).toHaveLength(2);
  for (const statement of copy) {
    expect(JSON.stringify(statement.Resource)).toContain(':kms:us-west-2:');
    expect(statement.Condition?.['ForAnyValue:StringEquals']).toEqual({
      'kms:ResourceAliases': 'alias/hipaa-rtc/hipaa-rtc-example/backup-copy',
    });
  }
});

test('without copyToRegion there is no copy stack and no copy grant', () => {
  const plain = composeHipaaRtc(newTestApp(), validateConfig('plain', example), { today, registerPacks: false });
  expect(plain.backupCopy).toBeUndefined();
  expect(JSON.stringify(Template.fromStack(plain.detect).toJSON())).not.toContain('CopyVaultKey');
});

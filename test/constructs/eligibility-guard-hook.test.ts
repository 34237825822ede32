import * as fs from 'node:fs';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { GUARD_RULES_OBJECT_KEY, sha256Base64 } from '../../lib/constructs/guard-rules-object';
import { eligibilityGuardRules } from '../../lib/compliance/guard/account-guard-rules';
import { GuardrailsStack } from '../../lib/stacks/guardrails-stack';
import { hookInput, runGuard, stackIdOf } from '../helpers/cfn-guard';
import { asArray, onlyResource, type PolicyStatement } from '../helpers/template-queries';
import { buildExampleApp } from '../helpers/test-app';

/**
 * The Guard Hook's rules are immutable as deployed: a dedicated, Object-Locked bucket, a writer that returns the
 * VersionId, and a hook pinned to exactly that version. Read from the Guardrails template, as CloudFormation gets it.
 */
const built = buildExampleApp();
const template = Template.fromStack(built.guardrails);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;

const hook = onlyResource(template, 'AWS::CloudFormation::GuardHook').resource;
const writer = onlyResource(template, 'Custom::GuardRulesObject');
const rulesBucketId = Object.keys(
  template.findResources('AWS::S3::Bucket', { Properties: { ObjectLockEnabled: true } }),
);
const writerRoleId = roleOfProvider(writer.resource.Properties.ServiceToken);

/** The writer function's role: the ServiceToken is the provider function's ARN. */
function roleOfProvider(serviceToken: { 'Fn::GetAtt': [string, string] }): string {
  const fn = resources[serviceToken['Fn::GetAtt'][0]];
  return fn.Properties.Role['Fn::GetAtt'][0];
}

/** The S3 call the writer makes, with the bucket reference replaced by a marker. */
function writerCall(
  property: 'Create' | 'Update',
): { action: string; parameters: Record<string, string> } & Record<string, unknown> {
  const [delimiter, parts] = writer.resource.Properties[property]['Fn::Join'];
  const text = (parts as unknown[])
    .map((part) => (typeof part === 'string' ? part : `<${(part as { Ref: string }).Ref}>`))
    .join(delimiter);
  return JSON.parse(text);
}

function policyStatements(logicalId: string): PolicyStatement[] {
  return resources[logicalId].Properties.PolicyDocument.Statement;
}

function managedPoliciesOfRole(roleId: string): string[] {
  return resources[roleId].Properties.ManagedPolicyArns.map((arn: { Ref: string }) => arn.Ref);
}

describe('the hook reads exactly the version the writer wrote', () => {
  test('RuleLocation is { Uri: s3://<rules bucket>/<key>, VersionId: the writer’s VersionId }', () => {
    expect(rulesBucketId).toHaveLength(1);
    expect(hook.Properties.RuleLocation).toEqual({
      Uri: { 'Fn::Join': ['', ['s3://', { Ref: rulesBucketId[0] }, `/${GUARD_RULES_OBJECT_KEY}`]] },
      VersionId: { 'Fn::GetAtt': [writer.logicalId, 'VersionId'] },
    });
  });

  test('the writer puts the rules into that bucket and key, checked by SHA-256, and returns the VersionId', () => {
    for (const property of ['Create', 'Update'] as const) {
      const call = writerCall(property);
      expect(call).toMatchObject({
        service: 'S3',
        action: 'putObject',
        physicalResourceId: { responsePath: 'VersionId' },
        outputPaths: ['VersionId'],
      });
      expect(call.parameters).toMatchObject({
        Bucket: `<${rulesBucketId[0]}>`,
        Key: GUARD_RULES_OBJECT_KEY,
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: sha256Base64(call.parameters.Body),
      });
    }
  });

  test('what is written is byte-identical to the rules rendered for this stack’s name', () => {
    expect(writerCall('Update').parameters.Body).toBe(eligibilityGuardRules(built.guardrails.stackName));
    expect(built.guardrails.eligibilityHook.rules.content).toBe(writerCall('Update').parameters.Body);
  });

  test('the old CDK asset is gone: no assets-bucket URI in the hook, no .guard file asset', () => {
    expect(JSON.stringify(hook.Properties)).not.toMatch(/cdk-[a-z0-9]+-assets|assets-\$\{AWS::AccountId\}/);
    const assembly = built.app.synth();
    const manifest = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, `${built.guardrails.artifactId}.assets.json`), 'utf8'),
    );
    const files = Object.values(manifest.files ?? {}).map((file) => JSON.stringify(file));
    expect(files.filter((file) => file.includes('.guard'))).toEqual([]);
  });

  test('the rules as deployed let this stack, and no other, hold hook-management types (real cfn-guard)', () => {
    const deployed = writerCall('Update').parameters.Body;
    const guardHook = { ResourceType: 'AWS::CloudFormation::GuardHook' };
    const statuses = runGuard(
      deployed,
      new Map([
        ['own stack', hookInput(guardHook, 'UPDATE_PRE_PROVISION', { StackId: stackIdOf(built.guardrails.stackName) })],
        [
          'workload stack',
          hookInput(guardHook, 'UPDATE_PRE_PROVISION', { StackId: stackIdOf('hipaa-rtc-example-relay') }),
        ],
      ]),
    );
    expect(statuses.get('own stack')).toBe('PASS');
    expect(statuses.get('workload stack')).toBe('FAIL');
  });

  test('the template stays far below CloudFormation’s 1 MB, and a writer update request below Lambda’s 1 MB', () => {
    expect(JSON.stringify(template.toJSON()).length).toBeLessThan(512 * 1024);
    // An update request carries the new and the old properties.
    expect(2 * JSON.stringify(writer.resource.Properties).length).toBeLessThan(512 * 1024);
  });
});

describe('the rules bucket', () => {
  const bucket = resources[rulesBucketId[0]];

  test('versioned, Object Lock with the audit retention, SSE-KMS with the audit key, access logs', () => {
    expect(bucket.Properties).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Days: 2192, Mode: 'GOVERNANCE' } },
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
        ],
      },
      LoggingConfiguration: { LogFilePrefix: 'guard-rules-bucket/' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    const key = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
    expect(JSON.stringify(key.KMSMasterKeyID)).toContain('AuditKey');
    expect((bucket as { DeletionPolicy?: string }).DeletionPolicy).toBe('Retain');
  });

  const policy = Object.values(resources).find(
    (r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === rulesBucketId[0],
  )!;
  const statements = policy.Properties.PolicyDocument.Statement as PolicyStatement[];

  test('refuses every writer but the writer role, and deletes and lock changes by anyone', () => {
    expect(statements.find((s) => s.Sid === 'OnlyTheWriterPutsObjects')).toEqual({
      Sid: 'OnlyTheWriterPutsObjects',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [rulesBucketId[0], 'Arn'] }, '/*']] },
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [writerRoleId, 'Arn'] } } },
    });
    const noDeletes = statements.find((s) => s.Sid === 'NoDeletesOrLockChanges')!;
    expect(noDeletes).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(noDeletes.Condition).toBeUndefined();
    expect(asArray(noDeletes.Action).sort()).toEqual([
      's3:BypassGovernanceRetention',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutObjectLegalHold',
      's3:PutObjectRetention',
    ]);
  });

  test('TLS only, and it allows nothing to anyone (writers and readers get access through IAM only)', () => {
    expect(
      statements.some(
        (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}',
      ),
    ).toBe(true);
    expect(statements.filter((s) => s.Effect === 'Allow')).toEqual([]);
  });
});

describe('least privilege', () => {
  test('the hook role may read only the pinned version of the rule object, decrypting through S3 only', () => {
    const role = Object.entries(resources).find(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' &&
        JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('hooks.cloudformation'),
    )!;
    const [policyId] = managedPoliciesOfRole(role[0]);
    const statements = policyStatements(policyId);
    const s3Reads = statements.filter((s) => asArray(s.Action).some((a) => /^s3:Get/.test(a)));
    expect(s3Reads).toEqual([
      {
        Sid: 'ReadPinnedRuleVersionOnly',
        Effect: 'Allow',
        Action: 's3:GetObjectVersion',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [rulesBucketId[0], 'Arn'] }, `/${GUARD_RULES_OBJECT_KEY}`]] },
        Condition: { StringEquals: { 's3:versionid': { 'Fn::GetAtt': [writer.logicalId, 'VersionId'] } } },
      },
    ]);
    expect(statements.find((s) => s.Sid === 'DecryptRuleFileViaS3')).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: {
        StringEquals: {
          'kms:ViaService': 's3.us-east-1.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': { 'Fn::GetAtt': [rulesBucketId[0], 'Arn'] },
        },
      },
    });
    expect(JSON.stringify(statements)).not.toContain('"s3:GetObject"');
  });

  test('the writer role has one managed policy: put the one key, encrypt through S3, its own logs; no inline policy', () => {
    expect(resources[writerRoleId].Properties.Policies).toBeUndefined();
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy')).toEqual([]);
    const [policyId] = managedPoliciesOfRole(writerRoleId);
    const statements = policyStatements(policyId);
    expect(statements.map((s) => [s.Sid, s.Action])).toEqual([
      ['PutRuleFileOnly', 's3:PutObject'],
      ['EncryptRuleFileViaS3', 'kms:GenerateDataKey'],
      ['WriteOwnLogs', ['logs:CreateLogStream', 'logs:PutLogEvents']],
    ]);
    expect(statements[0].Resource).toEqual({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [rulesBucketId[0], 'Arn'] }, `/${GUARD_RULES_OBJECT_KEY}`]],
    });
  });

  test('the writer logs to its own KMS-encrypted log group under the deployment prefix', () => {
    const fn = resources[writer.resource.Properties.ServiceToken['Fn::GetAtt'][0]];
    const logGroup = resources[fn.Properties.LoggingConfig.LogGroup.Ref];
    expect(logGroup.Properties.LogGroupName).toBe('/hipaa-rtc/hipaa-rtc-example/guardrails/guard-rules-writer');
    expect(JSON.stringify(logGroup.Properties.KmsKeyId)).toContain('AuditKey');
  });
});

test('the Guardrails stack refuses rules that would refuse its own next update', () => {
  const other = buildExampleApp();
  expect(
    () =>
      new GuardrailsStack(other.app, 'OtherGuardrails', {
        stackName: 'other-guardrails',
        env: { region: 'us-east-1' },
        deploymentName: 'other',
        eligibilityGuardRules: eligibilityGuardRules('hipaa-rtc-example-guardrails'),
        baseline: { kind: 'home', auditKey: other.audit.auditKey, accessLogBucket: other.audit.accessLogBucket },
        rulesRetentionDays: 2192,
        rulesObjectLockMode: 'COMPLIANCE',
        logRetention: 365,
      }),
  ).toThrow(/do not allow hook-management types in this stack \(other-guardrails\)/);
});

import * as path from 'node:path';
import { logDeliveryPaths } from '../../lib/compliance/paths';
import { loadTemplateSet } from '../../lib/compliance/paths/load';
import type { TemplateSet } from '../../lib/compliance/paths/template-set';
import { buildExampleApp } from '../helpers/test-app';

/**
 * The AWS Config delivery path as AWS evaluates it (HipaaRtcPaths-LogAndEvidenceDelivery): the recorder writes as
 * config.amazonaws.com, so the evidence bucket's policy and the audit key's policy must both let it in. A broken
 * grant fails synth through the paths pack; these tests break each grant on the synthesized templates.
 */

let pristine: string;

beforeAll(() => {
  const built = buildExampleApp();
  const assembly = built.app.synth();
  const set = loadTemplateSet(
    built.stacks.map((stack) => ({
      stackId: stack.node.id,
      stackName: stack.stackName,
      region: stack.region,
      account: stack.account,
      templatePath: path.join(assembly.directory, stack.templateFile),
    })),
  );
  pristine = JSON.stringify(set);
});

/** A mutable copy of the synthesized templates (resources typed loosely: tests rewrite them). */
interface MutableSet {
  stacks: Array<{ stackId: string; resources: Record<string, { Type: string; Properties: any }> }>;
}
const fresh = (): MutableSet => JSON.parse(pristine);
const configPath = (set: MutableSet) =>
  logDeliveryPaths(set as unknown as TemplateSet).find((p) => p.title.startsWith('AWS Config '));
const failing = (set: MutableSet) =>
  configPath(set)!
    .hops.filter((h) => h.verdict === 'fail')
    .map((h) => h.name);
const resourcesOf = (set: MutableSet, stackId: string) => set.stacks.find((s) => s.stackId === stackId)!.resources;
const ofType = (set: MutableSet, stackId: string, type: string) =>
  Object.values(resourcesOf(set, stackId)).filter((r) => r.Type === type);
const auditBucketPolicy = (set: MutableSet) =>
  ofType(set, 'HipaaRtcAudit', 'AWS::S3::BucketPolicy').find((p) =>
    JSON.stringify(p.Properties.PolicyDocument).includes('AWSConfigBucketDelivery'),
  )!;
const auditKey = (set: MutableSet) => ofType(set, 'HipaaRtcAudit', 'AWS::KMS::Key')[0]!;

test('the synthesized delivery path connects, hop by hop', () => {
  const result = configPath(fresh())!;
  expect(result.hops.map((h) => [h.name, h.verdict])).toEqual([
    ['recorder writes as config.amazonaws.com (service-linked role)', 'pass'],
    ['channel -> bucket', 'pass'],
    ['bucket policy: s3:GetBucketAcl', 'pass'],
    ['bucket policy: s3:ListBucket', 'pass'],
    ['bucket policy: s3:PutObject (bucket-owner-full-control)', 'pass'],
    ['delivery key: kms:GenerateDataKey and kms:Decrypt', 'pass'],
  ]);
  expect(result.hops[1]!.resource?.stackId).toBe('HipaaRtcAudit');
});

test("without the delivery statement, PutObject fails; with a prefix that is not the channel's, too", () => {
  const set = fresh();
  const policy = auditBucketPolicy(set).Properties.PolicyDocument;
  const delivery = policy.Statement.find((s: { Sid?: string }) => s.Sid === 'AWSConfigBucketDelivery');
  delivery.Resource = JSON.parse(JSON.stringify(delivery.Resource).replace('/config/AWSLogs/', '/other/AWSLogs/'));
  expect(failing(set)).toEqual(['bucket policy: s3:PutObject (bucket-owner-full-control)']);
  policy.Statement = policy.Statement.filter((s: { Sid?: string }) => !String(s.Sid).startsWith('AWSConfig'));
  expect(failing(set)).toEqual([
    'bucket policy: s3:GetBucketAcl',
    'bucket policy: s3:ListBucket',
    'bucket policy: s3:PutObject (bucket-owner-full-control)',
  ]);
});

test('without the key statement, or with one scoped to another account, the key hop fails', () => {
  const set = fresh();
  const statements = auditKey(set).Properties.KeyPolicy.Statement;
  const config = statements.find((s: { Sid?: string }) => s.Sid === 'AWSConfigDeliveryEncryption');
  config.Condition.StringEquals['aws:SourceAccount'] = '999999999999';
  expect(failing(set)).toEqual(['delivery key: kms:GenerateDataKey and kms:Decrypt']);
  auditKey(set).Properties.KeyPolicy.Statement = statements.filter(
    (s: { Sid?: string }) => s.Sid !== 'AWSConfigDeliveryEncryption',
  );
  expect(failing(set)).toEqual(['delivery key: kms:GenerateDataKey and kms:Decrypt']);
});

test('a recorder with its own role is reported, not assumed to deliver', () => {
  const set = fresh();
  ofType(set, 'HipaaRtcDetect', 'AWS::Config::ConfigurationRecorder')[0]!.Properties.RoleARN =
    'arn:aws:iam::111111111111:role/my-config-role';
  expect(failing(set)).toEqual(['recorder writes as config.amazonaws.com (service-linked role)']);
});

/**
 * HIPAA Security Rule safeguards (45 CFR 164.308 and 164.312) mapped to checks over synthesized CloudFormation.
 * The report lists, per safeguard, the resources whose *synthesized settings* implement it: evidence read from the
 * templates, not a claim typed into a document. A control that matches nothing is shown as such.
 */

import { PATH_RULES, type PathRuleId } from '../paths/model';

/**
 * Template JSON is untyped and the predicates below probe optional paths of many resource types; a precise type per
 * resource would be larger than the map itself, so this one alias carries the looseness.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TemplateJson = any;

export interface TemplateResource {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, TemplateJson>;
}

export interface SafeguardControl {
  /** What the matched resources do for the safeguard, in a reviewer's words. */
  readonly control: string;
  readonly matches: (resource: TemplateResource) => boolean;
}

export interface Safeguard {
  readonly citation: string;
  readonly name: string;
  readonly controls: readonly SafeguardControl[];
  /** Paths-pack rules whose paths implement the safeguard; the report lists each path and whether it connects. */
  readonly pathRules?: readonly PathRuleId[];
}

const json = (value: unknown) => JSON.stringify(value ?? null);
const of =
  (type: string, predicate: (p: Record<string, TemplateJson>) => boolean = () => true) =>
  (r: TemplateResource) =>
    r.type === type && predicate(r.properties);

function policyStatements(r: TemplateResource): TemplateJson[] {
  const doc = r.properties.PolicyDocument ?? r.properties.KeyPolicy;
  return Array.isArray(doc?.Statement) ? doc.Statement : [];
}

export const SAFEGUARDS: readonly Safeguard[] = [
  {
    citation: '164.312(a)(1)',
    name: 'Access control',
    controls: [
      {
        control: 'KMS key policy separates key administrators from key users (no usage actions for administrators)',
        matches: of('AWS::KMS::Key', (p) => json(p.KeyPolicy).includes('"Sid":"KeyAdministration"')),
      },
      {
        control: 'S3 bucket blocks all public access and disables ACLs',
        matches: of(
          'AWS::S3::Bucket',
          (p) =>
            p.PublicAccessBlockConfiguration?.BlockPublicAcls === true &&
            p.PublicAccessBlockConfiguration?.RestrictPublicBuckets === true &&
            json(p.OwnershipControls).includes('BucketOwnerEnforced'),
        ),
      },
      {
        control: 'Account-level S3 Block Public Access for the region',
        matches: (r) => r.type === 'Custom::S3AccountPublicAccessBlock',
      },
      {
        control: 'IAM role with customer-managed policies only (no inline policies)',
        matches: of('AWS::IAM::Role', (p) => p.Policies === undefined),
      },
    ],
  },
  {
    citation: '164.312(a)(2)(iv)',
    name: 'Encryption and decryption',
    controls: [
      {
        control: 'Customer-managed KMS key with yearly rotation',
        matches: of('AWS::KMS::Key', (p) => p.EnableKeyRotation === true),
      },
      {
        control: 'S3 bucket encrypted with SSE-KMS under a customer-managed key',
        matches: of(
          'AWS::S3::Bucket',
          (p) =>
            json(p.BucketEncryption).includes('"SSEAlgorithm":"aws:kms"') &&
            json(p.BucketEncryption).includes('KMSMasterKeyID'),
        ),
      },
      {
        control: 'DynamoDB table encrypted with a customer-managed key',
        matches: (r) =>
          (r.type === 'AWS::DynamoDB::GlobalTable' || r.type === 'AWS::DynamoDB::Table') &&
          json(r.properties.SSESpecification).includes('"SSEType":"KMS"'),
      },
      {
        control: 'CloudWatch Logs group encrypted with a customer-managed key',
        matches: of('AWS::Logs::LogGroup', (p) => p.KmsKeyId !== undefined),
      },
      {
        control: 'SNS topic encrypted with a customer-managed key',
        matches: of('AWS::SNS::Topic', (p) => p.KmsMasterKeyId !== undefined),
      },
      {
        control: 'CloudTrail log files encrypted with a customer-managed key',
        matches: of('AWS::CloudTrail::Trail', (p) => p.KMSKeyId !== undefined),
      },
      {
        control: 'EBS encryption by default for the region',
        matches: (r) => r.type === 'Custom::EbsEncryptionByDefault',
      },
    ],
  },
  {
    citation: '164.312(b)',
    name: 'Audit controls',
    pathRules: [PATH_RULES.logDelivery],
    controls: [
      {
        control:
          'Multi-region CloudTrail recording all management events and S3/DynamoDB data events, delivered to CloudWatch Logs',
        matches: of(
          'AWS::CloudTrail::Trail',
          (p) => p.IsMultiRegionTrail === true && p.IsLogging === true && p.CloudWatchLogsLogGroupArn !== undefined,
        ),
      },
      {
        control: 'S3 server access logging to the access-log bucket',
        matches: of('AWS::S3::Bucket', (p) => p.LoggingConfiguration?.DestinationBucketName !== undefined),
      },
      {
        control: 'Log group retention set',
        matches: of('AWS::Logs::LogGroup', (p) => typeof p.RetentionInDays === 'number'),
      },
    ],
  },
  {
    citation: '164.312(c)(1)',
    name: 'Integrity',
    controls: [
      {
        control: 'S3 Object Lock default retention on audit evidence',
        matches: of(
          'AWS::S3::Bucket',
          (p) => p.ObjectLockEnabled === true && p.ObjectLockConfiguration?.Rule?.DefaultRetention !== undefined,
        ),
      },
      {
        control: 'CloudTrail log-file integrity validation',
        matches: of('AWS::CloudTrail::Trail', (p) => p.EnableLogFileValidation === true),
      },
      {
        control: 'S3 versioning',
        matches: of('AWS::S3::Bucket', (p) => p.VersioningConfiguration?.Status === 'Enabled'),
      },
    ],
  },
  {
    citation: '164.312(d)',
    name: 'Person or entity authentication',
    controls: [
      {
        control: 'Role assumable only with MFA',
        matches: of('AWS::IAM::Role', (p) => json(p.AssumeRolePolicyDocument).includes('aws:MultiFactorAuthPresent')),
      },
      {
        control:
          'Service role assumable only on behalf of this account or resource (aws:SourceAccount / aws:SourceArn)',
        matches: of('AWS::IAM::Role', (p) => /aws:Source(Account|Arn)/.test(json(p.AssumeRolePolicyDocument))),
      },
    ],
  },
  {
    citation: '164.312(e)(1)',
    name: 'Transmission security',
    pathRules: [PATH_RULES.ice],
    controls: [
      {
        control: 'Bucket policy denies requests without TLS and below TLS 1.2',
        matches: (r) =>
          r.type === 'AWS::S3::BucketPolicy' &&
          policyStatements(r).some((s) => s.Effect === 'Deny' && json(s.Condition).includes('aws:SecureTransport')) &&
          policyStatements(r).some((s) => s.Effect === 'Deny' && json(s.Condition).includes('s3:TlsVersion')),
      },
      {
        control: 'SNS topic policy denies publishing without TLS',
        matches: (r) =>
          r.type === 'AWS::SNS::TopicPolicy' &&
          policyStatements(r).some((s) => s.Effect === 'Deny' && json(s.Condition).includes('aws:SecureTransport')),
      },
    ],
  },
  {
    citation: '164.308(a)(1)(ii)(D)',
    name: 'Information system activity review',
    pathRules: [PATH_RULES.notifications],
    controls: [
      {
        control: 'Security metric filter on the CloudTrail log group',
        matches: (r) => r.type === 'AWS::Logs::MetricFilter',
      },
      {
        control: 'Alarm that notifies the security topic',
        matches: of('AWS::CloudWatch::Alarm', (p) => Array.isArray(p.AlarmActions) && p.AlarmActions.length > 0),
      },
    ],
  },
  {
    citation: '164.308(a)(6)',
    name: 'Security incident procedures',
    pathRules: [PATH_RULES.notifications],
    controls: [
      {
        control: 'Security alarm topic with an email subscription (responders are told of an incident)',
        matches: of('AWS::SNS::Subscription', (p) => p.Protocol === 'email'),
      },
    ],
  },
  {
    citation: '164.308(a)(7)',
    name: 'Contingency plan (availability of the relay service)',
    pathRules: [PATH_RULES.ice],
    controls: [
      {
        control: 'Relay fleet replaced on failed load-balancer health checks',
        matches: of('AWS::AutoScaling::AutoScalingGroup', (p) => p.HealthCheckType === 'ELB'),
      },
    ],
  },
  {
    citation: '164.308(a)(7)(ii)(A)',
    name: 'Data backup plan',
    controls: [
      {
        control: 'DynamoDB point-in-time recovery and deletion protection',
        matches: of(
          'AWS::DynamoDB::GlobalTable',
          (p) =>
            json(p.Replicas).includes('"PointInTimeRecoveryEnabled":true') &&
            json(p.Replicas).includes('"DeletionProtectionEnabled":true'),
        ),
      },
    ],
  },
];

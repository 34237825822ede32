import { logDeliveryPaths } from '../../../lib/compliance/paths';
import type { TemplateSet } from '../../../lib/compliance/paths/template-set';
import { fixture, hop, props } from './fixture';

const TRAIL_S3 = 'CloudTrail HipaaRtcAudit/Trail022F0CF2 -> S3';
const TRAIL_CWL = 'CloudTrail HipaaRtcAudit/Trail022F0CF2 -> CloudWatch Logs';
const FLOW = 'VPC flow log HipaaRtcRelay/VpcFlowLog8FF33A73 -> CloudWatch Logs';
const ACCESS = 'API Gateway access logs HipaaRtcSignaling/ApiStage4697DF29 -> CloudWatch Logs';
const LAMBDA = 'Lambda HipaaRtcSignaling/IceServersFC401D60 -> CloudWatch Logs';
const NLB = 'NLB access logs HipaaRtcRelay/LoadBalancerBE9EEC3A -> S3';
const KEY_LOGS = 'log group key allows CloudWatch Logs';

const pathOf = (set: TemplateSet, title: string) => logDeliveryPaths(set).find((p) => p.title === title);
const failing = (set: TemplateSet) =>
  logDeliveryPaths(set).flatMap((p) => p.hops.filter((h) => h.verdict === 'fail').map((h) => `${p.title} | ${h.name}`));
const auditKey = (set: TemplateSet) => props(set, 'HipaaRtcAudit', 'AuditKeyD462845A').KeyPolicy.Statement;
const bySid = (statements: Array<{ Sid?: string }>, sid: string) => statements.find((s) => s.Sid === sid)!;

describe('compliant fixture (cut from the synthesized templates)', () => {
  const set = fixture('log-delivery-compliant');

  test('every delivery path connects, and each is listed', () => {
    expect(failing(set)).toEqual([]);
    expect(logDeliveryPaths(set).map((p) => p.title)).toEqual(
      expect.arrayContaining([TRAIL_S3, TRAIL_CWL, FLOW, ACCESS, LAMBDA, NLB]),
    );
  });

  test('the NLB has no access logs: said so, not hidden', () => {
    expect(pathOf(set, NLB)?.hops).toEqual([
      expect.objectContaining({
        verdict: 'not-applicable',
        detail: expect.stringContaining('access logs are not enabled'),
      }),
    ]);
  });

  test('the Relay and Signaling log groups use the Audit key across stacks (Fn::GetStackOutput)', () => {
    expect(hop(pathOf(set, FLOW), KEY_LOGS).resource).toEqual({
      stackId: 'HipaaRtcAudit',
      logicalId: 'AuditKeyD462845A',
    });
  });
});

describe('mutations name the path and the hop', () => {
  test('CloudTrail: no PutObject grant, or one that demands another ACL', () => {
    const set = fixture('log-delivery-compliant');
    const policy = props(set, 'HipaaRtcAudit', 'AuditLogBucketPolicyF0ED4440').PolicyDocument.Statement;
    (
      bySid(policy, 'CloudTrailWrite') as { Condition: { StringEquals: Record<string, string> } }
    ).Condition.StringEquals['s3:x-amz-acl'] = 'private';
    expect(failing(set)).toEqual([`${TRAIL_S3} | bucket policy: s3:PutObject (bucket-owner-full-control)`]);
    props(set, 'HipaaRtcAudit', 'AuditLogBucketPolicyF0ED4440').PolicyDocument.Statement = policy.filter(
      (s: { Sid?: string }) => s.Sid !== 'CloudTrailWrite' && s.Sid !== 'CloudTrailAclCheck',
    );
    expect(failing(set)).toEqual([
      `${TRAIL_S3} | bucket policy: s3:GetBucketAcl`,
      `${TRAIL_S3} | bucket policy: s3:PutObject (bucket-owner-full-control)`,
    ]);
  });

  test('CloudTrail: the key must allow GenerateDataKey* for this trail (SourceArn and encryption context)', () => {
    const set = fixture('log-delivery-compliant');
    const statement = bySid(auditKey(set), 'CloudTrailEncryptLogs') as {
      Condition: { StringEquals: Record<string, unknown> };
    };
    statement.Condition.StringEquals['aws:SourceArn'] = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/other';
    expect(failing(set)).toEqual([`${TRAIL_S3} | trail key: kms:GenerateDataKey* and kms:DescribeKey`]);
  });

  test('CloudWatch Logs: a key whose logs statement covers other log groups fails every group it misses', () => {
    const set = fixture('log-delivery-compliant');
    const statement = bySid(auditKey(set), 'CloudWatchLogsProjectLogGroups') as {
      Condition: { ArnLike: Record<string, unknown[]> };
    };
    statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn'] = ['arn:aws:logs:us-east-1:*:log-group:/other/*'];
    expect(failing(set)).toEqual([
      `${TRAIL_CWL} | ${KEY_LOGS}`,
      `${FLOW} | ${KEY_LOGS}`,
      `${ACCESS} | ${KEY_LOGS}`,
      `${LAMBDA} | ${KEY_LOGS}`,
    ]);
    expect(hop(pathOf(set, FLOW), KEY_LOGS).detail).toContain('logs.us-east-1.amazonaws.com');
  });

  test('flow logs: the delivery role must be assumable by vpc-flow-logs.amazonaws.com and write the group', () => {
    const set = fixture('log-delivery-compliant');
    props(set, 'HipaaRtcRelay', 'FlowLogPolicyB9FF45F2').PolicyDocument.Statement[0].Action = ['logs:CreateLogStream'];
    props(set, 'HipaaRtcRelay', 'FlowLogRoleCB27E7DF').AssumeRolePolicyDocument.Statement[0].Principal.Service =
      'ec2.amazonaws.com';
    expect(failing(set)).toEqual([
      `${FLOW} | delivery role trusts vpc-flow-logs.amazonaws.com`,
      `${FLOW} | delivery role writes the log group`,
    ]);
  });

  test('API Gateway: without the account CloudWatch role nothing is written', () => {
    const set = fixture('log-delivery-compliant');
    delete (set.stacks[0].resources as Record<string, unknown>).ApiGatewayAccount18733FDF;
    expect(failing(set)).toEqual([`${ACCESS} | account CloudWatch role trusts apigateway.amazonaws.com`]);
  });

  test('Lambda: the execution role must write its log group', () => {
    const set = fixture('log-delivery-compliant');
    props(set, 'HipaaRtcSignaling', 'IceServersPolicyE2502AEC').PolicyDocument.Statement[0].Resource = {
      'Fn::GetAtt': ['ApiAccessLogs50B185DB', 'Arn'],
    };
    expect(failing(set)).toEqual([`${LAMBDA} | execution role writes the log group`]);
  });

  test('NLB access logs, once enabled, need delivery.logs.amazonaws.com grants on the bucket and its key', () => {
    const set = fixture('log-delivery-compliant');
    props(set, 'HipaaRtcRelay', 'LoadBalancerBE9EEC3A').LoadBalancerAttributes.push(
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      {
        Key: 'access_logs.s3.bucket',
        Value: {
          'Fn::GetStackOutput': {
            StackName: 'hipaa-rtc-example-audit',
            Region: 'us-east-1',
            OutputName: 'AccessLogBucketName',
          },
        },
      },
    );
    (set.stacks[0].outputs as Record<string, unknown>).AccessLogBucketName = {
      Value: { Ref: 'AccessLogBucket99AA64AA' },
    };
    expect(failing(set)).toEqual([
      `${NLB} | bucket policy: s3:GetBucketAcl`,
      `${NLB} | bucket policy: s3:PutObject (bucket-owner-full-control)`,
      `${NLB} | bucket key allows delivery.logs.amazonaws.com`,
    ]);
  });
});

import type { ComplianceException } from './exception';
import { awsConfigRuleExceptions, detectStackExceptions } from './register/detect-exceptions';
import { guardrailsExceptions } from './register/guardrails-exceptions';
import { relayExceptions } from './register/relay-exceptions';
import { relayRegionExceptions, replicaKeyGrantException } from './register/relay-region-exceptions';
import { NEXT_REVIEW, OWNER } from './register/review';
import { signalingExceptions } from './register/signaling-exceptions';

/** What the register needs to know to name findings whose IDs carry deployment-specific text. */
export interface RegisterContext {
  readonly deploymentName: string;
  /**
   * Which Detect-stack services the config creates (entries on resources that do not exist would fail synth).
   * @default - every service is created (the example config)
   */
  readonly detect?: { readonly backup: { readonly mode: 'create' | 'existing'; readonly copyToRegion?: string } };
  /**
   * The relay Regions after the home one (config relay.regions): each has its own Relay and Guardrails stacks, whose
   * findings are the home stacks' findings under the Region's stack IDs, plus the Region's baseline.
   * @default - none
   */
  readonly furtherRelayRegions?: readonly string[];
}

const CUSTOM_RESOURCE_FUNCTION = 'HipaaRtcAudit/AWS679f53fac002430cb0da5b7982bd2287/Resource';
const CUSTOM_RESOURCE_FUNCTION_ROLE =
  "The function is CDK's AwsCustomResource provider. It runs only while CloudFormation deploys the Audit stack, calls two account-level APIs (EC2 EnableEbsEncryptionByDefault, S3 Control PutPublicAccessBlock) and never handles PHI.";

/**
 * Every compliance exception in the app: the findings that cannot be fixed, each with its reason, compensating
 * control, owner and review date. Nothing else in the code base may acknowledge a finding.
 */
export function exceptionRegister(context: RegisterContext): ComplianceException[] {
  return [
    ...[
      'HipaaRtcAudit/AccessLogBucket/Resource/Resource',
      'HipaaRtcAudit/AuditLogBucket/Resource/Resource',
      'HipaaRtcGuardrails/EligibilityHook/LogBucket/Resource/Resource',
    ].map((path): ComplianceException => ({
      ruleId: 'HIPAA.Security-S3BucketReplicationEnabled',
      path,
      reason:
        'Cross-region replication of audit evidence (trail logs, access logs, Guard Hook evaluation logs) is a disaster-recovery choice that needs a second region approved for PHI and a bucket stack there; the project does not provision one yet.',
      compensatingControl:
        'Versioning, lifecycle retention and (audit bucket) Object Lock default retention prevent loss or alteration; S3 stores objects redundantly across at least three AZs.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      owner: OWNER,
      expires: NEXT_REVIEW,
    })),
    {
      ruleId: 'HIPAA.Security-S3BucketReplicationEnabled',
      path: 'HipaaRtcData/RecordingsBucket/Resource/Resource',
      reason:
        'Recording replication needs a second region approved for PHI, a replica key there and a retention decision per deployment; it is not configured by default.',
      compensatingControl:
        'Versioning keeps every overwritten or deleted recording recoverable; RETAIN keeps the bucket on stack deletion; S3 stores objects across at least three AZs.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: 'HIPAA.Security-LambdaConcurrency',
      path: CUSTOM_RESOURCE_FUNCTION,
      reason: `${CUSTOM_RESOURCE_FUNCTION_ROLE} Reserving concurrency fails in new accounts whose Lambda quota is still the default 10.`,
      compensatingControl:
        'CloudFormation invokes it at most once per custom resource per deployment; its role can call only the two account-level APIs.',
      safeguard: '164.308(a)(1)(ii)(B) risk management',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: 'HIPAA.Security-LambdaDLQ',
      path: CUSTOM_RESOURCE_FUNCTION,
      reason: `${CUSTOM_RESOURCE_FUNCTION_ROLE} A failed invocation fails the CloudFormation deployment, so no event can be silently lost.`,
      compensatingControl:
        'CloudFormation reports and rolls back a failed custom resource; the function writes to a KMS-encrypted log group under the project prefix.',
      safeguard: '164.312(b) audit controls',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: 'HIPAA.Security-LambdaInsideVPC',
      path: CUSTOM_RESOURCE_FUNCTION,
      reason: `${CUSTOM_RESOURCE_FUNCTION_ROLE} A VPC with endpoints only for this deploy-time call would add cost and no protection.`,
      compensatingControl:
        'The role allows only ec2:EnableEbsEncryptionByDefault and s3:PutAccountPublicAccessBlock; every call is recorded by CloudTrail.',
      safeguard: '164.312(e)(1) transmission security',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: 'AwsSolutions-IAM5[Resource::*]',
      path: 'HipaaRtcAudit/AccountSettings/Policy/Resource',
      reason:
        'ec2:EnableEbsEncryptionByDefault and s3:PutAccountPublicAccessBlock are account-level actions that support no resource ARN, so IAM only accepts "*".',
      compensatingControl:
        'The statement lists exactly those two actions; the role is assumable only by Lambda and used only by the account-settings custom resource.',
      safeguard: '164.308(a)(4) information access management',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: 'AwsSolutions-IAM5[Resource::*]',
      path: 'HipaaRtcAudit/ApiGatewayAccount/Policy/Resource',
      reason:
        'logs:DescribeLogGroups supports no resource-level permissions, so IAM only accepts "*" for it; API Gateway calls it before writing logs.',
      compensatingControl:
        'The wildcard statement allows only logs:DescribeLogGroups (metadata, no log content); writes are limited to named log-group prefixes.',
      safeguard: '164.308(a)(4) information access management',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId:
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:API-Gateway-Execution-Logs_*]',
      path: 'HipaaRtcAudit/ApiGatewayAccount/Policy/Resource',
      reason:
        'API Gateway names execution-log groups API-Gateway-Execution-Logs_<api-id>/<stage> itself; the API IDs are unknown until deployment, so a prefix is the narrowest possible resource.',
      compensatingControl:
        'Only API Gateway can assume the role (aws:SourceAccount condition); it can write logs but not read them or touch other log groups.',
      safeguard: '164.312(b) audit controls',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/hipaa-rtc/${context.deploymentName}/*]`,
      path: 'HipaaRtcAudit/ApiGatewayAccount/Policy/Resource',
      reason:
        'Stages write access logs to log groups that other stacks create later under the deployment prefix; naming each would couple the account setting to every API.',
      compensatingControl:
        "The prefix holds only this deployment's KMS-encrypted log groups; the role can write logs but not read them.",
      safeguard: '164.312(b) audit controls',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    {
      ruleId: 'AwsSolutions-IAM5[Resource::<EligibilityHookLogBucketA2DC2DA5.Arn>/*]',
      path: 'HipaaRtcGuardrails/EligibilityHook/ExecutionPolicy/Resource',
      reason:
        'CloudFormation Hooks chooses the object keys of its evaluation logs (per stack, operation and resource) at run time, so no narrower key than the bucket-wide pattern can be named.',
      compensatingControl:
        'One action (s3:PutObject) on one bucket that holds nothing but hook logs; only hooks.cloudformation.amazonaws.com from this account can assume the role.',
      safeguard: '164.312(b) audit controls',
      owner: OWNER,
      expires: NEXT_REVIEW,
    },
    ...signalingExceptions(),
    ...relayExceptions(),
    ...guardrailsExceptions(),
    ...(context.furtherRelayRegions ?? []).flatMap((region) => relayRegionExceptions(region)),
    ...((context.furtherRelayRegions ?? []).length > 0 ? [replicaKeyGrantException()] : []),
    ...detectStackExceptions({
      backupCreated: (context.detect?.backup.mode ?? 'create') === 'create',
      copyToRegion: context.detect?.backup.copyToRegion,
    }),
    ...awsConfigRuleExceptions(),
  ];
}

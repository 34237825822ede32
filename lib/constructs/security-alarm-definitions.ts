/**
 * The account's security alarms as data: CloudWatch Logs filter patterns over the CloudTrail log group, after the
 * CIS AWS Foundations Benchmark monitoring controls. Each maps to the HIPAA Security Rule item it serves.
 */
export interface SecurityAlarmDefinition {
  /** Stable construct ID and metric name. Never rename: alarms and dashboards refer to it. */
  readonly id: string;
  /** What a responder reads in the alarm. */
  readonly description: string;
  /** CloudWatch Logs JSON filter pattern matched against CloudTrail records. */
  readonly filterPattern: string;
  readonly hipaa: string;
}

function anyEvent(names: readonly string[]): string {
  return names.map((name) => `($.eventName = ${name})`).join(' || ');
}

const IAM_POLICY_EVENTS = [
  'DeleteGroupPolicy',
  'DeleteRolePolicy',
  'DeleteUserPolicy',
  'PutGroupPolicy',
  'PutRolePolicy',
  'PutUserPolicy',
  'CreatePolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'DeletePolicyVersion',
  'SetDefaultPolicyVersion',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'AttachUserPolicy',
  'DetachUserPolicy',
  'AttachGroupPolicy',
  'DetachGroupPolicy',
];
const TRAIL_EVENTS = ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging', 'PutEventSelectors'];
// PutKeyPolicy is the only way to change who may use a key through its policy; every key-policy change, whether by
// a reviewed deployment or by the break-glass path, raises this alarm (docs/keys.md). ReplicateKey and the
// imported-material calls are in no role's key-policy statement; any use of them is unexpected.
const KMS_EVENTS = [
  'DisableKey',
  'ScheduleKeyDeletion',
  'PutKeyPolicy',
  'DisableKeyRotation',
  'ReplicateKey',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
];
const SECURITY_GROUP_EVENTS = [
  'AuthorizeSecurityGroupIngress',
  'AuthorizeSecurityGroupEgress',
  'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress',
  'CreateSecurityGroup',
  'DeleteSecurityGroup',
  'ModifySecurityGroupRules',
];
const NACL_EVENTS = [
  'CreateNetworkAcl',
  'CreateNetworkAclEntry',
  'DeleteNetworkAcl',
  'DeleteNetworkAclEntry',
  'ReplaceNetworkAclEntry',
  'ReplaceNetworkAclAssociation',
];

export const SECURITY_ALARMS: readonly SecurityAlarmDefinition[] = [
  {
    id: 'RootAccountUse',
    description: 'The root user made an API call or signed in. Root use should never happen in normal operation.',
    filterPattern:
      '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    hipaa: '164.308(a)(1)(ii)(D) information system activity review',
  },
  {
    id: 'UnauthorizedApiCalls',
    description: 'API calls were denied (AccessDenied / UnauthorizedOperation): probing or a misconfigured principal.',
    filterPattern:
      '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    hipaa: '164.308(a)(5)(ii)(C) log-in monitoring',
  },
  {
    id: 'ConsoleSignInWithoutMfa',
    description: 'An IAM user signed in to the console without MFA.',
    filterPattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    hipaa: '164.312(d) person or entity authentication',
  },
  {
    id: 'IamPolicyChanges',
    description: 'An IAM policy was created, changed, attached or detached.',
    filterPattern: `{ ${anyEvent(IAM_POLICY_EVENTS)} }`,
    hipaa: '164.308(a)(4) information access management',
  },
  {
    id: 'CloudTrailChanges',
    description: 'A trail was created, changed, stopped or deleted, or its event selectors changed.',
    filterPattern: `{ ${anyEvent(TRAIL_EVENTS)} }`,
    hipaa: '164.312(b) audit controls',
  },
  {
    id: 'KmsKeyDisabledOrScheduledForDeletion',
    description:
      'A KMS key was disabled, scheduled for deletion, lost rotation, had its key policy replaced, was replicated, or had key material imported or deleted.',
    filterPattern: `{ ($.eventSource = kms.amazonaws.com) && (${anyEvent(KMS_EVENTS)}) }`,
    hipaa: '164.312(a)(2)(iv) encryption and decryption',
  },
  {
    id: 'SecurityGroupChanges',
    description: 'A security group or one of its rules was created, changed or deleted.',
    filterPattern: `{ ${anyEvent(SECURITY_GROUP_EVENTS)} }`,
    hipaa: '164.312(e)(1) transmission security',
  },
  {
    id: 'NetworkAclChanges',
    description: 'A network ACL or one of its entries was created, changed or deleted.',
    filterPattern: `{ ${anyEvent(NACL_EVENTS)} }`,
    hipaa: '164.312(e)(1) transmission security',
  },
];

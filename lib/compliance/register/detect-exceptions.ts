import type { ComplianceException } from '../exception';
import { AWS_CONFIG_RULE_PREFIX } from '../exception';
import { SECURITY_ALARMS } from '../../constructs/security-alarm-definitions';
import { NEXT_REVIEW, OWNER } from './review';

const common = { owner: OWNER, expires: NEXT_REVIEW };
const RELAY = 'HipaaRtcRelay';
const PUBLIC_RELAYS =
  'TURN relays must be reachable from the internet: browsers behind hospital firewalls and symmetric NATs reach them through the load balancer, and each relay advertises its own public address for UDP media.';

/** What decides which Detect-stack resources exist. */
export interface DetectRegisterContext {
  /** False when `detect.backup.mode` is `existing` (no backup role, so no exceptions on it). */
  readonly backupCreated: boolean;
  /** The region backups are copied to, when set (the backup role then names that region's keys). */
  readonly copyToRegion?: string;
}

/** Findings on the Detect stack's own resources. */
export function detectStackExceptions(context: DetectRegisterContext): ComplianceException[] {
  if (!context.backupCreated) return [];
  const copyKey: ComplianceException[] = context.copyToRegion
    ? [
        {
          ruleId: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:${context.copyToRegion}:<AWS::AccountId>:key/*]`,
          path: 'HipaaRtcDetect/Backup/KeyPolicy/Resource',
          reason:
            "The copy vault's key lives in another region and its key ID is generated there; naming it would need a cross-region reference (custom resources in both regions). The statement names that region's keys and is narrowed by the copy key's alias.",
          compensatingControl:
            'Condition kms:ResourceAliases = alias/hipaa-rtc/<deployment>/backup-copy limits use to the copy vault key; only AWS Backup from this account can assume the role; CreateGrant only for AWS resources.',
          safeguard: '164.308(a)(7)(ii)(B) disaster recovery plan',
          ...common,
        },
      ]
    : [];
  const managedPolicies = [
    'service-role/AWSBackupServiceRolePolicyForBackup',
    'service-role/AWSBackupServiceRolePolicyForRestores',
    'AWSBackupServiceRolePolicyForS3Backup',
    'AWSBackupServiceRolePolicyForS3Restore',
  ].map((policy): ComplianceException => ({
    ruleId: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}]`,
    path: 'HipaaRtcDetect/Backup/Role/Resource',
    reason:
      'AWS Backup documents these AWS-managed policies as the permissions its service role needs per resource type; AWS updates them when a resource type needs more (S3 backups create EventBridge rules and inventory configurations), which a hand-copied list would miss and so fail backups silently.',
    compensatingControl:
      'Only backup.amazonaws.com from this account can assume the role; the protected stores are selected by ARN (the PHI table and recordings bucket); key use is a separate customer-managed policy naming the data and vault keys.',
    safeguard: '164.308(a)(7)(ii)(A) data backup plan',
    ...common,
  }));
  return [...managedPolicies, ...copyKey];
}

const configRule = (identifier: string) => `${AWS_CONFIG_RULE_PREFIX}${identifier}`;

/**
 * Rules of the HIPAA conformance pack (lib/detect/hipaa-conformance-pack.ts) that the project's own resources fail
 * in the account by design: the public TURN relays and the ports they serve, and the same gaps the synth-time
 * register already accepts (replication, load balancer access logs). AWS Config will report these resources
 * NON_COMPLIANT; each entry is the reviewed reason.
 */
export function awsConfigRuleExceptions(): ComplianceException[] {
  return [
    {
      ruleId: configRule('EC2_INSTANCE_NO_PUBLIC_IP'),
      path: `${RELAY}/LaunchTemplate/Resource`,
      reason: `${PUBLIC_RELAYS} Every relay instance launched from this template gets a public address.`,
      compensatingControl:
        'The relay security group admits the TURN ports only from the load balancer\u2019s group and the UDP relay range from anywhere; no SSH (Session Manager only); IMDSv2 with hop limit 1; coturn refuses private and special-purpose peers and the host firewall backs it up.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
    ...['RelaySubnet1', 'RelaySubnet2'].flatMap((subnet): ComplianceException[] => [
      {
        ruleId: configRule('SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED'),
        path: `${RELAY}/Vpc/${subnet}/Subnet`,
        reason: `${PUBLIC_RELAYS} The relay subnets hold only relays and the load balancer.`,
        compensatingControl:
          'Nothing else is launched in the relay VPC; the relay security group and coturn\u2019s denied-peer ranges limit what a public address exposes; VPC flow logs record all traffic.',
        safeguard: '164.312(e)(1) transmission security',
        ...common,
      },
      {
        ruleId: configRule('NO_UNRESTRICTED_ROUTE_TO_IGW'),
        path: `${RELAY}/Vpc/${subnet}/RouteTable`,
        reason: `${PUBLIC_RELAYS} Relayed media goes to and from any public peer address, so the route must be 0.0.0.0/0.`,
        compensatingControl:
          'coturn denies every special-purpose range and the VPC as peers; the host firewall stops the coturn user reaching metadata and private addresses; VPC flow logs record all traffic.',
        safeguard: '164.312(e)(1) transmission security',
        ...common,
      },
    ]),
    {
      ruleId: configRule('INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY'),
      path: `${RELAY}/Vpc/IGW`,
      reason: `${PUBLIC_RELAYS} The pack runs this rule without an authorized-VPC list, so every attached internet gateway is reported, the relay VPC's included.`,
      compensatingControl:
        'The relay VPC is the only VPC the project creates and holds no PHI store; the signaling API and data stores are regional services outside it.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
    {
      ruleId: configRule('VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS'),
      path: `${RELAY}/RelaySecurityGroup/Resource`,
      reason: `${PUBLIC_RELAYS} Peers send media straight to the relayed address, so the UDP relay port range is open to any address.`,
      compensatingControl:
        'Only the configured UDP relay range is open to the internet; the TURN ports admit only the load balancer\u2019s group; every allocation needs a short-lived HMAC credential, with per-user and total quotas.',
      safeguard: '164.312(a)(1) access control',
      ...common,
    },
    {
      ruleId: configRule('VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS'),
      path: `${RELAY}/LoadBalancerSecurityGroup/Resource`,
      reason: `${PUBLIC_RELAYS} The load balancer is the TURN endpoint every client is given (UDP and TCP 3478, TLS 443), so its listeners admit any address.`,
      compensatingControl:
        'Exactly the listener ports and ICMP for path MTU discovery are open; the group lets out only the target and health-check ports to the relays\u2019 group; every allocation needs a short-lived HMAC credential.',
      safeguard: '164.312(a)(1) access control',
      ...common,
    },
    {
      ruleId: configRule('ELBV2_ACM_CERTIFICATE_REQUIRED'),
      path: `${RELAY}/LoadBalancer/Resource`,
      reason:
        'The TCP_UDP listener on 3478 serves TURN over UDP and plain TCP, which carry no TLS by the TURN standard; the media inside is DTLS-SRTP, end-to-end encrypted between browsers.',
      compensatingControl:
        'The TLS listener (turns: on 443) uses an ACM certificate; TURN credentials are HMAC-based and short-lived, so no secret crosses the plain listener.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
    {
      ruleId: configRule('ELB_LOGGING_ENABLED'),
      path: `${RELAY}/LoadBalancer/Resource`,
      reason:
        'Network Load Balancer access logs cover only TLS listeners and would record client IP addresses (HIPAA identifiers) of every call; the synth-time register accepts the same gap (HIPAA.Security-ELBLoggingEnabled).',
      compensatingControl:
        'VPC flow logs record every flow to the relays; coturn logs allocations with pseudonymous usernames to an encrypted log group.',
      safeguard: '164.312(b) audit controls',
      ...common,
    },
    ...['EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'EBS_IN_BACKUP_PLAN'].map((identifier): ComplianceException => ({
      ruleId: configRule(identifier),
      path: `${RELAY}/LaunchTemplate/Resource`,
      reason:
        'Relays are stateless and disposable: each one is built at boot from this launch template, the digest-pinned coturn image and the TURN secret in Secrets Manager, and the Auto Scaling group replaces any that fails. A backup of an instance or its volume would restore nothing that is not rebuilt anyway.',
      compensatingControl:
        'coturn logs go to an encrypted CloudWatch log group, not to the instance; the launch template and image digest are in the reviewed templates; volumes are encrypted with the relay CMK and deleted with the instance.',
      safeguard: '164.308(a)(7)(ii)(B) disaster recovery plan',
      ...common,
    })),
    // The pack runs CLOUDWATCH_ALARM_ACTION_CHECK with insufficientDataActionRequired: true.
    ...[
      ...SECURITY_ALARMS.map((alarm) => `HipaaRtcAudit/SecurityAlarms/${alarm.id}Alarm/Resource`),
      `${RELAY}/SecretSyncFailing/Resource`,
      `${RELAY}/RotationFunctionErrors/Resource`,
    ].map((path): ComplianceException => ({
      ruleId: configRule('CLOUDWATCH_ALARM_ACTION_CHECK'),
      path,
      reason:
        'Every alarm treats missing data (as not breaching, or for the relay secret sync as breaching), so after its first evaluation it is always OK or ALARM and never rests in INSUFFICIENT_DATA: an INSUFFICIENT_DATA action would never carry a signal. The rule also asks for it on alarms whose ALARM action is the one that matters.',
      compensatingControl:
        'Each alarm has an ALARM action to the encrypted alarm topic, and the paths pack proves at synth that CloudWatch can publish to it through the topic policy and the topic key; the README asks for a set-alarm-state delivery test after deploy.',
      safeguard: '164.308(a)(1)(ii)(D) information system activity review',
      ...common,
    })),
    ...[
      'HipaaRtcAudit/AccessLogBucket/Resource/Resource',
      'HipaaRtcData/RecordingsBucket/Resource/Resource',
      'HipaaRtcGuardrails/EligibilityHook/LogBucket/Resource/Resource',
    ].map((path): ComplianceException => ({
      ruleId: configRule('S3_BUCKET_DEFAULT_LOCK_ENABLED'),
      path,
      reason:
        'Object Lock is kept for evidence that must never change (the audit log bucket and the Guard rules bucket). These buckets hold access logs, recordings and hook logs whose retention is set by lifecycle rules; Object Lock cannot be turned off once enabled, and a locked version cannot expire before its retention ends, which would defeat the lifecycle expiry that data minimisation needs.',
      compensatingControl:
        'Versioning, SSE-KMS with a customer-managed key, TLS-only bucket policies and Block Public Access; CloudTrail data events on the recordings and hook-log buckets; the recordings bucket is also in the locked backup vault.',
      safeguard: '164.312(c)(1) integrity',
      ...common,
    })),
    ...[
      'HipaaRtcAudit/AccessLogBucket/Resource/Resource',
      'HipaaRtcAudit/AuditLogBucket/Resource/Resource',
      'HipaaRtcData/RecordingsBucket/Resource/Resource',
      'HipaaRtcGuardrails/EligibilityHook/Rules/Bucket/Resource',
      'HipaaRtcGuardrails/EligibilityHook/LogBucket/Resource/Resource',
    ].map((path): ComplianceException => ({
      ruleId: configRule('S3_EVENT_NOTIFICATIONS_ENABLED'),
      path,
      reason:
        'No workflow consumes per-object events from these buckets; activity on them is reviewed through the multi-region CloudTrail (S3 data events) and the security alarms, not through bucket notifications.',
      compensatingControl:
        'CloudTrail records object-level events of every bucket except its own and the access-log bucket (recording those would log its own writes; they get S3 server access logs instead); GuardDuty S3 protection analyses the data events and sends medium and higher findings to the alarm topic.',
      safeguard: '164.308(a)(1)(ii)(D) information system activity review',
      ...common,
    })),
    {
      ruleId: configRule('IAM_NO_INLINE_POLICY_CHECK'),
      path: `${RELAY}/Custom::VpcRestrictDefaultSGCustomResourceProvider/Role`,
      reason:
        "CDK's built-in provider for restrictDefaultSecurityGroup (it strips every rule from the VPC's default security group) creates its role with an inline policy, and offers no option to make it managed. It is the only inline policy in the app.",
      compensatingControl:
        'The inline policy allows only ec2:AuthorizeSecurityGroupIngress/Egress and Revoke* on the default security group of the relay VPC; only Lambda can assume the role.',
      safeguard: '164.312(a)(1) access control',
      ...common,
    },
    {
      ruleId: configRule('DYNAMODB_IN_BACKUP_PLAN'),
      path: 'HipaaRtcSignaling/ConnectionsTable/Resource/Resource',
      reason:
        'The signaling table holds short-lived state only, each item with a TTL: open connections, room seats, rate-limit counters, and room grants that the application backend writes from its own visit schedule and can write again. It holds no PHI, and the backup plan covers the PHI stores (records table, recordings bucket).',
      compensatingControl:
        'Point-in-time recovery (35 days) and deletion protection are on, the table is encrypted with a customer-managed key and retained when the stack is deleted.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      ...common,
    },
    ...[
      'HipaaRtcAudit/AccessLogBucket/Resource/Resource',
      'HipaaRtcAudit/AuditLogBucket/Resource/Resource',
      'HipaaRtcGuardrails/EligibilityHook/LogBucket/Resource/Resource',
    ].map((path): ComplianceException => ({
      ruleId: configRule('S3_BUCKET_REPLICATION_ENABLED'),
      path,
      reason:
        'Cross-region replication of evidence needs a second region approved for PHI and a bucket stack there; the synth-time register accepts the same gap (HIPAA.Security-S3BucketReplicationEnabled).',
      compensatingControl:
        'Versioning, lifecycle retention and (audit bucket) Object Lock prevent loss or alteration; S3 stores objects across at least three AZs.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      ...common,
    })),
    {
      ruleId: configRule('S3_BUCKET_REPLICATION_ENABLED'),
      path: 'HipaaRtcData/RecordingsBucket/Resource/Resource',
      reason:
        'Recordings are protected by AWS Backup (daily and monthly recovery points in a locked vault, optionally copied to a second region) instead of replication.',
      compensatingControl:
        'The Detect stack\u2019s backup plan covers the bucket; restore tests restore its latest recovery point on a schedule and report failures to the alarm topic; versioning keeps every overwritten recording.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      ...common,
    },
  ];
}

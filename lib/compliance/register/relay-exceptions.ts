import type { ComplianceException } from '../exception';
import { NEXT_REVIEW, OWNER } from './review';

const common = { owner: OWNER, expires: NEXT_REVIEW };
const PUBLIC_RELAYS =
  'A TURN relay is reachable from the internet by design: browsers behind hospital firewalls and symmetric NATs must reach it, and each relay advertises its own public address for UDP media.';

/** Findings on the Relay stack that follow from running a public TURN relay, and one gap with an early expiry. */
export function relayExceptions(
  stack = 'HipaaRtcRelay',
  { rotation = true }: { readonly rotation?: boolean } = {},
): ComplianceException[] {
  return [
    ...['RelaySubnet1', 'RelaySubnet2'].flatMap((subnet): ComplianceException[] => [
      {
        ruleId: 'HIPAA.Security-VPCSubnetAutoAssignPublicIpDisabled',
        path: `${stack}/Vpc/${subnet}/Subnet`,
        reason: PUBLIC_RELAYS,
        compensatingControl:
          'The subnets hold only relays and the load balancer; the relays admit the TURN ports only from the load balancer\u2019s security group and the UDP relay range from anywhere, there is no SSH, and IMDSv2 is required with hop limit 1.',
        safeguard: '164.312(e)(1) transmission security',
        ...common,
      },
      {
        ruleId: 'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
        path: `${stack}/Vpc/${subnet}/DefaultRoute`,
        reason: PUBLIC_RELAYS,
        compensatingControl:
          'coturn denies every special-purpose range and the VPC as peers, and the host firewall stops the coturn user reaching metadata and private addresses; VPC flow logs record all traffic.',
        safeguard: '164.312(e)(1) transmission security',
        ...common,
      },
    ]),
    {
      ruleId: 'AwsSolutions-EC23',
      path: `${stack}/RelaySecurityGroup/Resource`,
      reason: `${PUBLIC_RELAYS} Client addresses are not known in advance.`,
      compensatingControl:
        'Only the configured UDP relay range is open to the internet (peers send media straight to the relayed address); the TURN ports (3478 UDP/TCP, 5349 TCP) admit only the load balancer\u2019s security group. Every allocation needs a short-lived HMAC credential; per-user and total quotas and bandwidth caps limit abuse.',
      safeguard: '164.312(a)(1) access control',
      ...common,
    },
    {
      ruleId: 'AwsSolutions-EC23',
      path: `${stack}/LoadBalancerSecurityGroup/Resource`,
      reason: `${PUBLIC_RELAYS} The load balancer is the TURN endpoint every client is given (turn: and turns: URLs), so its listeners must admit any address.`,
      compensatingControl:
        'Exactly the listener ports are open (TCP and UDP 3478, TCP 443) plus ICMP type 3 code 4 for path MTU discovery, as AWS recommends; the group lets out only the target and health-check ports, to the relays\u2019 security group. Every allocation needs a short-lived HMAC credential.',
      safeguard: '164.312(a)(1) access control',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-ELBv2ACMCertificateRequired',
      path: `${stack}/LoadBalancer/TurnTcpUdp/Resource`,
      reason:
        'TURN over UDP and plain TCP on port 3478 (one TCP_UDP listener) is part of the standard: UDP is the media path and TCP the fallback for networks that block UDP. A certificate applies only to TLS listeners. The media inside is DTLS-SRTP, end-to-end encrypted between browsers, which the relay cannot decrypt.',
      compensatingControl:
        'TLS (turns: on 443, TLS 1.2+) is offered on the same load balancer; TURN credentials are HMAC-based and short-lived, so no secret crosses the plain listener.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
    ...['HIPAA.Security-ELBLoggingEnabled', 'AwsSolutions-ELB2'].map((ruleId): ComplianceException => ({
      ruleId,
      path: `${stack}/LoadBalancer/Resource`,
      reason:
        'Network Load Balancer access logs exist only for TLS listeners and need a bucket policy for the log delivery service on the audit account bucket; not wired yet, and they would not cover UDP or plain TCP.',
      compensatingControl:
        'VPC flow logs (ALL traffic) and coturn session logs (allocation, permission and close events, no payloads) record every relay session in KMS-encrypted log groups.',
      safeguard: '164.312(b) audit controls',
      ...common,
    })),
    ...(rotation ? rotationFunctionExceptions(stack) : []),
    {
      ruleId: 'AwsSolutions-IAM5[Resource::*]',
      path: `${stack}/InstancePolicy/Resource`,
      reason:
        'ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level permissions, so IAM only accepts "*" for them.',
      compensatingControl:
        'Image pulls (BatchGetImage, GetDownloadUrlForLayer) are limited to the one coturn repository, and instances run only a digest-pinned image; PutMetricData is limited by condition to the hipaa-rtc/relay namespace (the secret sync metric).',
      safeguard: '164.308(a)(4) information access management',
      ...common,
    },
    {
      ruleId: 'AwsSolutions-IAM5[Resource::*]',
      path: `${stack}/FlowLogPolicy/Resource`,
      reason: 'logs:DescribeLogGroups supports no resource-level permissions; VPC flow logs call it before delivering.',
      compensatingControl:
        'Writes are limited to the relay flow-log group; only vpc-flow-logs.amazonaws.com from this account can assume the role.',
      safeguard: '164.312(b) audit controls',
      ...common,
    },
    {
      ruleId: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]',
      path: `${stack}/InstanceRole/Resource`,
      reason:
        'Session Manager replaces SSH (no key pair, no port 22); AWS maintains the exact set of actions the SSM agent needs in this managed policy.',
      compensatingControl:
        'Session Manager sessions are recorded by CloudTrail; the role holds no data permissions beyond the TURN secret and the relay log group.',
      safeguard: '164.312(a)(1) access control',
      ...common,
    },
    {
      ruleId: 'AwsSolutions-AS3',
      path: `${stack}/Fleet/ASG`,
      reason:
        'Scaling notifications would need the audit stack\u2019s security topic in this stack; scaling events are operational, not security events.',
      compensatingControl:
        'CloudTrail records every Auto Scaling API call and the security alarms cover IAM, network and key changes; the fleet scales on a target-tracking policy only.',
      safeguard: '164.308(a)(1)(ii)(D) information system activity review',
      ...common,
    },
  ];
}

/** The TURN secret rotation function: Lambda findings that do not fit how it is invoked and what it calls. */
function rotationFunctionExceptions(stack: string): ComplianceException[] {
  const path = `${stack}/TurnSecretRotation/Function/Resource`;
  return [
    {
      ruleId: 'HIPAA.Security-LambdaDLQ',
      path,
      reason:
        'The schedule invokes the function every 5 minutes with the same constant input ({"action":"advance"}) and every invocation re-reads the secret, so a failed event carries nothing a later one lacks. Secrets Manager invokes the rotation steps itself, and AWS documents that when a rotation fails it retries the entire rotation process multiple times during the secret\u2019s open rotation windows (Secrets Manager user guide, rotation by Lambda function; DescribeSecret NextRotationDate); a queue of failed step events would hold nothing to replay.',
      compensatingControl:
        'Every invocation logs its outcome or failure (error class, and the reason for refusals, never a secret) to the KMS-encrypted function log group; CloudTrail records every PutSecretValue and UpdateSecretVersionStage on the secret.',
      safeguard: '164.312(b) audit controls',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaInsideVPC',
      path,
      reason:
        'The function calls only the Secrets Manager API over TLS; the relay VPC has public subnets only, so a VPC attachment would need a NAT gateway or an interface endpoint and adds no control over that one call.',
      compensatingControl:
        'A customer-managed policy limits it to four actions on the one TURN secret and to the secret key through Secrets Manager; it has no inbound network path; only Secrets Manager rotating this secret in this account, and the advance rule, may invoke it.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaConcurrency',
      path,
      reason:
        'Reserved concurrency would fail deployment in new accounts whose Lambda quota is 10, and is not needed for correctness: every write is conditional (deterministic version IDs, RemoveFromVersionId), so concurrent invocations cannot both advance a rotation.',
      compensatingControl:
        'At most one invocation every 5 minutes from the schedule plus the four rotation steps per rotation; racing invocations are tested to write one version between them.',
      safeguard: '164.308(a)(7)(ii)(B) disaster recovery plan',
      ...common,
    },
  ];
}

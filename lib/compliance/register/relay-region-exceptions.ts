import type { ComplianceException } from '../exception';
import { guardrailsExceptions } from './guardrails-exceptions';
import { relayExceptions } from './relay-exceptions';
import { NEXT_REVIEW, OWNER } from './review';

const common = { owner: OWNER, expires: NEXT_REVIEW };

/**
 * Findings on a further relay Region's stacks (`HipaaRtcRelay-<region>`, `HipaaRtcGuardrails-<region>`). They are the
 * home Relay and Guardrails stacks' findings, for the same reasons, under the Region's stack IDs; plus the Region's
 * baseline (its access-log bucket) and the EBS-encryption-by-default custom resource, which in a further Region lives
 * in the Relay stack (RelayStackProps.ebsEncryptionByDefault says why). The stack IDs follow regionalStackId().
 */
export function relayRegionExceptions(region: string): ComplianceException[] {
  const relay = `HipaaRtcRelay-${region}`;
  const guardrails = `HipaaRtcGuardrails-${region}`;
  const accountSettingsFunction = `${relay}/AWS679f53fac002430cb0da5b7982bd2287/Resource`;
  const accountSettingsRole = `The function is CDK's AwsCustomResource provider. It runs only while CloudFormation deploys the ${relay} stack, calls one account-level API (EC2 EnableEbsEncryptionByDefault in ${region}) and never handles PHI.`;
  return [
    // No rotation function here: the Region's relays read the home secret's replica.
    ...relayExceptions(relay, { rotation: false }),
    ...guardrailsExceptions(guardrails),
    ...[
      `${guardrails}/EligibilityHook/LogBucket/Resource/Resource`,
      `${guardrails}/RegionalBaseline/AccessLogBucket/Resource/Resource`,
    ].map((path): ComplianceException => ({
      ruleId: 'HIPAA.Security-S3BucketReplicationEnabled',
      path,
      reason: `Guard Hook evaluation logs and S3 access logs of the relay Region ${region} hold no PHI; replicating them would need a further Region approved for the deployment and a bucket there.`,
      compensatingControl:
        'Versioning and lifecycle retention prevent loss or alteration; S3 stores objects redundantly across at least three AZs; CloudTrail (multi-Region, home bucket with Object Lock) records every API call in the Region.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      ...common,
    })),
    {
      ruleId: 'AwsSolutions-IAM5[Resource::<EligibilityHookLogBucketA2DC2DA5.Arn>/*]',
      path: `${guardrails}/EligibilityHook/ExecutionPolicy/Resource`,
      reason:
        'CloudFormation Hooks chooses the object keys of its evaluation logs (per stack, operation and resource) at run time, so no narrower key than the bucket-wide pattern can be named.',
      compensatingControl:
        'One action (s3:PutObject) on one bucket that holds nothing but hook logs; only hooks.cloudformation.amazonaws.com from this account can assume the role.',
      safeguard: '164.312(b) audit controls',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaConcurrency',
      path: accountSettingsFunction,
      reason: `${accountSettingsRole} Reserving concurrency fails in accounts whose Lambda quota in the Region is still the default 10.`,
      compensatingControl:
        'CloudFormation invokes it at most once per deployment; its role can call only the one account-level API.',
      safeguard: '164.308(a)(1)(ii)(B) risk management',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaDLQ',
      path: accountSettingsFunction,
      reason: `${accountSettingsRole} A failed invocation fails the CloudFormation deployment, so no event can be silently lost.`,
      compensatingControl:
        'CloudFormation reports and rolls back a failed custom resource; the function writes to a KMS-encrypted log group under the project prefix.',
      safeguard: '164.312(b) audit controls',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaInsideVPC',
      path: accountSettingsFunction,
      reason: `${accountSettingsRole} A VPC with endpoints only for this deploy-time call would add cost and no protection.`,
      compensatingControl:
        'The role allows only ec2:EnableEbsEncryptionByDefault; every call is recorded by the multi-Region CloudTrail trail.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
    {
      ruleId: 'AwsSolutions-IAM5[Resource::*]',
      path: `${relay}/AccountSettings/Policy/Resource`,
      reason:
        'ec2:EnableEbsEncryptionByDefault is an account-level action that supports no resource ARN, so IAM only accepts "*".',
      compensatingControl:
        'The statement lists exactly that action; the role is assumable only by Lambda and used only by the account-settings custom resource.',
      safeguard: '164.308(a)(4) information access management',
      ...common,
    },
  ];
}

/**
 * The home rotation function's grant on the further Regions' relay keys (lib/constructs/turn-secret-rotation.ts,
 * replicaKeyStatements): once, when the deployment has further relay Regions.
 */
export function replicaKeyGrantException(): ComplianceException {
  return {
    ruleId: 'AwsSolutions-IAM5[Resource::arn:aws:kms:*:<AWS::AccountId>:key/*]',
    path: 'HipaaRtcRelay/TurnSecretRotation/Policy/Resource',
    reason:
      "Secrets Manager re-encrypts every new version of the TURN secret for each replica with that Region's relay key, using the identity that wrote it (the rotation function). Those keys live in other Regions' stacks, so the home template can name them only by alias and Region, not by ARN: a cross-Region ARN would be a hard-coded or cross-stack reference across Regions.",
    compensatingControl:
      'Three actions (kms:Decrypt to read the replicas, kms:Encrypt and kms:GenerateDataKey for their re-encryption), only through Secrets Manager in the listed replica Regions (kms:ViaService), and only on keys carrying the relay key alias (kms:ResourceAliases); the function can write no secret but the TURN secret.',
    safeguard: '164.308(a)(4) information access management',
    ...common,
  };
}

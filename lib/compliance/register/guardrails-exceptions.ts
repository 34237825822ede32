import type { ComplianceException } from '../exception';
import { HIPAA_ELIGIBILITY_RULE_ID } from '../packs/hipaa-eligibility-checks';
import { NEXT_REVIEW, OWNER } from './review';

const common = { owner: OWNER, expires: NEXT_REVIEW };
const RULES_WRITER_ROLE =
  "The function is CDK's AwsCustomResource provider. It runs only while CloudFormation deploys the Guardrails stack, makes one S3 PutObject of the Guard rule file (text generated at synth, no PHI) and returns the object's VersionId.";

/**
 * Findings on the Guardrails stack: the hook itself is a hook-management type (refused in every other stack), and
 * the custom resource that writes its rules is a deploy-time function.
 */
export function guardrailsExceptions(stack = 'HipaaRtcGuardrails'): ComplianceException[] {
  /** The singleton function of CDK's AwsCustomResource in this stack: the writer of the Guard rule file. */
  const RULES_WRITER_FUNCTION = `${stack}/AWS679f53fac002430cb0da5b7982bd2287/Resource`;
  return [
    {
      ruleId: HIPAA_ELIGIBILITY_RULE_ID,
      path: `${stack}/EligibilityHook/Resource`,
      reason:
        'This Guard Hook is the deploy-time eligibility gate itself. Hook-management types are refused in every other stack because they can reconfigure or disable it; the Guardrails stack is the one place that must hold one. It stores, processes and transmits no PHI.',
      compensatingControl:
        'At deploy, the hook allows hook-management types only in the stack named <deployment>-guardrails (StackId match), never through Cloud Control; its rules are an Object-Locked S3 version it is pinned to by VersionId; the stack is termination-protected; every change is recorded by CloudTrail.',
      safeguard: '164.308(a)(1)(ii)(B) risk management',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-S3BucketReplicationEnabled',
      path: `${stack}/EligibilityHook/Rules/Bucket/Resource`,
      reason:
        'The bucket holds only the generated Guard rule file; every version can be regenerated from the repository at the commit that deployed it, and a hook is regional, so a replica in another region would serve no hook.',
      compensatingControl:
        'Versioning with Object Lock default retention and a bucket policy that denies deletes keep every version the hook ever enforced; S3 stores objects redundantly across at least three AZs.',
      safeguard: '164.308(a)(7)(ii)(A) data backup plan',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaConcurrency',
      path: RULES_WRITER_FUNCTION,
      reason: `${RULES_WRITER_ROLE} Reserving concurrency fails in new accounts whose Lambda quota is still the default 10.`,
      compensatingControl:
        'CloudFormation invokes it at most once per rules change per deployment; its role can put only the one rule object and log to its own log group.',
      safeguard: '164.308(a)(1)(ii)(B) risk management',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaDLQ',
      path: RULES_WRITER_FUNCTION,
      reason: `${RULES_WRITER_ROLE} A failed invocation fails the CloudFormation deployment, so no event can be silently lost.`,
      compensatingControl:
        'CloudFormation reports and rolls back a failed custom resource, and the hook stays pinned to the previous version; the function writes to a KMS-encrypted log group under the project prefix.',
      safeguard: '164.312(b) audit controls',
      ...common,
    },
    {
      ruleId: 'HIPAA.Security-LambdaInsideVPC',
      path: RULES_WRITER_FUNCTION,
      reason: `${RULES_WRITER_ROLE} A VPC with an S3 endpoint only for this deploy-time call would add cost and no protection.`,
      compensatingControl:
        'The role allows only s3:PutObject on the one rule object (and KMS through S3 for that bucket); the bucket policy denies puts by anyone else; every call is recorded by CloudTrail.',
      safeguard: '164.312(e)(1) transmission security',
      ...common,
    },
  ];
}

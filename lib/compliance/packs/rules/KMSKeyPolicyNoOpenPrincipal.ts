import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';

function isOpenPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object' && 'AWS' in principal) {
    const aws = (principal as { AWS: unknown }).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

/** No key-policy Allow statement grants to every principal without a restricting condition. */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnKey)) return NagRuleCompliance.NOT_APPLICABLE;
    const policy = Stack.of(node).resolve(node.keyPolicy) as { Statement?: unknown } | undefined;
    const statements = Array.isArray(policy?.Statement) ? (policy!.Statement as Record<string, unknown>[]) : [];
    const open = statements.some(
      (s) =>
        s.Effect === 'Allow' &&
        isOpenPrincipal(s.Principal) &&
        (s.Condition === undefined || Object.keys(s.Condition as object).length === 0),
    );
    return open ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

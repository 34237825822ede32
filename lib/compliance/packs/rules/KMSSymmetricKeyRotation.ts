import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';

/** Symmetric KMS keys rotate at least yearly (HIPAA pack has no rotation rule). */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnKey)) return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    const keySpec = stack.resolve(node.keySpec);
    if (keySpec !== undefined && keySpec !== 'SYMMETRIC_DEFAULT') return NagRuleCompliance.NOT_APPLICABLE;
    if (stack.resolve(node.enableKeyRotation) !== true) return NagRuleCompliance.NON_COMPLIANT;
    const period = stack.resolve(node.rotationPeriodInDays);
    return period === undefined || (typeof period === 'number' && period <= 365)
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

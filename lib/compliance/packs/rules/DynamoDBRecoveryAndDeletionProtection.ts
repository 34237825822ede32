import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { NagRuleCompliance } from 'cdk-nag';

/** Both Table and GlobalTable replicas carry these two settings (possibly as tokens, hence resolve()). */
interface Protection {
  readonly pointInTimeRecoverySpecification?: unknown;
  readonly deletionProtectionEnabled?: unknown;
}

function isProtected(stack: Stack, spec: Protection): boolean {
  const pitr = stack.resolve(spec.pointInTimeRecoverySpecification) as
    { pointInTimeRecoveryEnabled?: unknown } | undefined;
  return pitr?.pointInTimeRecoveryEnabled === true && stack.resolve(spec.deletionProtectionEnabled) === true;
}

/**
 * Point-in-time recovery and deletion protection on every DynamoDB table, including each GlobalTable replica
 * (cdk-nag's DynamoDBPITREnabled only looks at Table, so TableV2 escapes it).
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    const stack = Stack.of(node);
    if (node instanceof CfnTable) {
      return isProtected(stack, node) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    if (node instanceof CfnGlobalTable) {
      const replicas = (stack.resolve(node.replicas) ?? []) as Protection[];
      return replicas.length > 0 && replicas.every((r) => isProtected(stack, r))
        ? NagRuleCompliance.COMPLIANT
        : NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
  'name',
  { value: parse(__filename).name },
);

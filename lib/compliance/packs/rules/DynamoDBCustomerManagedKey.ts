import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnGlobalTable, CfnTable } from 'aws-cdk-lib/aws-dynamodb';
import { NagRuleCompliance } from 'cdk-nag';

/** DynamoDB tables (Table and GlobalTable, every replica) are encrypted with a customer-managed KMS key. */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    const stack = Stack.of(node);
    if (node instanceof CfnTable) {
      const sse = stack.resolve(node.sseSpecification);
      return sse?.sseEnabled === true && sse?.sseType === 'KMS' && sse?.kmsMasterKeyId !== undefined
        ? NagRuleCompliance.COMPLIANT
        : NagRuleCompliance.NON_COMPLIANT;
    }
    if (node instanceof CfnGlobalTable) {
      const sse = stack.resolve(node.sseSpecification);
      const replicas = (stack.resolve(node.replicas) ?? []) as Array<{
        sseSpecification?: { kmsMasterKeyId?: unknown };
      }>;
      const everyReplicaHasKey =
        replicas.length > 0 && replicas.every((r) => stack.resolve(r.sseSpecification)?.kmsMasterKeyId !== undefined);
      return sse?.sseEnabled === true && sse?.sseType === 'KMS' && everyReplicaHasKey
        ? NagRuleCompliance.COMPLIANT
        : NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
  'name',
  { value: parse(__filename).name },
);

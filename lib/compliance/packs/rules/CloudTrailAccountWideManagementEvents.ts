import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { NagRuleCompliance } from 'cdk-nag';

const json = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Trails cover every region and global services, and record all management events including reads and KMS
 * (reads such as kms:Decrypt are the record of who used a PHI key).
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnTrail)) return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    if (stack.resolve(node.isMultiRegionTrail) !== true || stack.resolve(node.includeGlobalServiceEvents) !== true) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    const basic = (stack.resolve(node.eventSelectors) ?? []) as Array<Record<string, unknown>>;
    const advanced = (stack.resolve(node.advancedEventSelectors) ?? []) as Array<{
      fieldSelectors?: Array<Record<string, unknown>>;
    }>;
    if (advanced.length > 0) {
      const management = advanced.filter((s) =>
        (s.fieldSelectors ?? []).some((f) => f.field === 'eventCategory' && json(f.equalTo) === '["Management"]'),
      );
      const unfiltered = management.some((s) => (s.fieldSelectors ?? []).every((f) => f.field === 'eventCategory'));
      return unfiltered ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    if (basic.length === 0) return NagRuleCompliance.COMPLIANT; // the CloudTrail default: all management events
    const allReadsAndWrites = basic.some(
      (s) =>
        s.includeManagementEvents !== false &&
        (s.readWriteType === undefined || s.readWriteType === 'All') &&
        !json(s.excludeManagementEventSources).includes('kms.amazonaws.com'),
    );
    return allReadsAndWrites ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

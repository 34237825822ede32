import { judgeResourceType, type EligibilityClass } from './judge';
import { knownResourceTypes } from './resource-types';

/** How many known resource types fall in each class (custom resources excluded: they depend on the token). */
export function countTypesByClass(): Record<EligibilityClass, number> {
  const counts: Record<EligibilityClass, number> = {
    eligible: 0,
    'control-plane': 0,
    'not-eligible': 0,
    'excluded-by-condition': 0,
    'property-not-eligible': 0,
    'property-unresolved': 0,
    'gate-management': 0,
    'unknown-namespace': 0,
    'unknown-type': 0,
    'custom-resource-eligible': 0,
    'custom-resource-not-eligible': 0,
  };
  for (const type of knownResourceTypes()) {
    if (type === 'AWS::CloudFormation::CustomResource') continue;
    counts[judgeResourceType(type).class] += 1;
  }
  return counts;
}

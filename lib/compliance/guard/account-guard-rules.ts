/**
 * The Guard rules the Guardrails stack deploys, assembled from the eligibility data (the same data as the synth-time
 * rule and the CLI) and rendered by eligibility-guard-rules.ts. It sits beside the renderer so that what the hook
 * enforces is read in one folder; the app only passes the Guardrails stack's name.
 */
import { ABSENT, ELIGIBILITY_LIST, judgeResourceType, knownResourceTypes, propertyConditions } from '../eligibility';
import { renderEligibilityGuardRules } from './eligibility-guard-rules';

/**
 * The account's Guard rules: every known non-custom type the list makes eligible, hook management only in the
 * Guardrails stack, and the property conditions with their eligible values.
 * @param guardrailsStackName the only stack allowed to hold hook-management types (the Guardrails stack's name)
 */
export function eligibilityGuardRules(guardrailsStackName: string): string {
  return renderEligibilityGuardRules({
    allowedTypes: knownResourceTypes().filter(
      (type) => !type.startsWith('Custom::') && judgeResourceType(type).eligible,
    ),
    gateManagementTypes: knownResourceTypes().filter((type) => judgeResourceType(type).class === 'gate-management'),
    propertyConditions: [...propertyConditions().values()].flat().map((condition) => ({
      type: condition.type,
      property: condition.property,
      eligibleValues: [...condition.values.values()]
        .filter((value) => value.eligible && value.value !== ABSENT)
        .map((value) => value.value),
      absentEligible: condition.values.get(ABSENT)?.eligible === true,
    })),
    guardrailsStackName,
    listDate: ELIGIBILITY_LIST.date,
    source: ELIGIBILITY_LIST.source,
  });
}

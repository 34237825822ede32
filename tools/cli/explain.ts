import {
  ABSENT,
  isCustomResourceType,
  judgeResourceType,
  knownResourceTypesSource,
  propertyConditions,
  typeDecisions,
  type EligibilityVerdict,
} from '../../lib/compliance/eligibility';
import { BadInputError } from './template-files';

const TYPE_SHAPE = /^([A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+|Custom::[A-Za-z0-9_@.-]+)$/;

export interface Explanation {
  readonly verdict: EligibilityVerdict;
  /** What the verdict depends on beyond the type: a custom resource's ServiceToken, an RDS engine. */
  readonly dependsOn?: readonly string[];
}

const SERVICE_TOKEN_RULES = [
  'A custom resource is judged by its ServiceToken, which receives the resource properties:',
  '  eligible: a Lambda function or SNS topic in this account, as a resource of the same template',
  '            (Fn::GetAtt [Fn, Arn], Ref Topic) or an ARN with ${AWS::AccountId} as its account;',
  '  refused:  another account, no account, an import, anything the gate cannot resolve.',
];

function propertyLines(type: string): string[] | undefined {
  const conditions = propertyConditions().get(type);
  if (!conditions) return undefined;
  return conditions.flatMap((condition) => {
    const values = [...condition.values.values()];
    const shown = (eligible: boolean) =>
      values
        .filter((v) => v.eligible === eligible)
        .map((v) => (v.value === ABSENT ? '(not set)' : v.value))
        .join(', ');
    return [
      `${type} is judged by ${condition.property}:`,
      `  eligible: ${shown(true) || '(none)'}`,
      `  refused:  ${shown(false) || '(none)'}, and any value not listed`,
    ];
  });
}

/** `hipaa-rtc explain <type>`: the verdict with everything it rests on. */
export function explainType(type: string): Explanation {
  if (!TYPE_SHAPE.test(type)) {
    throw new BadInputError(
      `"${type}" is not a resource type; expected the form AWS::Service::Resource or Custom::Name`,
    );
  }
  const verdict = judgeResourceType(type);
  if (isCustomResourceType(type)) return { verdict, dependsOn: SERVICE_TOKEN_RULES };
  const properties = propertyLines(type);
  if (!properties) return { verdict };
  // The verdict above judged the type with no properties; the type's own decision is the basis worth showing.
  const decided = typeDecisions().get(type);
  return {
    verdict: { ...verdict, decided: decided && { on: decided.decided, evidence: decided.evidence } },
    dependsOn: properties,
  };
}

export function formatExplainText({ verdict, dependsOn }: Explanation): string {
  const status = dependsOn ? 'DEPENDS ON ITS PROPERTIES' : verdict.eligible ? 'ALLOWED' : 'NOT ALLOWED';
  return [
    `${verdict.type}: ${status}${dependsOn ? '' : ` (${verdict.class})`}`,
    ...(dependsOn ?? []),
    `service:    ${verdict.service ?? (isCustomResourceType(verdict.type) ? '(the ServiceToken target)' : '(unknown)')}`,
    `list entry: ${verdict.hipaaListEntry ?? '(none)'}`,
    `condition:  ${verdict.condition ?? '(none)'}`,
    ...(dependsOn ? [] : [`reason:     ${verdict.reason}`]),
    ...(verdict.decided ? [`decided:    ${verdict.decided.on}: ${verdict.decided.evidence}`] : []),
    `source:     HIPAA-eligible services list dated ${verdict.listDate}, ${verdict.source}`,
    `types from: ${knownResourceTypesSource()}`,
  ].join('\n');
}

import { judgeResourceType, knownResourceTypesSource, type EligibilityVerdict } from '../../lib/compliance/eligibility';
import { BadInputError } from './template-files';

const TYPE_SHAPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/** `hipaa-rtc explain <type>`: the verdict with everything it rests on. */
export function explainType(type: string): EligibilityVerdict {
  if (!TYPE_SHAPE.test(type)) {
    throw new BadInputError(`"${type}" is not a resource type; expected the form AWS::Service::Resource`);
  }
  return judgeResourceType(type);
}

export function formatExplainText(verdict: EligibilityVerdict): string {
  return [
    `${verdict.type}: ${verdict.eligible ? 'ALLOWED' : 'NOT ALLOWED'} (${verdict.class})`,
    `service:    ${verdict.service ?? '(unknown)'}`,
    `list entry: ${verdict.hipaaListEntry ?? '(none)'}`,
    `condition:  ${verdict.condition ?? '(none)'}`,
    `reason:     ${verdict.reason}`,
    `source:     HIPAA-eligible services list dated ${verdict.listDate}, ${verdict.source}`,
    `types from: ${knownResourceTypesSource()}`,
  ].join('\n');
}

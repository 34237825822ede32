import {
  describeServiceToken,
  eligibleServiceTokenService,
  isCustomResourceType,
  type ServiceTokenTarget,
} from './custom-resources';
import { ELIGIBILITY_LIST } from './list';
import { namespaceEntries, namespaceOf } from './namespaces';
import { isKnownResourceType } from './resource-types';
import { typeDecisions } from './type-decisions';
import { EXCLUDED_TYPES, gateManagementReason, TOOLING_TYPES } from './type-conditions';

export type EligibilityClass =
  | 'eligible'
  | 'control-plane'
  | 'not-eligible'
  | 'excluded-by-condition'
  | 'gate-management'
  | 'unknown-namespace'
  | 'unknown-type'
  | 'custom-resource-eligible'
  | 'custom-resource-not-eligible';

/** The classes that may be deployed into the HIPAA-designated account. */
export const ALLOWED_CLASSES: readonly EligibilityClass[] = ['eligible', 'control-plane', 'custom-resource-eligible'];

export interface EligibilityVerdict {
  readonly type: string;
  readonly eligible: boolean;
  readonly class: EligibilityClass;
  /** The owning service, when the namespace is known. */
  readonly service?: string;
  /** The list entry the verdict rests on, when there is one. */
  readonly hipaaListEntry?: string;
  /** A condition the list attaches to the service, shown so a reviewer can check the resource meets it. */
  readonly condition?: string;
  /** For a type decided on its own (data/cfn-type-decisions.tsv): the day and the evidence of that decision. */
  readonly decided?: { readonly on: string; readonly evidence: string };
  readonly reason: string;
  readonly listDate: string;
  readonly source: string;
}

function verdict(type: string, cls: EligibilityClass, reason: string, extra: Partial<EligibilityVerdict> = {}) {
  return {
    type,
    eligible: ALLOWED_CLASSES.includes(cls),
    class: cls,
    reason,
    listDate: ELIGIBILITY_LIST.date,
    source: ELIGIBILITY_LIST.source,
    ...extra,
  } satisfies EligibilityVerdict;
}

/**
 * The single decision every enforcement point uses. Pure and fast (map lookups): the synth rule calls it once per
 * resource. Fails closed: whatever it cannot place on the list is not eligible.
 *
 * @param serviceToken for custom resources, what their ServiceToken points to (see classifyServiceToken)
 */
export function judgeResourceType(type: string, serviceToken?: ServiceTokenTarget): EligibilityVerdict {
  if (isCustomResourceType(type)) {
    if (!serviceToken) {
      return verdict(
        type,
        'custom-resource-not-eligible',
        'a custom resource is judged by its ServiceToken, and none was given.',
      );
    }
    const service = eligibleServiceTokenService(serviceToken);
    return verdict(
      type,
      service ? 'custom-resource-eligible' : 'custom-resource-not-eligible',
      `${describeServiceToken(serviceToken)}.`,
      { service },
    );
  }
  const tooling = TOOLING_TYPES[type];
  if (tooling) return verdict(type, 'control-plane', tooling, { service: 'AWS CDK' });

  const namespace = namespaceOf(type);
  const entry = namespace ? namespaceEntries().get(namespace) : undefined;
  if (!entry) {
    return verdict(
      type,
      'unknown-namespace',
      `${namespace ?? type} is not a namespace the eligibility data knows (third-party, private or new service).`,
    );
  }
  const about = { service: entry.service, hipaaListEntry: entry.hipaaListEntry, condition: entry.condition };
  const gate = gateManagementReason(type);
  if (gate) {
    return verdict(
      type,
      'gate-management',
      `${type} ${gate}; only the Guardrails stack may hold hook-management types, through entries in the exception register.`,
      about,
    );
  }
  const excluded = EXCLUDED_TYPES[type];
  if (excluded)
    return verdict(type, 'excluded-by-condition', excluded.reason, { ...about, condition: excluded.condition });
  if (!isKnownResourceType(type)) {
    return verdict(
      type,
      'unknown-type',
      `${type} is not a resource type of ${namespace} known to this release (typo, or newer than the generated type list).`,
      about,
    );
  }
  switch (entry.decision) {
    case 'by-type': {
      const decided = typeDecisions().get(type);
      if (!decided) {
        return verdict(
          type,
          'not-eligible',
          `${entry.service} is decided type by type, and ${type} has no decision yet (data/cfn-type-decisions.tsv); it fails closed.`,
          about,
        );
      }
      const basis = { ...about, decided: { on: decided.decided, evidence: decided.evidence } };
      return verdict(type, decided.decision, `${type} is ${decided.summary} (decided ${decided.decided}).`, basis);
    }
    case 'eligible':
      return verdict(
        type,
        'eligible',
        `${entry.service} is on the list as "${entry.hipaaListEntry ?? entry.service}".`,
        about,
      );
    case 'control-plane':
      return verdict(
        type,
        'control-plane',
        `not on the list, allowed as control plane: ${entry.note.replace(/^control-plane reasoning: /, '')}`,
        about,
      );
    case 'not-eligible':
      return verdict(
        type,
        'not-eligible',
        entry.note.startsWith('not on the list')
          ? `${entry.service} is ${entry.note}`
          : `${entry.service} is not on the list: ${entry.note}`,
        about,
      );
  }
}

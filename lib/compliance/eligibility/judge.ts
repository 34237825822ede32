import {
  describeServiceToken,
  eligibleServiceTokenService,
  isCustomResourceType,
  type ServiceTokenTarget,
} from './custom-resources';
import { ELIGIBILITY_LIST } from './list';
import { namespaceEntries, namespaceOf, type NamespaceEntry } from './namespaces';
import { ABSENT, propertyConditions, type PropertyCondition } from './property-conditions';
import { candidateValues, type TemplateParameterLike } from './property-values';
import { isKnownResourceType } from './resource-types';
import { typeDecisions } from './type-decisions';
import { EXCLUDED_TYPES, gateManagementReason, TOOLING_TYPES } from './type-conditions';

export type EligibilityClass =
  | 'eligible'
  | 'control-plane'
  | 'not-eligible'
  | 'excluded-by-condition'
  | 'property-not-eligible'
  | 'property-unresolved'
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
  /** For a type or property value decided on its own (data/cfn-type-decisions.tsv, cfn-property-conditions.tsv). */
  readonly decided?: { readonly on: string; readonly evidence: string };
  /** A few words for a one-line report (the CLI's text output). */
  readonly summary: string;
  /** The full basis of the verdict. */
  readonly reason: string;
  readonly listDate: string;
  readonly source: string;
}

/** What the judge may know about one resource besides its type. */
export interface ResourceFacts {
  /** For custom resources: what their ServiceToken points to (see classifyServiceToken). */
  readonly serviceToken?: ServiceTokenTarget;
  /** The resource's Properties as written in the template (for types decided by property). */
  readonly properties?: Readonly<Record<string, unknown>>;
  /** The template's Parameters, so a Ref to a parameter bounded by AllowedValues can be resolved. */
  readonly parameters?: Readonly<Record<string, TemplateParameterLike>>;
}

const SUMMARIES: Readonly<Record<EligibilityClass, string>> = {
  eligible: 'on the HIPAA list',
  'control-plane': 'control plane: not on the list, holds no PHI',
  'not-eligible': 'not on the HIPAA list',
  'excluded-by-condition': "excluded by the list's condition",
  'property-not-eligible': 'a property value the list does not cover',
  'property-unresolved': 'a property the gate cannot resolve',
  'gate-management': 'hook management: only the Guardrails stack may hold it',
  'unknown-namespace': 'unknown namespace (fails closed)',
  'unknown-type': 'unknown type (fails closed)',
  'custom-resource-eligible': 'custom resource on an eligible ServiceToken',
  'custom-resource-not-eligible': 'custom resource on a ServiceToken that is not eligible',
};

function verdict(type: string, cls: EligibilityClass, reason: string, extra: Partial<EligibilityVerdict> = {}) {
  return {
    type,
    eligible: ALLOWED_CLASSES.includes(cls),
    class: cls,
    summary: SUMMARIES[cls],
    reason,
    listDate: ELIGIBILITY_LIST.date,
    source: ELIGIBILITY_LIST.source,
    ...extra,
  } satisfies EligibilityVerdict;
}

/**
 * The single decision every enforcement point uses. Pure and fast (map lookups): the synth rule calls it once per
 * resource. Fails closed: whatever it cannot place on the list is not eligible. A type decided by property is judged
 * on `facts.properties`; without them its properties count as not set, which the data refuses.
 */
export function judgeResource(type: string, facts: ResourceFacts = {}): EligibilityVerdict {
  if (isCustomResourceType(type)) {
    if (!facts.serviceToken) {
      return verdict(
        type,
        'custom-resource-not-eligible',
        'a custom resource is judged by its ServiceToken, and none was given.',
      );
    }
    const service = eligibleServiceTokenService(facts.serviceToken);
    return verdict(
      type,
      service ? 'custom-resource-eligible' : 'custom-resource-not-eligible',
      `${describeServiceToken(facts.serviceToken)}.`,
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
    case 'by-type':
      return judgeByType(type, entry, facts, about);
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
          : entry.hipaaListEntry
            ? `${entry.service} is listed, but not confirmed for ${namespace}: ${entry.note}`
            : `${entry.service} is not on the list: ${entry.note}`,
        {
          ...about,
          summary: entry.hipaaListEntry
            ? 'listed with a condition or link the gate cannot confirm (fails closed)'
            : 'not on the HIPAA list',
        },
      );
  }
}

/** The type-only verdict; a custom resource's ServiceToken target may be given. */
export function judgeResourceType(type: string, serviceToken?: ServiceTokenTarget): EligibilityVerdict {
  return judgeResource(type, { serviceToken });
}

type About = Pick<EligibilityVerdict, 'service' | 'hipaaListEntry' | 'condition'>;

function judgeByType(type: string, entry: NamespaceEntry, facts: ResourceFacts, about: About): EligibilityVerdict {
  const decided = typeDecisions().get(type);
  if (!decided) {
    return verdict(
      type,
      'not-eligible',
      `${entry.service} is decided type by type, and ${type} has no decision yet (data/cfn-type-decisions.tsv); it fails closed.`,
      { ...about, summary: 'no type-level decision yet (fails closed)' },
    );
  }
  const basis = {
    ...about,
    summary: decided.summary,
    decided: { on: decided.decided, evidence: decided.evidence },
  };
  if (decided.decision !== 'by-property') {
    return verdict(type, decided.decision, `${type} is ${decided.summary} (decided ${decided.decided}).`, basis);
  }
  return judgeByProperty(type, propertyConditions().get(type) ?? [], facts, basis);
}

function judgeByProperty(
  type: string,
  conditions: readonly PropertyCondition[],
  facts: ResourceFacts,
  basis: About & Pick<EligibilityVerdict, 'decided'>,
): EligibilityVerdict {
  if (conditions.length === 0) {
    return verdict(type, 'property-unresolved', `${type} is decided by property, but the data names none.`, basis);
  }
  const passed: string[] = [];
  const condition = conditions.map((c) => c.property).join(' and ');
  for (const { property, values } of conditions) {
    const candidates = candidateValues(facts.properties?.[property], facts.parameters);
    if (candidates.kind === 'unresolved') {
      return verdict(
        type,
        'property-unresolved',
        `${type} is judged by its ${property}, which is ${candidates.detail}: the value cannot be known from the ` +
          `template, so the gate fails closed. Write the value, or bound the parameter with AllowedValues that are all eligible.`,
        { ...basis, condition, summary: `${property} cannot be resolved from the template (fails closed)` },
      );
    }
    for (const value of candidates.values) {
      const decision = values.get(value === ABSENT ? ABSENT : value.toLowerCase());
      const shown = value === ABSENT ? `${property} not set` : `${property} ${value}`;
      if (!decision) {
        return verdict(
          type,
          'property-not-eligible',
          `${type} with ${shown}: the data does not know this value (RDS Custom, a new or unlisted engine, or a typo), so it fails closed.`,
          { ...basis, condition, summary: `${shown}: not a value the data knows (fails closed)` },
        );
      }
      const decidedOn = { on: decision.decided, evidence: decision.evidence };
      if (!decision.eligible) {
        return verdict(type, 'property-not-eligible', `${type} with ${shown}: ${decision.summary}.`, {
          ...basis,
          condition,
          decided: decidedOn,
          summary: `${shown}: ${decision.summary}`,
        });
      }
      passed.push(`${shown}: ${decision.summary}`);
    }
  }
  return verdict(type, 'eligible', `${type} with ${passed.join('; ')}.`, {
    ...basis,
    condition,
    summary: passed.join('; '),
  });
}

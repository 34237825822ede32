/**
 * Renders the CloudFormation Guard rules that the Guardrails stack's Guard Hook runs on every resource operation in
 * the account. Generated from the same eligibility data as the cdk-nag rule and the CLI, so the four enforcement
 * points cannot drift apart (test/compliance/agreement.test.ts proves they agree on every known type).
 *
 * Input shape (Guard Hook, RESOURCE and CLOUD_CONTROL targets; "Write Guard rules to evaluate resources for Guard
 * Hooks", https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/guard-hooks-write-rules.html):
 *   { HookContext: { AWSAccountID, StackId, InvocationPoint, TargetName, TargetLogicalId, ... },
 *     Resources: { <id>: { ResourceType, ResourceProperties } } }
 * A Cloud Control operation belongs to no stack, so its HookContext has no StackId.
 */

/** One property condition of a type decided by property (data/cfn-property-conditions.tsv). */
export interface GuardPropertyCondition {
  readonly type: string;
  readonly property: string;
  /** The values the list covers; matched case-insensitively, as the judge does. */
  readonly eligibleValues: readonly string[];
  /** Whether the property may be left out. */
  readonly absentEligible: boolean;
}

export interface GuardRuleInput {
  /** Every resource type that may be created or updated (eligible and control-plane types), not custom resources. */
  readonly allowedTypes: readonly string[];
  /** Types allowed only with some property values (RDS engines): judged by their own rule, not the allow-list. */
  readonly propertyConditions: readonly GuardPropertyCondition[];
  /** Types that configure hooks (lib/compliance/eligibility/type-conditions.ts): allowed only in the Guardrails stack. */
  readonly gateManagementTypes: readonly string[];
  /** Name of the Guardrails stack in this account and region, the only stack that may hold gate-management types. */
  readonly guardrailsStackName: string;
  readonly listDate: string;
  readonly source: string;
}

/** Rule names; a hook failure message names the rule, so they are part of the operator-facing contract. */
export const GUARD_RULE_NAMES = {
  inputShape: 'hipaa_hook_input_has_resources',
  resourceType: 'hipaa_eligible_resource_type',
  gateManagement: 'hipaa_hook_management_only_in_guardrails_stack',
  customResource: 'hipaa_custom_resource_service_token',
  propertyConditions: 'hipaa_eligible_property_values',
} as const;

/**
 * A custom resource's ServiceToken arrives resolved (an ARN). Only Lambda functions and SNS topics, both HIPAA
 * eligible, may back one, and only in this account: the rule compares the ARN's account field with the hook's own
 * `HookContext.AWSAccountID`. Unlike synth and the CLI, the hook cannot see whether the function belongs to the same
 * stack (see docs/eligibility-gate.md).
 */
export const CUSTOM_RESOURCE_TOKEN_PATTERN = String.raw`/^arn:aws[a-z-]*:(lambda|sns):[a-z0-9-]+:[0-9]{12}:/`;

/** Guard's regex literals end at `/` and accept no `\/`; `\x2F` is the slash inside one. */
const SLASH = String.raw`\x2F`;

/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * Matches the StackId of exactly the named stack (`arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>`):
 * the slash after the name keeps out `<name>2` and nested stacks (`<name>-Nested...`).
 */
export function guardrailsStackIdPattern(stackName: string): string {
  if (!STACK_NAME.test(stackName)) {
    throw new Error(
      `refusing to render Guard rules for the stack name "${stackName}": not a CloudFormation stack name`,
    );
  }
  return String.raw`/^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:[0-9]{12}:stack` + `${SLASH}${stackName}${SLASH}/`;
}

function guardString(value: string): string {
  if (!/^[A-Za-z0-9:_.-]+$/.test(value))
    throw new Error(`refusing to render an unexpected type string into Guard: ${value}`);
  return `"${value}"`;
}

function guardValue(value: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(value))
    throw new Error(`refusing to render an unexpected property value into Guard: ${value}`);
  return value.replace(/\./g, '\\.');
}

/**
 * One block per type and property: the property must be one of the eligible values (case-insensitive regex), and
 * must be present unless the data lets it be absent. A value that is not listed fails, as in the judge.
 */
function propertyConditionBlocks(conditions: readonly GuardPropertyCondition[]): string[] {
  return conditions.flatMap((condition, index) => {
    guardString(condition.type);
    if (!/^[A-Za-z0-9]+$/.test(condition.property))
      throw new Error(`refusing to render an unexpected property name into Guard: ${condition.property}`);
    if (condition.eligibleValues.length === 0)
      throw new Error(`refusing to render a condition with no eligible value: ${condition.type}.${condition.property}`);
    const name = `hipaa_conditioned_${index}`;
    const property = `ResourceProperties.${condition.property}`;
    const values = `/(?i)^(${[...condition.eligibleValues].sort().map(guardValue).join('|')})$/`;
    const message = [
      '    <<',
      `      hipaa-rtc: ${condition.type} is HIPAA eligible only with ${condition.property} one of ${[...condition.eligibleValues].sort().join(', ')}.`,
      '    >>',
    ];
    return [
      `  let ${name} = Resources.*[ ResourceType == ${guardString(condition.type)} ]`,
      `  when %${name} !empty {`,
      ...(condition.absentEligible
        ? []
        : [`    %${name}.${property} exists`, ...message.map((line) => line.replace('only with', 'only with a set'))]),
      `    let ${name}_set = %${name}[ ${property} exists ]`,
      `    when %${name}_set !empty {`,
      `      %${name}_set.${property} == ${values}`,
      ...message.map((line) => `  ${line}`),
      '    }',
      '  }',
    ];
  });
}

function guardList(name: string, values: readonly string[]): string[] {
  return [`let ${name} = [`, values.map((value) => `  ${guardString(value)}`).join(',\n'), ']'];
}

/** Renders the Guard rule file. Deterministic: the same input always gives byte-identical output. */
export function renderEligibilityGuardRules(input: GuardRuleInput): string {
  const types = [...new Set(input.allowedTypes)].sort();
  const gateTypes = [...new Set(input.gateManagementTypes)].sort();
  if (types.length === 0) throw new Error('refusing to render Guard rules with an empty allow-list');
  if (gateTypes.length === 0) throw new Error('refusing to render Guard rules without the hook-management types');
  const conditionedTypes = [...new Set(input.propertyConditions.map((condition) => condition.type))].sort();
  if (conditionedTypes.length === 0) throw new Error('refusing to render Guard rules without the property conditions');
  const overlap = [...gateTypes, ...conditionedTypes].filter((type) => types.includes(type));
  if (overlap.length > 0) {
    throw new Error(
      `refusing to render Guard rules that allow hook-management or property-conditioned types outright: ${overlap.join(', ')}`,
    );
  }
  const stackId = guardrailsStackIdPattern(input.guardrailsStackName);
  const what = `the HIPAA-eligible services list dated ${input.listDate} (${input.source})`;
  const notDelete = 'HookContext.InvocationPoint != "DELETE_PRE_PROVISION"';
  return [
    `# hipaa-rtc: HIPAA-eligible resource types only. Generated from ${what}.`,
    '# Do not edit: regenerate with `npx cdk synth` (lib/compliance/guard/eligibility-guard-rules.ts).',
    '# Deletes are always allowed so that a non-eligible resource can be removed.',
    '',
    ...guardList('hipaa_eligible_types', types),
    '',
    ...guardList('hipaa_hook_management_types', gateTypes),
    '',
    ...guardList('hipaa_property_conditioned_types', conditionedTypes),
    '',
    '# Fail closed on an input with nothing to judge: with no Resources every other rule would SKIP, and a hook',
    '# whose rules all skip lets the operation through.',
    `rule ${GUARD_RULE_NAMES.inputShape} {`,
    '  HookContext.InvocationPoint exists',
    '  Resources exists',
    '  Resources is_struct',
    '  Resources !empty',
    '  <<',
    '    hipaa-rtc: the hook input has no HookContext or no Resources, so nothing could be judged; refusing the operation.',
    '  >>',
    '}',
    '',
    `rule ${GUARD_RULE_NAMES.resourceType} when ${notDelete} {`,
    '  let targets = Resources.*[ ResourceType != /^Custom::/',
    '                             ResourceType != "AWS::CloudFormation::CustomResource"',
    '                             ResourceType not in %hipaa_hook_management_types',
    '                             ResourceType not in %hipaa_property_conditioned_types ]',
    '  when %targets !empty {',
    '    %targets.ResourceType in %hipaa_eligible_types',
    '    <<',
    `      hipaa-rtc: this resource type is not HIPAA eligible (or is unknown) per ${what}. This account is HIPAA-designated.`,
    '      Remove the resource, or deploy it in an account that holds no PHI.',
    '    >>',
    '  }',
    '}',
    '',
    '# Types the list covers only with some property values (RDS engines): judged on those values; a value the',
    '# data does not list fails.',
    `rule ${GUARD_RULE_NAMES.propertyConditions} when ${notDelete} {`,
    ...propertyConditionBlocks(input.propertyConditions),
    '}',
    '',
    '# Hook-management types can change or switch off this hook for every stack; only the Guardrails stack, identified',
    '# by its StackId, may hold them. A Cloud Control operation has no StackId and is refused.',
    `rule ${GUARD_RULE_NAMES.gateManagement} when ${notDelete} {`,
    '  let hooks = Resources.*[ ResourceType in %hipaa_hook_management_types ]',
    '  when %hooks !empty {',
    `    HookContext.StackId == ${stackId}`,
    '    <<',
    `      hipaa-rtc: hook-management types may only be deployed by the stack ${input.guardrailsStackName}; they can`,
    '      reconfigure or disable the HIPAA-eligibility hook. Remove the resource from this stack.',
    '    >>',
    '  }',
    '}',
    '',
    `rule ${GUARD_RULE_NAMES.customResource} when ${notDelete} {`,
    '  let custom = Resources.*[ ResourceType == /^Custom::/ or ResourceType == "AWS::CloudFormation::CustomResource" ]',
    '  when %custom !empty {',
    `    %custom.ResourceProperties.ServiceToken == ${CUSTOM_RESOURCE_TOKEN_PATTERN}`,
    '    <<',
    '      hipaa-rtc: a custom resource must be backed by a Lambda function or SNS topic (HIPAA-eligible services).',
    '    >>',
    '    let token_accounts = regex_replace(%custom.ResourceProperties.ServiceToken, "^arn:[^:]*:[^:]*:[^:]*:([0-9]{12}):.*$", "$1")',
    '    %token_accounts == HookContext.AWSAccountID',
    '    <<',
    '      hipaa-rtc: a custom resource must call a Lambda function or SNS topic in this account; its properties would',
    '      otherwise leave the HIPAA-designated account.',
    '    >>',
    '  }',
    '}',
    '',
  ].join('\n');
}

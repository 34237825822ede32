/**
 * Renders the CloudFormation Guard rules that the Guardrails stack's Guard Hook runs on every resource operation in
 * the account. Generated from the same eligibility data as the cdk-nag rule and the CLI, so the four enforcement
 * points cannot drift apart (test/compliance/agreement.test.ts proves they agree on every known type).
 *
 * Input shape (Guard Hook, RESOURCE and CLOUD_CONTROL targets):
 *   { HookContext: { InvocationPoint, TargetName, ... }, Resources: { <id>: { ResourceType, ResourceProperties } } }
 */

export interface GuardRuleInput {
  /** Every resource type that may be created or updated (eligible and control-plane types), not custom resources. */
  readonly allowedTypes: readonly string[];
  readonly listDate: string;
  readonly source: string;
}

/** Rule names; a hook failure message names the rule, so they are part of the operator-facing contract. */
export const GUARD_RULE_NAMES = {
  resourceType: 'hipaa_eligible_resource_type',
  customResource: 'hipaa_custom_resource_service_token',
} as const;

/**
 * A custom resource's ServiceToken arrives resolved (an ARN). Only Lambda functions and SNS topics, both HIPAA
 * eligible, may back one. Unlike synth and the CLI, the hook cannot see whether the function is part of the same
 * stack; it can only require the ARN to be a Lambda function or SNS topic (see docs/eligibility-gate.md).
 */
export const CUSTOM_RESOURCE_TOKEN_PATTERN = String.raw`/^arn:aws[a-z-]*:(lambda|sns):[a-z0-9-]+:[0-9]{12}:/`;

function guardString(value: string): string {
  if (!/^[A-Za-z0-9:_.-]+$/.test(value))
    throw new Error(`refusing to render an unexpected type string into Guard: ${value}`);
  return `"${value}"`;
}

/** Renders the Guard rule file. Deterministic: the same input always gives byte-identical output. */
export function renderEligibilityGuardRules(input: GuardRuleInput): string {
  const types = [...new Set(input.allowedTypes)].sort();
  if (types.length === 0) throw new Error('refusing to render Guard rules with an empty allow-list');
  const what = `the HIPAA-eligible services list dated ${input.listDate} (${input.source})`;
  return [
    `# hipaa-rtc: HIPAA-eligible resource types only. Generated from ${what}.`,
    '# Do not edit: regenerate with `npx cdk synth` (lib/compliance/guard/eligibility-guard-rules.ts).',
    '# Deletes are always allowed so that a non-eligible resource can be removed.',
    '',
    `let hipaa_eligible_types = [`,
    types.map((type) => `  ${guardString(type)}`).join(',\n'),
    ']',
    '',
    `rule ${GUARD_RULE_NAMES.resourceType} when HookContext.InvocationPoint != "DELETE_PRE_PROVISION" {`,
    '  let targets = Resources.*[ ResourceType != /^Custom::/',
    '                             ResourceType != "AWS::CloudFormation::CustomResource" ]',
    '  when %targets !empty {',
    '    %targets.ResourceType in %hipaa_eligible_types',
    '    <<',
    `      hipaa-rtc: this resource type is not HIPAA eligible (or is unknown) per ${what}. This account is HIPAA-designated.`,
    '      Remove the resource, or deploy it in an account that holds no PHI.',
    '    >>',
    '  }',
    '}',
    '',
    `rule ${GUARD_RULE_NAMES.customResource} when HookContext.InvocationPoint != "DELETE_PRE_PROVISION" {`,
    '  let custom = Resources.*[ ResourceType == /^Custom::/ or ResourceType == "AWS::CloudFormation::CustomResource" ]',
    '  when %custom !empty {',
    `    %custom.ResourceProperties.ServiceToken == ${CUSTOM_RESOURCE_TOKEN_PATTERN}`,
    '    <<',
    '      hipaa-rtc: a custom resource must be backed by a Lambda function or SNS topic (HIPAA-eligible services).',
    '    >>',
    '  }',
    '}',
    '',
  ].join('\n');
}

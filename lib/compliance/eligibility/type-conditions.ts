/**
 * Type-level exceptions to a namespace's decision: the list attaches conditions to some services that exclude a
 * sub-feature with its own CloudFormation type. These types are refused although their namespace is eligible.
 */
export interface TypeCondition {
  readonly reason: string;
  /** The list's wording of the condition. */
  readonly condition: string;
}

export const EXCLUDED_TYPES: Readonly<Record<string, TypeCondition>> = {
  'AWS::DirectoryService::SimpleAD': {
    condition: 'AWS Directory Service [excludes Simple AD]',
    reason: 'Simple AD is excluded from the eligible AWS Directory Service; use AWS Managed Microsoft AD instead.',
  },
  'AWS::Pinpoint::VoiceChannel': {
    condition: 'Amazon Pinpoint and End User Messaging [excluding Voice Message capabilities and WhatsApp Channel]',
    reason: 'Pinpoint voice message capabilities are excluded from the eligible service.',
  },
};

/**
 * Types that exist in every CDK template but in no CloudFormation resource specification: they are part of the
 * deployment tooling, hold no customer content, and are classified control-plane with a reason each.
 */
export const TOOLING_TYPES: Readonly<Record<string, string>> = {
  'AWS::CDK::Metadata': 'CDK records construct-library versions in the stack; no customer data.',
};

/**
 * Types that configure CloudFormation Hooks, and so can change or switch off the deploy-time gate (the Guard Hook of
 * the Guardrails stack) for every stack in the account and region. The CloudFormation namespace is eligible, but
 * these are refused everywhere except the Guardrails stack, which passes only through typed entries in the exception
 * register (lib/compliance/register/guardrails-exceptions.ts) and, at deploy, through the Guard rule that allows them
 * only in that stack (docs/eligibility-gate.md, "Hook-management types"). Each reason says how the type reaches the gate.
 */
export const GATE_MANAGEMENT_TYPES: Readonly<Record<string, string>> = {
  'AWS::CloudFormation::HookTypeConfig':
    "sets any hook's configuration by type ARN, including TargetStacks NONE or HookInvocationStatus DISABLED for the eligibility hook",
  'AWS::CloudFormation::GuardHook':
    'creates or changes a Guard Hook: its rules, failure mode (WARN lets everything through), status and stack filters',
  'AWS::CloudFormation::LambdaHook':
    'creates or changes a Lambda Hook, which can block any operation and receives every resource operation in the account',
  'AWS::CloudFormation::HookVersion':
    'registers hook code as a private extension, which then runs on the operations its configuration targets',
  'AWS::CloudFormation::HookDefaultVersion': 'chooses which registered version of a hook runs',
  'AWS::CloudFormation::TypeActivation':
    'activates a public third-party extension, which may be a hook (Type HOOK) that then runs on operations in the account',
};

/**
 * Future hook types fail closed too: any CloudFormation type with "Hook" in its name is treated as gate management
 * until the data says otherwise.
 */
const HOOK_TYPE_NAME = /^AWS::CloudFormation::[A-Za-z]*Hook[A-Za-z]*$/;

/** Why a type is gate management, or undefined when it is not. */
export function gateManagementReason(type: string): string | undefined {
  return (
    GATE_MANAGEMENT_TYPES[type] ??
    (HOOK_TYPE_NAME.test(type)
      ? 'a CloudFormation Hooks type this release does not know; hook types fail closed'
      : undefined)
  );
}

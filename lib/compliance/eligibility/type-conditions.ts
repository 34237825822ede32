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

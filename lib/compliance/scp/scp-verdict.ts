import { EXCLUDED_FEATURE_ACTIONS, type ScpDocument } from './eligibility-scp';
import { iamPrefixesOfType } from './namespace-prefixes';

/**
 * Whether an SCP document denies one IAM action. Deny statements only (the eligibility SCP has no other kind):
 * `NotAction` denies every action outside its `prefix:*` list, `Action` denies the actions it names exactly.
 */
export function scpDeniesAction(document: ScpDocument, action: string): boolean {
  const [prefix] = action.split(':');
  return document.Statement.some((statement) => {
    if (statement.NotAction)
      return !statement.NotAction.includes(`${prefix}:*`) && !statement.NotAction.includes(action);
    return (statement.Action ?? []).includes(action);
  });
}

/**
 * The SCP's verdict on a CloudFormation resource type, at the SCP's own granularity: the type can be created when
 * some IAM prefix behind its namespace is allowed and, for a type the list excludes from an eligible service, its
 * creating action is not denied by name. A namespace with no API of its own (CDK metadata, SAM macros) has nothing
 * the SCP could deny. Used to compare the SCP with the gate (test/compliance/agreement.test.ts).
 */
export function scpAllowsResourceType(document: ScpDocument, type: string): boolean {
  const feature = EXCLUDED_FEATURE_ACTIONS[type];
  if (feature) return !feature.actions.some((action) => scpDeniesAction(document, action));
  const prefixes = iamPrefixesOfType(type);
  // Any action of the prefix stands for the creating call: the NotAction statement decides by prefix alone.
  return prefixes.length === 0 || prefixes.some((prefix) => !scpDeniesAction(document, `${prefix}:Create`));
}

import type { CfnResource } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { deployableConfigRules, deployedRuleName, type ManagedConfigRule } from '../detect/hipaa-conformance-pack';

export interface HipaaConfigRulesProps {
  readonly deploymentName: string;
  /** The rows to deploy (process checks are skipped). */
  readonly rules: readonly ManagedConfigRule[];
  /** The recorder the rules evaluate; each rule waits for it (a rule without a recorder evaluates nothing). */
  readonly recorder: CfnResource;
}

/** Construct ID of a rule: stable and readable (`access-keys-rotated` becomes `AccessKeysRotated`). */
export function ruleConstructId(rule: ManagedConfigRule): string {
  return rule.name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * One AWS managed Config rule per row of the HIPAA conformance-pack data, with the pack's parameters and scope.
 * Deployed as rules rather than as a conformance pack so that each rule is a resource the template, the report and
 * the tests can name (a conformance pack template of this size also exceeds the 51,200-byte inline TemplateBody).
 */
export class HipaaConfigRules extends Construct {
  public readonly rules: ReadonlyMap<string, config.CfnConfigRule>;

  constructor(scope: Construct, id: string, props: HipaaConfigRulesProps) {
    super(scope, id);
    const rules = new Map<string, config.CfnConfigRule>();
    for (const row of deployableConfigRules(props.rules)) {
      const resource = new config.CfnConfigRule(this, ruleConstructId(row), {
        configRuleName: deployedRuleName(props.deploymentName, row),
        source: { owner: 'AWS', sourceIdentifier: row.identifier },
        ...(row.parameters ? { inputParameters: { ...row.parameters } } : {}),
        ...(row.resourceTypes && row.resourceTypes.length > 0
          ? { scope: { complianceResourceTypes: [...row.resourceTypes] } }
          : {}),
      });
      resource.addResourceDependency(props.recorder);
      rules.set(row.identifier, resource);
    }
    this.rules = rules;
  }
}

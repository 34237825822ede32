import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagRuleResult } from 'cdk-nag';
import cdkJson from '../../../cdk.json';

/** cdk-nag's rule-test pattern: a one-rule pack run over a stack. */
class OneRulePack extends NagPack {
  public readonly name = 'Test';
  constructor(private readonly rule: (node: CfnResource) => NagRuleResult) {
    super();
    this.packName = 'Test';
  }
  protected checkResource(node: CfnResource): void {
    this.applyRule({ info: 'test', explanation: 'test', level: NagMessageLevel.ERROR, rule: this.rule, node });
  }
}

export enum TestType {
  NON_COMPLIANCE,
  COMPLIANCE,
}

export function testStack(): Stack {
  const app = new App({ context: { ...cdkJson.context }, builtinCloudFormationValidation: false });
  return new Stack(app, 'Test', { env: { region: 'us-east-1' } });
}

/** Asserts that the rule flags at least one resource (NON_COMPLIANCE) or none (COMPLIANCE) in the stack. */
export function validateStack(stack: Stack, rule: (node: CfnResource) => NagRuleResult, type: TestType): void {
  const violations = new OneRulePack(rule).validateScope(stack).violations;
  const ruleId = `Test-${rule.name}`;
  const flagged = violations
    .filter((v) => v.ruleName === ruleId)
    .flatMap((v) => v.violatingResources.map((r) => r.constructPath));
  if (type === TestType.NON_COMPLIANCE) expect(flagged).not.toEqual([]);
  else expect(flagged).toEqual([]);
}

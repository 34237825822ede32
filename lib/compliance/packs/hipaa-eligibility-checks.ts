import { CfnResource, Stack, type PolicyValidationPluginReport, type PolicyViolation } from 'aws-cdk-lib';
import { NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import {
  ELIGIBILITY_LIST,
  classifyServiceToken,
  judgeResourceType,
  type EligibilityVerdict,
  type ServiceTokenTarget,
} from '../eligibility';
import { readStackResources, type TemplateResources } from './stack-template';

export const HIPAA_ELIGIBILITY_PACK_NAME = 'HipaaEligibility';
/** The one rule of the pack. Never rename: exceptions in the register name it. */
export const HIPAA_ELIGIBILITY_RULE_ID = `${HIPAA_ELIGIBILITY_PACK_NAME}-HipaaEligibleResourceType`;

export interface HipaaEligibilityChecksProps extends NagPackProps {
  /**
   * Construct paths of resources excepted from this rule by the typed exception register (owner, reason, expiry).
   * @default - none
   */
  readonly exceptedPaths?: readonly string[];
}

function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/**
 * cdk-nag v3 pack: every resource must be of a HIPAA-eligible type (or an explicit control-plane type, or a custom
 * resource backed by a Lambda function or SNS topic in the same template). Findings are `fatal`, which the CDK
 * framework never lets a plain `Validations.acknowledge()` suppress, and the pack ignores acknowledgements itself:
 * the only way past it is an entry in the typed exception register (lib/compliance/exception-register.ts).
 */
export class HipaaEligibilityChecks extends NagPack {
  public readonly name = HIPAA_ELIGIBILITY_PACK_NAME;
  public readonly ruleIds = [HIPAA_ELIGIBILITY_RULE_ID];
  private readonly exceptedPaths: ReadonlySet<string>;
  private templates = new Map<Stack, TemplateResources>();

  constructor(scope?: IConstruct, props: HipaaEligibilityChecksProps = {}) {
    super(scope, props);
    this.packName = HIPAA_ELIGIBILITY_PACK_NAME;
    this.exceptedPaths = new Set(props.exceptedPaths ?? []);
  }

  /**
   * Walks every CloudFormation resource under `scope` and reports one fatal violation per non-eligible resource, each
   * naming the path, type, service, list date and source, and what to do. Does not consult cdk-nag acknowledgements.
   */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.templates = new Map();
    const violations: PolicyViolation[] = [];
    for (const node of scope.node.findAll()) {
      if (!CfnResource.isCfnResource(node) || this.exceptedPaths.has(node.node.path)) continue;
      const verdict = this.judge(node);
      if (verdict.eligible) continue;
      violations.push({
        ruleName: HIPAA_ELIGIBILITY_RULE_ID,
        description: describeFinding(node, verdict),
        fix:
          'Remove the resource. If it never stores, processes or transmits PHI, record a reviewed, expiring exception ' +
          'in lib/compliance/exception-register.ts (rule, path, reason, owner, expiry, safeguard).',
        severity: 'fatal',
        violatingResources: [{ constructPath: node.node.path, locations: ['Type'] }],
      });
    }
    return { success: violations.length === 0, violations };
  }

  /** Not used: validateScope judges each resource itself so that acknowledgements cannot apply. */
  protected checkResource(): void {}

  private judge(node: CfnResource): EligibilityVerdict {
    const type = node.cfnResourceType;
    if (!isCustomResourceType(type)) return judgeResourceType(type);
    return judgeResourceType(type, this.serviceTokenOf(node));
  }

  private serviceTokenOf(node: CfnResource): ServiceTokenTarget {
    try {
      const resources = readStackResources(node.stack, this.templates);
      const logicalId = node.stack.resolve(node.logicalId) as string;
      return classifyServiceToken(resources[logicalId]?.Properties?.ServiceToken, resources);
    } catch (error) {
      return { kind: 'unresolved', detail: (error as Error).message };
    }
  }
}

function describeFinding(node: CfnResource, verdict: EligibilityVerdict): string {
  return (
    `${node.node.path} is ${verdict.type}` +
    `${verdict.service ? ` (${verdict.service})` : ''}, which is not HIPAA eligible [${verdict.class}]: ${verdict.reason.replace(/\.$/, '')}. ` +
    `Per the HIPAA-eligible services list dated ${ELIGIBILITY_LIST.date} (${ELIGIBILITY_LIST.source}).`
  );
}

import type { IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { assemblyTemplatesFromPaths, assemblyTemplatesOfScope, type AssemblyTemplates } from './synthesized-templates';
import { eligibilityFindings } from './template-eligibility';

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

/**
 * cdk-nag v3 pack: every resource of every synthesized template must be of a HIPAA-eligible type (or an explicit
 * control-plane type, or a custom resource backed by a Lambda function or SNS topic in the same template). It judges
 * the templates the validation framework hands plugins (`context.templatePaths`), not the construct tree, so the
 * type is the one CloudFormation will create whatever construct or escape hatch wrote it; templates with transforms
 * and nested stacks it cannot trace fail closed (lib/compliance/packs/template-eligibility.ts).
 *
 * Findings are `fatal`, which the CDK framework never lets a plain `Validations.acknowledge()` suppress, and the pack
 * ignores acknowledgements itself: the only way past it is an entry in the typed exception register
 * (lib/compliance/exception-register.ts), matched on the construct path the construct tree gives the logical ID.
 */
export class HipaaEligibilityChecks extends NagPack {
  public readonly name = HIPAA_ELIGIBILITY_PACK_NAME;
  public readonly ruleIds = [HIPAA_ELIGIBILITY_RULE_ID];
  private readonly exceptedPaths: ReadonlySet<string>;

  constructor(scope?: IConstruct, props: HipaaEligibilityChecksProps = {}) {
    super(scope, props);
    this.packName = HIPAA_ELIGIBILITY_PACK_NAME;
    this.exceptedPaths = new Set(props.exceptedPaths ?? []);
  }

  /** Called by the CDK validation framework after synthesis: judges exactly the templates it was handed. */
  public override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.report(assemblyTemplatesFromPaths(context.templatePaths, context.appConstruct));
  }

  /**
   * Judges the synthesized templates of every stack at or under `scope` (call after `app.synth()`; a stack without a
   * template is a finding, never a pass). For tests and direct invocation; same judgement as `validate`.
   */
  public override validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.report(assemblyTemplatesOfScope(scope));
  }

  /** Not used: the pack judges templates itself so that acknowledgements cannot apply. */
  protected checkResource(): void {}

  private report(assembly: AssemblyTemplates): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = eligibilityFindings(assembly, this.exceptedPaths).map((finding) => ({
      ruleName: HIPAA_ELIGIBILITY_RULE_ID,
      description: finding.description,
      fix: finding.fix,
      severity: 'fatal',
      violatingResources: [
        {
          constructPath: finding.constructPath,
          templatePath: finding.templatePath,
          resourceLogicalId: finding.logicalId,
          locations: [finding.location],
        },
      ],
    }));
    return { success: violations.length === 0, violations };
  }
}

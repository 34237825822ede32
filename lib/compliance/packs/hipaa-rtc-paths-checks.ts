import {
  Stack,
  type IPolicyValidationContext,
  type IPolicyValidationPlugin,
  type PolicyValidationPluginReport,
} from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { evaluatePaths, loadTemplateSet, PATH_RULES, type TemplateFile } from '../paths';
import { pathViolations } from '../paths/violations';

export const HIPAA_RTC_PATHS_PACK_NAME = 'HipaaRtcPaths';

function stackNameAt(app: IConstruct, constructPath: string): string | undefined {
  const node = app.node.findAll().find((c) => c.node.path === constructPath);
  return node && Stack.isStack(node) ? node.stackName : undefined;
}

/**
 * Validation plugin: reads every synthesized template of the assembly as one graph and fails synth when a path the
 * product depends on does not connect (ICE reachability, alarm and event notifications, log and evidence delivery).
 * It judges the templates CloudFormation will deploy, not constructs, and it is a plain plugin rather than a cdk-nag
 * pack: a path spans resources in several stacks, which per-resource rules and per-resource suppressions cannot
 * express. Its findings are errors; there is no acknowledgement: fix the path (docs/paths.md).
 */
export class HipaaRtcPathsChecks implements IPolicyValidationPlugin {
  public readonly name = HIPAA_RTC_PATHS_PACK_NAME;
  public readonly ruleIds = Object.values(PATH_RULES) as string[];

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const files: TemplateFile[] = context.stackTemplates.map((stack) => {
      const stackId = stack.stackConstructPath.split('/').pop() ?? stack.stackConstructPath;
      return {
        stackId,
        stackName: stackNameAt(context.appConstruct, stack.stackConstructPath) ?? stackId,
        region: stack.region,
        account: stack.accountId,
        templatePath: stack.templatePath,
      };
    });
    const set = loadTemplateSet(files);
    const violations = pathViolations(set, evaluatePaths(set));
    return { success: violations.length === 0, violations };
  }
}

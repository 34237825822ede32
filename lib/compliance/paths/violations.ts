import type { PolicyViolation } from 'aws-cdk-lib';
import { PATH_RULE_CONTROLS, type PathResult } from './model';
import { stackOf, type TemplateSet } from './template-set';

/** One violation per failing hop: it names the path, the hop, what was found and what to do. */
export function pathViolations(set: TemplateSet, paths: readonly PathResult[]): PolicyViolation[] {
  return paths.flatMap((path) =>
    path.hops
      .filter((hop) => hop.verdict === 'fail')
      .map((hop) => {
        // A hop that names no resource of its own is reported on the last resource the path reached.
        const resource = hop.resource ?? [...path.hops].reverse().find((h) => h.resource)?.resource;
        const stack = resource ? stackOf(set, resource.stackId) : undefined;
        return {
          ruleName: path.rule,
          description: `Path "${path.title}", hop "${hop.name}": ${hop.detail} - (Control ID: ${PATH_RULE_CONTROLS[path.rule].join(', ')}).`,
          fix: hop.fix ?? 'Make the hop connect in the templates.',
          severity: 'fatal',
          violatingResources:
            resource && stack
              ? [{ resourceLogicalId: resource.logicalId, templatePath: stack.templatePath, locations: [] }]
              : [],
        };
      }),
  );
}

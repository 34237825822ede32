import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Stage } from 'aws-cdk-lib';

export interface TemplateResources {
  readonly [logicalId: string]: { readonly Type?: unknown; readonly Properties?: Record<string, unknown> };
}

/**
 * Reads a stack's synthesized template. Rules that must see resolved CloudFormation (a custom resource's
 * ServiceToken) judge the template rather than construct internals, exactly as the CLI judges any template.
 * Validation plugins run after templates are written; a scope validated before synthesis has no template, and
 * the caller must treat that as a failure, never a pass.
 */
export function readStackResources(stack: Stack, cache: Map<Stack, TemplateResources>): TemplateResources {
  const cached = cache.get(stack);
  if (cached) return cached;
  const file = path.join(Stage.of(stack)?.outdir ?? '', stack.templateFile);
  if (!fs.existsSync(file)) {
    throw new Error(
      `the template of ${stack.node.path} has not been synthesized (${file}); synthesize before validating`,
    );
  }
  const resources = (JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}) as TemplateResources;
  cache.set(stack, resources);
  return resources;
}

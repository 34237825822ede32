import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnElement, NestedStack, Stack, Stage, type CfnResource } from 'aws-cdk-lib';
import type { CfnStack } from 'aws-cdk-lib/aws-cloudformation';
import type { IConstruct } from 'constructs';

/**
 * Reads the synthesized templates of an assembly, the documents CloudFormation will actually deploy, and names each
 * resource by construct path. Packs that must judge what deploys (not what the construct tree intends) build on it:
 * an escape hatch (`addOverride('Type', ...)`), a CfnElement that renders its own resource, or a raw `CfnInclude`
 * all show in the template and nowhere else.
 *
 * Shared by the eligibility pack and any other pack that reads templates; it judges nothing itself.
 */

export interface TemplateResource {
  readonly logicalId: string;
  /** `Type` exactly as written in the template (normally a string; anything else must be refused by the caller). */
  readonly type: unknown;
  readonly properties: Readonly<Record<string, unknown>>;
  /**
   * The construct that renders this logical ID, found in the construct tree. Only this path is trustworthy for
   * exceptions: `aws:cdk:path` metadata can be written by anyone with an escape hatch.
   */
  readonly constructPath?: string;
  /** The `aws:cdk:path` metadata of the resource, when present (a name for a resource the tree does not know). */
  readonly metadataPath?: string;
}

export interface SynthesizedTemplate {
  /** Absolute path of the template file. */
  readonly file: string;
  /** The stack (or nested stack) that synthesized it, when known. */
  readonly stack?: Stack;
  /** The whole parsed document. */
  readonly document: Readonly<Record<string, unknown>>;
  readonly resources: readonly TemplateResource[];
  /** For a nested stack's template: the parent template and the `AWS::CloudFormation::Stack` resource deploying it. */
  readonly deployedBy?: { readonly template: SynthesizedTemplate; readonly logicalId: string };
}

/** An `AWS::CloudFormation::Stack` whose template is not a CDK nested stack of this assembly, with the reason. */
export interface UnresolvedNestedStack {
  readonly template: SynthesizedTemplate;
  readonly resource: TemplateResource;
  readonly reason: string;
}

export interface AssemblyTemplates {
  /** Every template to judge: each stack's, then each CDK nested stack's (recursively). */
  readonly templates: readonly SynthesizedTemplate[];
  readonly unresolvedNestedStacks: readonly UnresolvedNestedStack[];
  /** Stacks under the scope whose template file does not exist (validated before synthesis). */
  readonly missing: ReadonlyArray<{ readonly stack?: Stack; readonly file: string }>;
}

export const NESTED_STACK_TYPE = 'AWS::CloudFormation::Stack';

/** Absolute path of a stack's (or nested stack's) template file in its assembly directory. */
export function templateFileOf(stack: Stack): string {
  return path.resolve(Stage.of(stack)?.outdir ?? '', stack.templateFile);
}

/** Top-level stacks at or under `scope` (nested stacks are reached through their parent's template). */
export function stacksUnder(scope: IConstruct): Stack[] {
  return scope.node.findAll().filter((node): node is Stack => Stack.isStack(node) && !NestedStack.isNestedStack(node));
}

/** Logical ID -> construct path for every CloudFormation element the stack itself renders. */
export function constructPathsByLogicalId(stack: Stack): Map<string, string> {
  const paths = new Map<string, string>();
  for (const node of stack.node.findAll()) {
    if (!CfnElement.isCfnElement(node) || node.stack !== stack) continue;
    paths.set(stack.resolve(node.logicalId) as string, node.node.path);
  }
  return paths;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a template file; a template that is not a JSON object is an error, never an empty pass. */
export function readTemplateDocument(file: string): Record<string, unknown> {
  const document: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(document)) throw new Error(`${file} is not a CloudFormation template (not a JSON object)`);
  return document;
}

/**
 * The resources of a parsed template, each named by the construct tree when a stack is given, and by its
 * `aws:cdk:path` metadata otherwise. Pure apart from the optional tree lookup.
 */
export function templateResources(
  document: Readonly<Record<string, unknown>>,
  paths: ReadonlyMap<string, string> = new Map(),
): TemplateResource[] {
  const resources = isRecord(document.Resources) ? document.Resources : {};
  return Object.entries(resources).map(([logicalId, body]) => {
    const resource = isRecord(body) ? body : {};
    const metadata = isRecord(resource.Metadata) ? resource.Metadata : {};
    const metadataPath = metadata['aws:cdk:path'];
    return {
      logicalId,
      type: resource.Type,
      properties: isRecord(resource.Properties) ? resource.Properties : {},
      constructPath: paths.get(logicalId),
      metadataPath: typeof metadataPath === 'string' ? metadataPath : undefined,
    };
  });
}

function loadTemplate(
  file: string,
  stack?: Stack,
  deployedBy?: SynthesizedTemplate['deployedBy'],
): SynthesizedTemplate {
  const document = readTemplateDocument(file);
  return {
    file,
    stack,
    document,
    resources: templateResources(document, stack ? constructPathsByLogicalId(stack) : undefined),
    deployedBy,
  };
}

/**
 * Finds the CDK NestedStack a parent template's `AWS::CloudFormation::Stack` resource deploys. It is understood only
 * when the construct tree has a NestedStack rendering that logical ID AND the template's TemplateURL is exactly the
 * asset URL CDK generated for it (an override pointing elsewhere would deploy a template nobody judged).
 */
function resolveNestedStack(
  parent: SynthesizedTemplate,
  resource: TemplateResource,
): { nested: NestedStack; file: string } | { reason: string } {
  const parentStack = parent.stack;
  if (!parentStack) return { reason: 'the template that declares it has no stack in the construct tree' };
  const nested = parentStack.node
    .findAll()
    .find(
      (node): node is NestedStack =>
        NestedStack.isNestedStack(node) &&
        node.nestedStackResource !== undefined &&
        node.nestedStackResource.stack === parentStack &&
        parentStack.resolve(node.nestedStackResource.logicalId) === resource.logicalId,
    );
  if (!nested) {
    return { reason: 'its TemplateURL is not the template of a CDK NestedStack in this assembly' };
  }
  const generatedUrl = parentStack.resolve((nested.nestedStackResource as CfnResource as CfnStack).templateUrl);
  if (JSON.stringify(resource.properties.TemplateURL) !== JSON.stringify(generatedUrl)) {
    return {
      reason: `its TemplateURL was changed from the asset CDK synthesized for ${nested.node.path}, so it deploys a template nobody judged`,
    };
  }
  const file = templateFileOf(nested);
  if (!fs.existsSync(file)) return { reason: `the nested template ${file} has not been synthesized` };
  return { nested, file };
}

/**
 * Loads the given stacks' templates and, recursively, the template of every CDK nested stack they deploy. Nested
 * stacks that cannot be traced to a synthesized template are returned as unresolved, for the caller to refuse.
 */
export function loadAssemblyTemplates(
  entries: ReadonlyArray<{ readonly file: string; readonly stack?: Stack }>,
): AssemblyTemplates {
  const templates: SynthesizedTemplate[] = [];
  const unresolvedNestedStacks: UnresolvedNestedStack[] = [];
  const missing: Array<{ stack?: Stack; file: string }> = [];
  const queue: SynthesizedTemplate[] = [];
  for (const { file, stack } of entries) {
    if (!fs.existsSync(file)) missing.push({ stack, file });
    else queue.push(loadTemplate(file, stack));
  }
  // Bounded: each nested stack is a distinct construct, and a construct tree is finite and acyclic.
  while (queue.length > 0) {
    const template = queue.shift() as SynthesizedTemplate;
    templates.push(template);
    for (const resource of template.resources) {
      if (resource.type !== NESTED_STACK_TYPE) continue;
      const found = resolveNestedStack(template, resource);
      if ('reason' in found) unresolvedNestedStacks.push({ template, resource, reason: found.reason });
      else queue.push(loadTemplate(found.file, found.nested, { template, logicalId: resource.logicalId }));
    }
  }
  return { templates, unresolvedNestedStacks, missing };
}

/**
 * The templates a validation plugin was handed (`context.templatePaths`), matched to their stacks through the app's
 * construct tree. A path with no stack is still loaded and judged, named by metadata only.
 */
export function assemblyTemplatesFromPaths(templatePaths: readonly string[], app?: IConstruct): AssemblyTemplates {
  const stackByFile = new Map((app ? stacksUnder(app) : []).map((stack) => [templateFileOf(stack), stack]));
  return loadAssemblyTemplates(
    templatePaths.map((file) => ({ file: path.resolve(file), stack: stackByFile.get(path.resolve(file)) })),
  );
}

/** The templates of every stack at or under `scope`, read from its assembly directory (after `app.synth()`). */
export function assemblyTemplatesOfScope(scope: IConstruct): AssemblyTemplates {
  return loadAssemblyTemplates(stacksUnder(scope).map((stack) => ({ file: templateFileOf(stack), stack })));
}

import * as path from 'node:path';
import {
  ELIGIBILITY_LIST,
  classifyServiceToken,
  isCustomResourceType,
  judgeResource,
  type EligibilityVerdict,
  type TemplateParameterLike,
  type TemplateResourceLike,
} from '../eligibility';
import type { AssemblyTemplates, SynthesizedTemplate, TemplateResource } from './synthesized-templates';
import { templateTransforms, transformAdvice } from './template-transforms';

/**
 * The eligibility rule over synthesized templates: every resource of every template (nested ones included) is judged
 * by its `Type` as written, so whatever produced it (an L2, an escape hatch, a raw CfnElement, CfnInclude) cannot
 * matter. What the gate cannot see through (a transform, a nested stack that is not a CDK NestedStack of this
 * assembly, a template that was never written) fails closed.
 */
export interface EligibilityFinding {
  readonly description: string;
  readonly fix: string;
  /** The construct path from the construct tree, when the resource has one. */
  readonly constructPath?: string;
  readonly templatePath: string;
  readonly logicalId?: string;
  readonly location: string;
}

const REMOVE_OR_EXCEPT =
  'Remove the resource. If it never stores, processes or transmits PHI, record a reviewed, expiring exception ' +
  'in lib/compliance/exception-register.ts (rule, path, reason, owner, expiry, safeguard).';

/** How a finding names a resource: construct path, else metadata path, else logical ID in its template file. */
export function resourceName(template: SynthesizedTemplate, resource: TemplateResource): string {
  if (resource.constructPath) return resource.constructPath;
  const where = `logical ID ${resource.logicalId} in ${path.basename(template.file)}`;
  return resource.metadataPath ? `${resource.metadataPath} (${where}, named by its metadata)` : where;
}

function templateName(template: SynthesizedTemplate): string {
  return template.stack
    ? `${template.stack.node.path} (${path.basename(template.file)})`
    : path.basename(template.file);
}

function judge(resource: TemplateResource, template: SynthesizedTemplate): EligibilityVerdict | string {
  if (typeof resource.type !== 'string') {
    return `its Type is not a literal string (${JSON.stringify(resource.type)}), so CloudFormation's resource type cannot be known`;
  }
  const parameters = templateParameters(template.document);
  if (!isCustomResourceType(resource.type))
    return judgeResource(resource.type, { properties: resource.properties, parameters });
  const byLogicalId: Record<string, TemplateResourceLike> = Object.fromEntries(
    template.resources.map((r) => [r.logicalId, { Type: r.type }]),
  );
  return judgeResource(resource.type, {
    serviceToken: classifyServiceToken(resource.properties.ServiceToken, byLogicalId),
  });
}

function templateParameters(document: Readonly<Record<string, unknown>>): Record<string, TemplateParameterLike> {
  const parameters = document.Parameters;
  return typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters)
    ? (parameters as Record<string, TemplateParameterLike>)
    : {};
}

function describeVerdict(name: string, verdict: EligibilityVerdict): string {
  return (
    `${name} is ${verdict.type}` +
    `${verdict.service ? ` (${verdict.service})` : ''}, which is not HIPAA eligible [${verdict.class}]: ${verdict.reason.replace(/\.$/, '')}. ` +
    `Per the HIPAA-eligible services list dated ${ELIGIBILITY_LIST.date} (${ELIGIBILITY_LIST.source}).`
  );
}

function resourceFindings(
  template: SynthesizedTemplate,
  excepted: ReadonlySet<string>,
  unresolvedNested: ReadonlyMap<string, string>,
): EligibilityFinding[] {
  const findings: EligibilityFinding[] = [];
  for (const resource of template.resources) {
    // Only a construct-tree path can carry an exception: metadata is writable by any escape hatch.
    if (resource.constructPath && excepted.has(resource.constructPath)) continue;
    const name = resourceName(template, resource);
    const at = { constructPath: resource.constructPath, templatePath: template.file, logicalId: resource.logicalId };
    const verdict = judge(resource, template);
    if (typeof verdict === 'string') {
      findings.push({ ...at, location: 'Type', description: `${name}: ${verdict}.`, fix: REMOVE_OR_EXCEPT });
    } else if (!verdict.eligible) {
      findings.push({ ...at, location: 'Type', description: describeVerdict(name, verdict), fix: REMOVE_OR_EXCEPT });
    }
    const nestedReason = unresolvedNested.get(resource.logicalId);
    if (nestedReason !== undefined) {
      findings.push({
        ...at,
        location: 'Properties/TemplateURL',
        description:
          `${name} is a nested stack (AWS::CloudFormation::Stack) whose template the gate cannot judge: ${nestedReason}. ` +
          'Every resource it deploys would escape the HIPAA-eligibility gate.',
        fix: 'Define the nested stack as a CDK NestedStack in this app (its template is then synthesized and judged), or deploy that template as a stack of its own.',
      });
    }
  }
  return findings;
}

function transformFindings(template: SynthesizedTemplate): EligibilityFinding[] {
  return templateTransforms(template.document).map((transform) => ({
    constructPath: template.stack?.node.path,
    templatePath: template.file,
    location: transform.location,
    description:
      `The template of ${templateName(template)} uses the transform ${transform.name} (at ${transform.location}). ` +
      'CloudFormation expands it at deploy time into resources the HIPAA-eligibility gate never sees, so the gate ' +
      'refuses it (fail closed).',
    fix: transformAdvice(transform.name),
  }));
}

/** Every finding of the eligibility rule over an assembly's templates. No acknowledgement can reach this. */
export function eligibilityFindings(
  assembly: AssemblyTemplates,
  exceptedPaths: ReadonlySet<string>,
): EligibilityFinding[] {
  const findings: EligibilityFinding[] = assembly.missing.map(({ stack, file }) => ({
    constructPath: stack?.node.path,
    templatePath: file,
    location: 'Resources',
    description: `The template of ${stack?.node.path ?? file} has not been synthesized (${file}), so nothing in it can be judged.`,
    fix: 'Synthesize the app (app.synth()) before validating; the gate judges templates, never the construct tree alone.',
  }));
  for (const template of assembly.templates) {
    const unresolved = new Map(
      assembly.unresolvedNestedStacks
        .filter((entry) => entry.template === template)
        .map((entry) => [entry.resource.logicalId, entry.reason]),
    );
    findings.push(...transformFindings(template), ...resourceFindings(template, exceptedPaths, unresolved));
  }
  return findings;
}

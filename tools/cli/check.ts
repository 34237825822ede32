/**
 * `hipaa-rtc check`: judges every resource of any CloudFormation template with the same function as the synth-time
 * rule and the Guard Hook, after expanding what CloudFormation would expand: `Fn::ForEach` (AWS::LanguageExtensions),
 * SAM resources (AWS::Serverless-2016-10-31), and nested stacks whose template is a local file. What it cannot expand
 * (another macro, a nested template at a URL) fails closed. Each file gets its own result; a file that cannot be read
 * is bad input for that file alone. A non-eligible resource passes only with an eligibility exception recorded in its
 * template metadata by the typed register, and is then listed as excepted, never silently.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  classifyServiceToken,
  isCustomResourceType,
  judgeResource,
  ELIGIBILITY_LIST,
  type EligibilityVerdict,
  type TemplateParameterLike,
} from '../../lib/compliance/eligibility';
import { eligibilityExceptionIn, type TemplateException } from '../../lib/compliance/exception-metadata';
import { expandForEach, usesForEach } from './expand/language-extensions';
import { expandSamResource, implicitApiResources, SAM_TRANSFORM, type ImplicitApis } from './expand/sam';
import {
  BadInputError,
  BadTemplateError,
  readTemplate,
  resolveTemplateFiles,
  type SkippedFile,
  type TemplateDocument,
  type TemplateResource,
} from './template-files';

export const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
/** CloudFormation nests stacks deeper than this only in pathological templates; it also stops cycles. */
const MAX_NESTING = 5;

export interface ResourceResult {
  /** The template file the resource is written in (a nested template's own file for its resources). */
  readonly file: string;
  readonly logicalId: string;
  /** How the resource came to be judged, when not written as-is: a loop, a SAM resource, a nested stack. */
  readonly origin?: string;
  /** For a resource of a nested template: the logical IDs of the stack resources leading to it (`Parent/Child`). */
  readonly nestedIn?: string;
  readonly verdict: EligibilityVerdict;
  /** The register entry from the template metadata that lets a non-eligible resource through. */
  readonly exception?: TemplateException;
  /** Why an eligibility exception in the template metadata was not honoured. */
  readonly exceptionProblems?: readonly string[];
}

/** Something about a template, not a single resource type, that the gate cannot judge. */
export interface Finding {
  readonly file: string;
  readonly logicalId?: string;
  readonly message: string;
  /** A blocking finding fails the file (exit 1), like a non-eligible resource. */
  readonly blocking: boolean;
}

export type FileStatus = 'ok' | 'not-eligible' | 'bad-input';

export interface FileResult {
  readonly file: string;
  readonly status: FileStatus;
  /** CDK output (construct paths in the metadata) or a template written by hand: the advice differs. */
  readonly origin: 'cdk' | 'template';
  readonly transforms: readonly string[];
  readonly resources: readonly ResourceResult[];
  readonly findings: readonly Finding[];
  /** Set for bad input: what is wrong, and the line when the parser knows it. */
  readonly error?: { readonly message: string; readonly line?: number };
  readonly notEligible: number;
  readonly excepted: number;
}

export interface CheckResult {
  readonly listDate: string;
  readonly source: string;
  /** Every file judged, in order. */
  readonly files: readonly string[];
  readonly results: readonly FileResult[];
  /** Files found in directories that are not templates, each with why. */
  readonly skipped: readonly SkippedFile[];
  /** Every judged resource of every file, in order (the same objects as in `results`). */
  readonly resources: readonly ResourceResult[];
  readonly notEligible: number;
  readonly excepted: number;
  readonly badFiles: number;
  /** The worst status over the files: 2 bad input, 1 not eligible, 0 all eligible. */
  readonly exitCode: 0 | 1 | 2;
}

export interface CheckOptions {
  /** The day exceptions are judged against (expiry and review horizon). */
  readonly today?: Date;
  /** Report a nested stack whose template cannot be read as unjudged without failing the file. */
  readonly allowUnjudgedNested?: boolean;
}

interface Judged {
  readonly resources: ResourceResult[];
  readonly findings: Finding[];
  readonly transforms: string[];
  cdk: boolean;
}

function transformNames(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map((item) =>
    typeof item === 'string' ? item : String((item as { Name?: unknown } | null)?.Name ?? JSON.stringify(item)),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where `Fn::Transform` (a macro such as AWS::Include) appears inside a resource, if anywhere. */
function hasInlineTransform(node: unknown, depth = 0): boolean {
  if (depth > 40 || typeof node !== 'object' || node === null) return false;
  if (Array.isArray(node)) return node.some((item) => hasInlineTransform(item, depth + 1));
  return Object.entries(node).some(([key, value]) => key === 'Fn::Transform' || hasInlineTransform(value, depth + 1));
}

/** A nested template given as a local path (CloudFormation would need it packaged first; the file is what deploys). */
function localNestedTemplate(location: unknown, metadata: unknown, file: string): string | undefined {
  const candidates: unknown[] = [location, isRecord(metadata) ? metadata['aws:asset:path'] : undefined];
  for (const candidate of candidates) {
    if (typeof candidate !== 'string' || /^[a-z][a-z0-9+.-]*:\/\//i.test(candidate)) continue;
    const resolved = path.resolve(path.dirname(file), candidate);
    if (fs.existsSync(resolved) && fs.statSync(resolved).isFile()) return resolved;
  }
  return undefined;
}

function describeLocation(location: unknown): string {
  if (typeof location === 'string') return location;
  if (isRecord(location) && 'ApplicationId' in location) return 'a Serverless Application Repository application';
  return 'an expression resolved at deploy';
}

class TemplateJudge {
  nestedIn: string | undefined;
  constructor(
    readonly options: Required<CheckOptions>,
    readonly out: Judged,
  ) {}

  judgeFile(file: string, document: TemplateDocument, chain: readonly string[], via?: string, nestedIn?: string): void {
    this.nestedIn = nestedIn;
    const transforms = transformNames(document.Transform);
    if (chain.length === 0) this.out.transforms.push(...transforms);
    for (const name of transforms) {
      if (name !== LANGUAGE_EXTENSIONS && name !== SAM_TRANSFORM) {
        this.out.findings.push({
          file,
          message:
            `the transform ${name} is a macro the CLI cannot expand: CloudFormation runs it at deploy, and what it ` +
            'produces cannot be judged here (fails closed). Judge the processed template instead ' +
            '(aws cloudformation get-template --template-stage Processed).',
          blocking: true,
        });
      }
    }
    const raw = document.Resources;
    let entries: Array<{ logicalId: string; body: unknown; origin?: string }>;
    if (usesForEach(raw)) {
      if (!transforms.includes(LANGUAGE_EXTENSIONS)) {
        throw new BadTemplateError(file, `Fn::ForEach needs "Transform: ${LANGUAGE_EXTENSIONS}" in the template`);
      }
      entries = expandForEach(file, raw).map((e) => ({
        logicalId: e.logicalId,
        body: e.body,
        origin: e.loops.length ? e.loops.join(' > ') : undefined,
      }));
    } else entries = Object.entries(raw).map(([logicalId, body]) => ({ logicalId, body }));

    const parameters = (isRecord(document.Parameters) ? document.Parameters : {}) as Record<
      string,
      TemplateParameterLike
    >;
    const byLogicalId: Record<string, TemplateResource> = {};
    for (const { logicalId, body } of entries) {
      const type = isRecord(body) ? body.Type : undefined;
      if (typeof type !== 'string' || type.length === 0) {
        throw new BadTemplateError(file, `resource ${logicalId} has no "Type"`);
      }
      byLogicalId[logicalId] = body as unknown as TemplateResource;
    }
    const sam = transforms.includes(SAM_TRANSFORM);
    const implicit: ImplicitApis = { rest: false, http: false };
    const globals = isRecord(document.Globals) ? document.Globals : {};
    const prefix = via ? `${via} > ` : '';
    for (const { logicalId, origin } of entries) {
      const resource = byLogicalId[logicalId];
      const where = origin ? `${prefix}${origin}` : via;
      const metadata = resource.Metadata;
      if (isRecord(metadata) && typeof metadata['aws:cdk:path'] === 'string') this.out.cdk = true;
      if (hasInlineTransform(resource)) {
        this.out.findings.push({
          file,
          logicalId,
          message:
            `${logicalId} uses Fn::Transform (a macro such as AWS::Include): what it inserts at deploy cannot be ` +
            'judged here (fails closed).',
          blocking: true,
        });
      }
      // Without the transform CloudFormation would refuse the type; the judge refuses it too (a SAM macro alone).
      if (sam && resource.Type.startsWith('AWS::Serverless::')) {
        const expansion = expandSamResource(logicalId, resource.Type, resource.Properties ?? {}, globals, implicit);
        for (const generated of expansion.resources) {
          this.push(
            file,
            generated.logicalId,
            [where, generated.origin].filter(Boolean).join(' > '),
            judgeResource(generated.type, { properties: generated.properties }),
            metadata,
          );
        }
        for (const problem of expansion.problems)
          this.out.findings.push({ file, logicalId, message: `${problem} (fails closed).`, blocking: true });
        if (expansion.nestedLocation !== undefined)
          this.nested(file, logicalId, expansion.nestedLocation, metadata, chain, where);
        continue;
      }
      const verdict = isCustomResourceType(resource.Type)
        ? judgeResource(resource.Type, {
            serviceToken: classifyServiceToken(resource.Properties?.ServiceToken, byLogicalId),
          })
        : judgeResource(resource.Type, { properties: resource.Properties, parameters });
      this.push(file, logicalId, where, verdict, metadata);
      if (resource.Type === 'AWS::CloudFormation::Stack') {
        this.nested(file, logicalId, resource.Properties?.TemplateURL, metadata, chain, where);
      }
    }
    for (const generated of implicitApiResources(implicit)) {
      this.push(
        file,
        generated.logicalId,
        [via, generated.origin].filter(Boolean).join(' > '),
        judgeResource(generated.type),
        undefined,
      );
    }
  }

  push(file: string, logicalId: string, origin: string | undefined, verdict: EligibilityVerdict, metadata: unknown) {
    const base = {
      file,
      logicalId,
      ...(origin ? { origin } : {}),
      ...(this.nestedIn ? { nestedIn: this.nestedIn } : {}),
      verdict,
    };
    if (verdict.eligible) {
      this.out.resources.push(base);
      return;
    }
    const lookup = eligibilityExceptionIn(metadata, this.options.today);
    if (lookup.kind === 'honoured') this.out.resources.push({ ...base, exception: lookup.exception });
    else if (lookup.kind === 'refused') this.out.resources.push({ ...base, exceptionProblems: lookup.problems });
    else this.out.resources.push(base);
  }

  nested(
    file: string,
    logicalId: string,
    location: unknown,
    metadata: unknown,
    chain: readonly string[],
    via?: string,
  ) {
    const local = localNestedTemplate(location, metadata, file);
    if (!local) {
      this.out.findings.push({
        file,
        logicalId,
        message: this.options.allowUnjudgedNested
          ? `nested stack ${logicalId} not judged (allowed by --allow-unjudged-nested): template is not a local file: ${describeLocation(location)}`
          : `nested stack ${logicalId} cannot be judged (fails closed): template is not a local file: ${describeLocation(location)}`,
        blocking: !this.options.allowUnjudgedNested,
      });
      return;
    }
    if (chain.includes(local) || chain.length >= MAX_NESTING) {
      throw new BadTemplateError(
        file,
        `nested stack ${logicalId}: ${path.basename(local)} nests in a cycle or deeper than ${MAX_NESTING} levels`,
      );
    }
    const outcome = readTemplate(local);
    if (outcome.kind !== 'template') {
      throw new BadTemplateError(file, `nested stack ${logicalId}: ${local} is not a template (${outcome.reason})`);
    }
    const label = `nested stack ${logicalId} (${path.relative(path.dirname(file), local)})`;
    const parentNesting = this.nestedIn;
    this.judgeFile(
      local,
      outcome.document,
      [...chain, file],
      via ? `${via} > ${label}` : label,
      parentNesting ? `${parentNesting}/${logicalId}` : logicalId,
    );
    this.nestedIn = parentNesting;
  }
}

function fileResult(file: string, options: Required<CheckOptions>, document: TemplateDocument): FileResult {
  const out: Judged = { resources: [], findings: [], transforms: [], cdk: false };
  new TemplateJudge(options, out).judgeFile(file, document, []);
  const notEligible =
    out.resources.filter((r) => !r.verdict.eligible && !r.exception).length +
    out.findings.filter((f) => f.blocking).length;
  return {
    file,
    status: notEligible > 0 ? 'not-eligible' : 'ok',
    origin: out.cdk ? 'cdk' : 'template',
    transforms: out.transforms,
    resources: out.resources,
    findings: out.findings,
    notEligible,
    excepted: out.resources.filter((r) => r.exception).length,
  };
}

function badFile(file: string, error: BadTemplateError): FileResult {
  return {
    file,
    status: 'bad-input',
    origin: 'template',
    transforms: [],
    resources: [],
    findings: [],
    error: { message: error.message, ...(error.line ? { line: error.line } : {}) },
    notEligible: 0,
    excepted: 0,
  };
}

/** Judges every template among the inputs; throws BadInputError only for arguments that name nothing to judge. */
export function checkTemplates(inputs: readonly string[], options: CheckOptions = {}): CheckResult {
  const resolved: Required<CheckOptions> = {
    today: options.today ?? new Date(),
    allowUnjudgedNested: options.allowUnjudgedNested ?? false,
  };
  const { explicit, discovered } = resolveTemplateFiles(inputs);
  const results: FileResult[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  for (const [file, named] of [
    ...explicit.map((f) => [f, true] as const),
    ...discovered.map((f) => [f, false] as const),
  ]) {
    const key = path.resolve(file);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const outcome = readTemplate(file);
      if (outcome.kind === 'template') results.push(fileResult(file, resolved, outcome.document));
      else if (named)
        results.push(badFile(file, new BadTemplateError(file, `not a CloudFormation template (${outcome.reason})`)));
      else skipped.push({ file, reason: outcome.reason });
    } catch (error) {
      if (!(error instanceof BadTemplateError)) throw error;
      results.push(badFile(file, error));
    }
  }
  if (results.length === 0) {
    throw new BadInputError(
      `${inputs.join(', ')}: no CloudFormation template found (${skipped.length} JSON or YAML files without "Resources")`,
    );
  }
  const resources = results.flatMap((r) => r.resources);
  const badFiles = results.filter((r) => r.status === 'bad-input').length;
  const notEligible = results.reduce((sum, r) => sum + r.notEligible, 0);
  return {
    listDate: ELIGIBILITY_LIST.date,
    source: ELIGIBILITY_LIST.source,
    files: results.map((r) => r.file),
    results,
    skipped,
    resources,
    notEligible,
    excepted: results.reduce((sum, r) => sum + r.excepted, 0),
    badFiles,
    exitCode: badFiles > 0 ? 2 : notEligible > 0 ? 1 : 0,
  };
}

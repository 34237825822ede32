/**
 * Finds and reads CloudFormation templates for `hipaa-rtc check`. A file that cannot be read as a template is bad
 * input for that file only (the run goes on with the others); a directory yields every JSON or YAML file in it that
 * is a template, and names each file it skips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCloudFormationTemplate, TemplateSyntaxError } from './cloudformation-yaml';

/** Bad command-line input (no file given, a path that does not exist, a bad option): the whole run exits 2. */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

/** One file that is not a readable CloudFormation template: its result is exit 2, the other files are still judged. */
export class BadTemplateError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${problem}`);
    this.name = 'BadTemplateError';
  }
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface TemplateDocument {
  readonly Transform?: unknown;
  readonly Parameters?: Record<string, { readonly AllowedValues?: unknown }>;
  readonly Globals?: Record<string, unknown>;
  readonly Resources: Record<string, unknown>;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

const TEMPLATE_EXTENSION = /\.(json|ya?ml|template)$/i;
const MAX_DIRECTORY_DEPTH = 12;
/** CloudFormation accepts at most 1 MB from S3; anything far larger is not a template worth parsing. */
const MAX_TEMPLATE_BYTES = 8 * 1024 * 1024;
/** Directories that never hold the user's templates: dependencies, VCS data, CDK asset staging. */
const SKIPPED_DIRECTORY = /^(node_modules|\.git|\.cdk\.staging|asset\..+)$/;

function filesUnder(directory: string, depth: number, out: string[]): void {
  if (depth > MAX_DIRECTORY_DEPTH) return;
  const entries = fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORY.test(entry.name)) filesUnder(full, depth + 1, out);
    } else if (entry.isFile() && TEMPLATE_EXTENSION.test(entry.name)) out.push(full);
  }
}

export interface ResolvedInputs {
  /** Files named on the command line: each is judged, and one that is not a template is bad input. */
  readonly explicit: readonly string[];
  /** JSON and YAML files found in directories: judged if they are templates, otherwise skipped with a note. */
  readonly discovered: readonly string[];
}

/** Expands the command-line arguments into files, in a stable order. */
export function resolveTemplateFiles(inputs: readonly string[]): ResolvedInputs {
  if (inputs.length === 0) throw new BadInputError('no template given: pass template files or directories');
  const explicit: string[] = [];
  const discovered: string[] = [];
  for (const input of inputs) {
    if (!fs.existsSync(input)) throw new BadInputError(`${input}: no such file or directory`);
    if (fs.statSync(input).isDirectory()) filesUnder(input, 0, discovered);
    else explicit.push(input);
  }
  if (explicit.length === 0 && discovered.length === 0) {
    throw new BadInputError(`${inputs.join(', ')}: no *.json, *.yaml or *.yml file found`);
  }
  return { explicit, discovered };
}

export type ReadOutcome =
  | { readonly kind: 'template'; readonly document: TemplateDocument }
  | { readonly kind: 'not-a-template'; readonly reason: string };

/**
 * Reads one file. Throws BadTemplateError when the text is not valid JSON or YAML (duplicate keys and unknown tags
 * included); returns `not-a-template` when it parses but has no `Resources` mapping.
 */
export function readTemplate(file: string): ReadOutcome {
  const size = fs.statSync(file).size;
  if (size > MAX_TEMPLATE_BYTES) return { kind: 'not-a-template', reason: `larger than ${MAX_TEMPLATE_BYTES} bytes` };
  let document: unknown;
  try {
    document = parseCloudFormationTemplate(fs.readFileSync(file, 'utf8'), /\.json$/i.test(file));
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new BadTemplateError(file, error.message, error.line);
    throw new BadTemplateError(file, `cannot parse: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { kind: 'not-a-template', reason: 'not a JSON or YAML mapping' };
  }
  const resources = (document as { Resources?: unknown }).Resources;
  if (resources === undefined) return { kind: 'not-a-template', reason: 'no "Resources" section' };
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new BadTemplateError(file, '"Resources" is not a mapping of logical IDs to resources');
  }
  return { kind: 'template', document: document as TemplateDocument };
}

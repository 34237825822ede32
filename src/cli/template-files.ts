/**
 * Finds and reads CloudFormation templates for `hipaa-rtc check`. Bad input is a `BadInputError` (exit 2) naming the
 * file and what is wrong with it, never a crash and never a silent skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCloudFormationYaml } from './cloudformation-yaml';

export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

export interface LoadedTemplate {
  readonly file: string;
  readonly resources: Readonly<Record<string, TemplateResource>>;
  readonly parameters: Readonly<Record<string, { readonly AllowedValues?: unknown }>>;
}

/** In a directory (e.g. cdk.out, including nested stage assemblies), these are the templates. */
const TEMPLATE_IN_DIRECTORY = /\.template\.(json|ya?ml)$/;
const MAX_DIRECTORY_DEPTH = 8;

function templatesUnder(directory: string, depth = 0): string[] {
  if (depth > MAX_DIRECTORY_DEPTH) return [];
  return fs
    .readdirSync(directory, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) return templatesUnder(full, depth + 1);
      return entry.isFile() && TEMPLATE_IN_DIRECTORY.test(entry.name) ? [full] : [];
    });
}

/** Expands the command-line arguments into template files, in a stable order. */
export function resolveTemplateFiles(inputs: readonly string[]): string[] {
  if (inputs.length === 0) throw new BadInputError('no template given: pass template files or a cdk.out directory');
  return inputs.flatMap((input) => {
    if (!fs.existsSync(input)) throw new BadInputError(`${input}: no such file or directory`);
    if (!fs.statSync(input).isDirectory()) return [input];
    const found = templatesUnder(input);
    if (found.length === 0) {
      throw new BadInputError(`${input}: no *.template.json or *.template.yaml files in this directory; run cdk synth`);
    }
    return found;
  });
}

function parseText(file: string, text: string): unknown {
  try {
    // JSON is YAML, so the YAML parser reads both; JSON.parse only gives the clearer error for a .json file.
    return file.endsWith('.json') ? JSON.parse(text) : parseCloudFormationYaml(text);
  } catch (error) {
    throw new BadInputError(`${file}: cannot parse: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Reads one template and checks it has the shape of a CloudFormation template. */
export function loadTemplate(file: string): LoadedTemplate {
  const document = parseText(file, fs.readFileSync(file, 'utf8'));
  const resources = (document as { Resources?: unknown } | null)?.Resources;
  if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) {
    throw new BadInputError(`${file}: not a CloudFormation template (no "Resources" mapping)`);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = (resource as { Type?: unknown } | null)?.Type;
    if (typeof type !== 'string' || type.length === 0) {
      throw new BadInputError(`${file}: resource ${logicalId} has no "Type"`);
    }
  }
  const parameters = (document as { Parameters?: unknown }).Parameters;
  return {
    file,
    resources: resources as Record<string, TemplateResource>,
    parameters: typeof parameters === 'object' && parameters !== null ? (parameters as Record<string, never>) : {},
  };
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOOLING_TYPES } from './type-conditions';

interface GeneratedTypes {
  readonly source: string;
  readonly types: readonly string[];
}

let cache: { readonly source: string; readonly types: ReadonlySet<string> } | undefined;

function load() {
  if (!cache) {
    const file = path.join(__dirname, 'data', 'cfn-resource-types.json');
    const generated = JSON.parse(fs.readFileSync(file, 'utf8')) as GeneratedTypes;
    cache = { source: generated.source, types: new Set([...generated.types, ...Object.keys(TOOLING_TYPES)]) };
  }
  return cache;
}

/** Every resource type the gate can give a namespace-based verdict to; anything else is unknown and fails closed. */
export function knownResourceTypes(): readonly string[] {
  return [...load().types].sort();
}

export function isKnownResourceType(type: string): boolean {
  return load().types.has(type);
}

/** Where the known types came from (the aws-cdk-lib version they were generated from). */
export function knownResourceTypesSource(): string {
  return load().source;
}

/**
 * The `AWS::LanguageExtensions` transform's `Fn::ForEach` in `Resources`, expanded as CloudFormation expands it
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html):
 *
 *   "Fn::ForEach::LoopName": [ "Identifier", Collection, { "OutputKey${Identifier}": OutputValue } ]
 *
 * For each value of the collection, `${Identifier}` and `&{Identifier}` (non-alphanumerics removed) are replaced in
 * every key and string of the fragment, and `{"Ref": "Identifier"}` becomes the value. Loops nest up to five deep.
 * When the collection is not a literal list (a `Ref` to a list parameter, chosen at deploy), the fragment is expanded
 * once with the identifier left unresolved: its types are still judged, and a property condition that depends on the
 * identifier cannot be resolved, so it fails closed.
 */
import { BadTemplateError } from '../template-files';

export const FOR_EACH_PREFIX = 'Fn::ForEach::';
/** CloudFormation's own limit on nested loops. */
const MAX_LOOP_DEPTH = 5;
/** Far above CloudFormation's 500 resources per stack: a bound on work, not a rule of the language. */
export const MAX_EXPANDED_RESOURCES = 5000;

export interface ExpandedResource {
  readonly logicalId: string;
  readonly body: unknown;
  /** The loops it came from, outermost first (e.g. `Fn::ForEach::Tables`). */
  readonly loops: readonly string[];
}

type Binding = { readonly identifier: string; readonly value: string | undefined };

function substituteString(text: string, bindings: readonly Binding[]): string {
  let out = text;
  for (const { identifier, value } of bindings) {
    if (value === undefined) continue;
    out = out
      .split(`\${${identifier}}`)
      .join(value)
      .split(`&{${identifier}}`)
      .join(value.replace(/[^A-Za-z0-9]/g, ''));
  }
  return out;
}

function substitute(node: unknown, bindings: readonly Binding[]): unknown {
  if (typeof node === 'string') return substituteString(node, bindings);
  if (Array.isArray(node)) return node.map((item) => substitute(item, bindings));
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 1 && entries[0][0] === 'Ref' && typeof entries[0][1] === 'string') {
    const bound = bindings.find((binding) => binding.identifier === entries[0][1]);
    if (bound?.value !== undefined) return bound.value;
  }
  return Object.fromEntries(
    entries.map(([key, value]) => [substituteString(key, bindings), substitute(value, bindings)]),
  );
}

function collectionValues(collection: unknown): readonly (string | undefined)[] | undefined {
  if (Array.isArray(collection) && collection.every((item) => typeof item === 'string' || typeof item === 'number')) {
    return collection.map(String);
  }
  return undefined;
}

/**
 * Expands every `Fn::ForEach::*` key of a Resources section. Throws BadTemplateError for a malformed loop or an
 * expansion past the bounds.
 */
export function expandForEach(file: string, resources: Record<string, unknown>): ExpandedResource[] {
  const out: ExpandedResource[] = [];
  const visit = (section: Record<string, unknown>, bindings: readonly Binding[], loops: readonly string[]) => {
    for (const [key, value] of Object.entries(section)) {
      if (!key.startsWith(FOR_EACH_PREFIX)) {
        const logicalId = substituteString(key, bindings);
        out.push({ logicalId, body: bindings.length ? substitute(value, bindings) : value, loops });
        if (out.length > MAX_EXPANDED_RESOURCES) {
          throw new BadTemplateError(file, `Fn::ForEach expands to more than ${MAX_EXPANDED_RESOURCES} resources`);
        }
        continue;
      }
      if (loops.length >= MAX_LOOP_DEPTH) {
        throw new BadTemplateError(file, `${key}: Fn::ForEach nests deeper than ${MAX_LOOP_DEPTH} loops`);
      }
      if (!Array.isArray(value) || value.length !== 3 || typeof value[0] !== 'string') {
        throw new BadTemplateError(file, `${key}: expected [Identifier, Collection, {OutputKey: OutputValue}]`);
      }
      const [identifier, collection, fragment] = value as [string, unknown, unknown];
      if (typeof fragment !== 'object' || fragment === null || Array.isArray(fragment)) {
        throw new BadTemplateError(file, `${key}: the third element must map output keys to resources`);
      }
      const values = collectionValues(collection) ?? [undefined];
      for (const item of values) {
        visit(fragment as Record<string, unknown>, [...bindings, { identifier, value: item }], [...loops, key]);
      }
    }
  };
  visit(resources, [], []);
  return out;
}

/** Whether a Resources section uses the language extension at all. */
export function usesForEach(resources: Record<string, unknown>): boolean {
  return Object.keys(resources).some((key) => key.startsWith(FOR_EACH_PREFIX));
}

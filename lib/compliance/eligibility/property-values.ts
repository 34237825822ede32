import { ABSENT } from './property-conditions';

/** The parts of a template parameter the judge reads to resolve a `Ref` to it. */
export interface TemplateParameterLike {
  readonly AllowedValues?: unknown;
}

/** The values a property can take at deploy, as far as the template shows them. */
export type ValueCandidates =
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'unresolved'; readonly detail: string };

const MAX_DEPTH = 8;

/**
 * What a property as written in a template can be at deploy: a literal; a `Ref` to a parameter whose AllowedValues
 * bound it; either branch of an `Fn::If`; or absent (not set, or `Ref: AWS::NoValue`). Anything else (an import, a
 * parameter without AllowedValues, `Fn::FindInMap`, `Fn::Sub`) is unresolved, and the caller fails closed.
 */
export function candidateValues(
  value: unknown,
  parameters: Readonly<Record<string, TemplateParameterLike>> = {},
  depth = 0,
): ValueCandidates {
  if (value === undefined || value === null) return { kind: 'values', values: [ABSENT] };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { kind: 'values', values: [String(value)] };
  if (depth > MAX_DEPTH) return { kind: 'unresolved', detail: 'nested too deeply' };
  if (typeof value !== 'object' || Array.isArray(value)) return { kind: 'unresolved', detail: 'not a single value' };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) return { kind: 'unresolved', detail: 'an object, not a value' };
  const [[key, argument]] = entries;
  if (key === 'Ref' && typeof argument === 'string') {
    if (argument === 'AWS::NoValue') return { kind: 'values', values: [ABSENT] };
    const parameter = parameters[argument];
    if (!parameter) return { kind: 'unresolved', detail: `Ref ${argument}, which is not a parameter of the template` };
    const allowed = parameter.AllowedValues;
    if (!Array.isArray(allowed) || allowed.length === 0 || !allowed.every((v) => typeof v === 'string')) {
      return {
        kind: 'unresolved',
        detail: `the parameter ${argument}, whose value is chosen at deploy and has no AllowedValues to bound it`,
      };
    }
    return { kind: 'values', values: allowed as string[] };
  }
  if (key === 'Fn::If' && Array.isArray(argument) && argument.length === 3) {
    const branches = [
      candidateValues(argument[1], parameters, depth + 1),
      candidateValues(argument[2], parameters, depth + 1),
    ];
    const unresolved = branches.find((branch) => branch.kind === 'unresolved');
    if (unresolved) return unresolved;
    return { kind: 'values', values: branches.flatMap((branch) => (branch.kind === 'values' ? branch.values : [])) };
  }
  const what = key === 'Fn::ImportValue' ? "Fn::ImportValue (another stack's output)" : key;
  return { kind: 'unresolved', detail: what };
}

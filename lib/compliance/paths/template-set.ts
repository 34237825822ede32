/**
 * The synthesized templates of an assembly as one graph: every stack's resources and outputs, and a resolver that
 * follows references across stacks the way CloudFormation would at deploy time. Pure data in, pure data out, so
 * the path rules can be tested on fixtures cut from real templates without CDK.
 */

/** Template JSON is untyped; rules probe optional paths of many resource types (see safeguard-map.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TemplateResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}

export interface StackDoc {
  /** Construct ID of the stack (e.g. HipaaRtcRelay): how findings and the report name it. */
  readonly stackId: string;
  /** Deployed stack name: what `Fn::GetStackOutput` names. */
  readonly stackName: string;
  /** Concrete region, or undefined for an environment-agnostic stack. */
  readonly region?: string;
  /** Concrete account, or undefined (then the account is the `{{AWS::AccountId}}` placeholder). */
  readonly account?: string;
  /** Absolute path of the template file, for violations (empty in unit tests). */
  readonly templatePath: string;
  readonly resources: Readonly<Record<string, TemplateResourceJson>>;
  readonly outputs: Readonly<Record<string, { Value: Json; Export?: { Name: Json } }>>;
}

export interface TemplateSet {
  readonly stacks: readonly StackDoc[];
}

/** A resource in the set: which stack, which logical ID. */
export interface ResourceId {
  readonly stackId: string;
  readonly logicalId: string;
}

/** A reference to a resource (`Ref`, or `Fn::GetAtt` with `attribute`). */
export interface ResourceRef extends ResourceId {
  readonly kind: 'ref';
  readonly attribute?: string;
}

/** What a template value resolves to: a literal string, a resource reference, or something this reader cannot know. */
export type Resolved = string | ResourceRef | { readonly kind: 'unresolved'; readonly why: string };

/** The placeholder for an account that the templates do not fix; request contexts use the same token. */
export const ACCOUNT_PLACEHOLDER = '{{AWS::AccountId}}';
const REGION_PLACEHOLDER = '{{AWS::Region}}';

export function isRef(value: Resolved): value is ResourceRef {
  return typeof value === 'object' && value.kind === 'ref';
}

export function sameResource(a: ResourceId | undefined, b: ResourceId | undefined): boolean {
  return !!a && !!b && a.stackId === b.stackId && a.logicalId === b.logicalId;
}

export function resourceOf(set: TemplateSet, id: ResourceId): TemplateResourceJson | undefined {
  return set.stacks.find((s) => s.stackId === id.stackId)?.resources[id.logicalId];
}

export function stackOf(set: TemplateSet, stackId: string): StackDoc {
  const stack = set.stacks.find((s) => s.stackId === stackId);
  if (!stack) throw new Error(`no stack ${stackId} in the template set`);
  return stack;
}

/** Every resource of one type, across stacks. */
export function resourcesOfType(
  set: TemplateSet,
  type: string,
): Array<ResourceId & { readonly properties: Record<string, Json> }> {
  return set.stacks.flatMap((stack) =>
    Object.entries(stack.resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, r]) => ({ stackId: stack.stackId, logicalId, properties: r.Properties ?? {} })),
  );
}

export function propertiesOf(set: TemplateSet, id: ResourceId): Record<string, Json> {
  return resourceOf(set, id)?.Properties ?? {};
}

export function accountOf(stack: StackDoc): string {
  return stack.account ?? ACCOUNT_PLACEHOLDER;
}

export function regionOf(stack: StackDoc): string {
  return stack.region ?? REGION_PLACEHOLDER;
}

/** `Stack/LogicalId`, how hops name resources. */
export function label(id: ResourceId): string {
  return `${id.stackId}/${id.logicalId}`;
}

const MAX_DEPTH = 20;

/**
 * Resolves a template value in the context of `stackId`: literals stay, `Ref`/`Fn::GetAtt` to a resource become a
 * ResourceRef, pseudo parameters become the stack's region/account (or a placeholder), `Fn::GetStackOutput` and
 * `Fn::ImportValue` follow the producing stack's output, and `Fn::Join`/`Fn::Sub`/`Fn::Select` become strings when
 * all parts do (a resource inside a string renders as `{{Stack/LogicalId.Attribute}}`, a stable token).
 */
export function resolve(set: TemplateSet, stackId: string, value: Json, depth = 0): Resolved {
  if (depth > MAX_DEPTH) return { kind: 'unresolved', why: 'reference chain too deep' };
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return { kind: 'unresolved', why: `not a scalar: ${JSON.stringify(value)}` };
  const stack = stackOf(set, stackId);
  const keys = Object.keys(value);
  if (keys.length !== 1) return { kind: 'unresolved', why: `not an intrinsic: ${JSON.stringify(value)}` };
  const [fn] = keys;
  const arg = value[fn];
  switch (fn) {
    case 'Ref':
      return resolveRef(stack, String(arg));
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
      if (!stack.resources[logicalId]) return { kind: 'unresolved', why: `GetAtt of unknown ${logicalId}` };
      return { kind: 'ref', stackId, logicalId, attribute };
    }
    case 'Fn::GetStackOutput': {
      const producer = set.stacks.find((s) => s.stackName === resolveString(set, stackId, arg.StackName, depth));
      const output = producer?.outputs[String(arg.OutputName)];
      if (!producer || !output)
        return { kind: 'unresolved', why: `no output ${arg.OutputName} of stack ${JSON.stringify(arg.StackName)}` };
      return resolve(set, producer.stackId, output.Value, depth + 1);
    }
    case 'Fn::ImportValue': {
      const name = resolveString(set, stackId, arg, depth);
      for (const producer of set.stacks) {
        for (const output of Object.values(producer.outputs)) {
          if (output.Export && resolveString(set, producer.stackId, output.Export.Name, depth + 1) === name)
            return resolve(set, producer.stackId, output.Value, depth + 1);
        }
      }
      return { kind: 'unresolved', why: `no stack exports ${name}` };
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, Json[]];
      const strings = (Array.isArray(parts) ? parts : []).map((p) => resolveString(set, stackId, p, depth + 1));
      if (strings.some((s) => s === undefined)) return { kind: 'unresolved', why: 'Fn::Join with an unknown part' };
      return strings.join(separator);
    }
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [String(arg), {}];
      let unknown = false;
      const out = template.replace(/\$\{([^}!][^}]*)\}/g, (_m, name: string) => {
        const replacement =
          name in (variables ?? {})
            ? resolveString(set, stackId, variables[name], depth + 1)
            : name.includes('.')
              ? tokenOf({ kind: 'ref', stackId, logicalId: name.split('.')[0], attribute: name.split('.')[1] })
              : resolveString(set, stackId, { Ref: name }, depth + 1);
        if (replacement === undefined) unknown = true;
        return replacement ?? '';
      });
      return unknown ? { kind: 'unresolved', why: `Fn::Sub ${template}` } : out;
    }
    case 'Fn::Select': {
      const [index, list] = arg as [Json, Json];
      if (!Array.isArray(list)) return { kind: 'unresolved', why: 'Fn::Select over a computed list' };
      return resolve(set, stackId, list[Number(index)], depth + 1);
    }
    default:
      return { kind: 'unresolved', why: `${fn} is not resolved by the paths reader` };
  }
}

function resolveRef(stack: StackDoc, name: string): Resolved {
  switch (name) {
    case 'AWS::AccountId':
      return accountOf(stack);
    case 'AWS::Region':
      return regionOf(stack);
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return stack.stackName;
    default:
      return stack.resources[name]
        ? { kind: 'ref', stackId: stack.stackId, logicalId: name }
        : { kind: 'unresolved', why: `Ref to ${name}, which is not a resource of ${stack.stackId}` };
  }
}

/** A resource reference embedded in a string. */
export function tokenOf(ref: ResourceRef): string {
  return `{{${ref.stackId}/${ref.logicalId}${ref.attribute ? `.${ref.attribute}` : ''}}}`;
}

/** Resolves to a string (a resource reference becomes its token), or undefined when it cannot be known. */
export function resolveString(set: TemplateSet, stackId: string, value: Json, depth = 0): string | undefined {
  const resolved = resolve(set, stackId, value, depth);
  if (typeof resolved === 'string') return resolved;
  return isRef(resolved) ? tokenOf(resolved) : undefined;
}

/** Resolves to the resource a value names (`Ref`, `GetAtt`, across stacks), or undefined. */
export function resolveResource(set: TemplateSet, stackId: string, value: Json): ResourceRef | undefined {
  const resolved = resolve(set, stackId, value);
  return isRef(resolved) ? resolved : undefined;
}

/** A property that may be one value or a list, as a list. */
export function asList<T = Json>(value: Json): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

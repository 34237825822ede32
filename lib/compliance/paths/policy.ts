/**
 * Evaluates IAM-style policy documents (topic, bucket and key policies, trust and identity policies) for one request
 * made by an AWS service, the way AWS does: an explicit Deny that applies wins, otherwise an Allow that applies is
 * needed. Conditions are checked against the request context the service sends. What this reader cannot decide (an
 * unknown operator, an unresolved value) never counts as an Allow and always counts as a Deny: the check fails closed.
 * Source: IAM User Guide, "Policy evaluation logic" and "IAM JSON policy elements: Condition operators".
 */
import { asList, resolveString, type Json, type TemplateSet } from './template-set';

export interface ServiceRequest {
  /** Service principal, e.g. `cloudwatch.amazonaws.com`; undefined for identity policies (no Principal element). */
  readonly service?: string;
  readonly action: string;
  /** Equivalent spellings of the target resource (ARN with tokens); empty when the policy is the resource's own. */
  readonly resources: readonly string[];
  /** Request context: condition keys (any case) to the value the service sends. */
  readonly context: Readonly<Record<string, string>>;
}

export interface Decision {
  readonly allowed: boolean;
  /** Why, in a reviewer's words: the statement that allowed or denied, or what was missing. */
  readonly reason: string;
}

type Tri = true | false | 'unknown';

interface PolicyScope {
  readonly set: TemplateSet;
  /** Stack whose template holds the policy: intrinsics inside it resolve there. */
  readonly stackId: string;
}

/** Shell-style match: `*` any run, `?` one character. */
export function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function statementName(statement: Json, index: number): string {
  return statement.Sid ? `statement "${statement.Sid}"` : `statement #${index + 1}`;
}

function principalMatches(scope: PolicyScope, statement: Json, request: ServiceRequest): Tri {
  if (request.service === undefined) return true; // identity policy
  const matchesList = (principal: Json): boolean => {
    if (principal === '*') return true;
    if (typeof principal !== 'object' || principal === null) return false;
    if (asList(principal.AWS).some((p) => p === '*')) return true;
    return asList(principal.Service)
      .map((p) => resolveString(scope.set, scope.stackId, p))
      .some((p) => p === request.service);
  };
  if (statement.Principal !== undefined) return matchesList(statement.Principal);
  if (statement.NotPrincipal !== undefined) return !matchesList(statement.NotPrincipal);
  return false;
}

function actionMatches(statement: Json, action: string): boolean {
  if (statement.Action !== undefined) return asList<string>(statement.Action).some((a) => globMatch(a, action, true));
  if (statement.NotAction !== undefined)
    return !asList<string>(statement.NotAction).some((a) => globMatch(a, action, true));
  return false;
}

function resourceMatches(scope: PolicyScope, statement: Json, request: ServiceRequest): Tri {
  // Key policies and trust policies are attached to their resource; `Resource: "*"` means that resource.
  if (request.resources.length === 0) return true;
  const patterns = (list: Json): Array<string | undefined> =>
    asList(list).map((r) => resolveString(scope.set, scope.stackId, r));
  const anyMatch = (list: Json): Tri => {
    const resolved = patterns(list);
    if (resolved.some((p) => p !== undefined && request.resources.some((r) => globMatch(p, r)))) return true;
    return resolved.some((p) => p === undefined) ? 'unknown' : false;
  };
  if (statement.Resource !== undefined) return anyMatch(statement.Resource);
  if (statement.NotResource !== undefined) {
    const m = anyMatch(statement.NotResource);
    return m === 'unknown' ? 'unknown' : !m;
  }
  return false;
}

function lookup(context: Readonly<Record<string, string>>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  const found = Object.keys(context).find((k) => k.toLowerCase() === wanted);
  return found === undefined ? undefined : context[found];
}

const NEGATED = new Set([
  'StringNotEquals',
  'StringNotEqualsIgnoreCase',
  'StringNotLike',
  'ArnNotEquals',
  'ArnNotLike',
]);

function compare(operator: string, expected: string, actual: string): Tri {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return expected === actual;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return expected.toLowerCase() === actual.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return globMatch(expected, actual);
    case 'Bool':
      return expected.toLowerCase() === actual.toLowerCase();
    default:
      return 'unknown';
  }
}

/** One condition operator block: every key must hold; for a key, any listed value matches. */
function conditionHolds(scope: PolicyScope, rawOperator: string, block: Json, request: ServiceRequest): Tri {
  let operator = rawOperator.replace(/^For(All|Any)Values:/, '');
  const forAll = rawOperator.startsWith('ForAllValues:');
  const ifExists = operator.endsWith('IfExists');
  operator = operator.replace(/IfExists$/, '');
  let result: Tri = true;
  for (const [key, values] of Object.entries(block ?? {})) {
    const actual = lookup(request.context, key);
    const expected = asList(values).map((v) => resolveString(scope.set, scope.stackId, v));
    let holds: Tri;
    if (operator === 'Null') {
      holds = expected.some((v) => v === undefined) ? 'unknown' : expected.includes(String(actual === undefined));
    } else if (actual === undefined) {
      holds = ifExists || forAll || NEGATED.has(operator);
    } else if (expected.some((v) => v === undefined)) {
      holds = 'unknown';
    } else {
      const matches = expected.map((v) => compare(operator, v as string, actual));
      const any: Tri = matches.includes(true) ? true : matches.includes('unknown') ? 'unknown' : false;
      holds = NEGATED.has(operator) ? (any === 'unknown' ? 'unknown' : !any) : any;
    }
    if (holds === false) return false;
    if (holds === 'unknown') result = 'unknown';
  }
  return result;
}

function conditionsHold(scope: PolicyScope, statement: Json, request: ServiceRequest): Tri {
  let result: Tri = true;
  for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
    const holds = conditionHolds(scope, operator, block, request);
    if (holds === false) return false;
    if (holds === 'unknown') result = 'unknown';
  }
  return result;
}

function and(...values: Tri[]): Tri {
  if (values.includes(false)) return false;
  return values.includes('unknown') ? 'unknown' : true;
}

/** Evaluates one or more policy documents (they combine) for the request. */
export function evaluatePolicies(
  documents: ReadonlyArray<{ readonly document: Json; readonly stackId: string; readonly name: string }>,
  set: TemplateSet,
  request: ServiceRequest,
): Decision {
  let allowedBy: string | undefined;
  const nearMisses: string[] = [];
  for (const { document, stackId, name } of documents) {
    const scope = { set, stackId };
    asList(document?.Statement).forEach((statement: Json, index: number) => {
      if (!actionMatches(statement, request.action)) return;
      const applies = and(
        principalMatches(scope, statement, request),
        resourceMatches(scope, statement, request),
        conditionsHold(scope, statement, request),
      );
      const where = `${name} ${statementName(statement, index)}`;
      if (statement.Effect === 'Deny') {
        if (applies !== false)
          nearMisses.unshift(
            `DENY:${where} denies it${applies === 'unknown' ? ' (its conditions cannot be shown not to apply)' : ''}`,
          );
      } else if (statement.Effect === 'Allow') {
        if (applies === true) allowedBy ??= where;
        else if (principalMatches(scope, statement, request) === true)
          nearMisses.push(`${where} names the principal but its resource or conditions do not match the request`);
      }
    });
  }
  const deny = nearMisses.find((m) => m.startsWith('DENY:'));
  if (deny) return { allowed: false, reason: deny.slice('DENY:'.length) };
  if (allowedBy) return { allowed: true, reason: `allowed by ${allowedBy}` };
  const who = request.service ?? 'the role';
  return {
    allowed: false,
    reason:
      `no statement allows ${who} ${request.action}` + (nearMisses.length > 0 ? ` (${nearMisses.join('; ')})` : ''),
  };
}

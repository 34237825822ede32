/**
 * A custom resource runs whatever its ServiceToken points to. It is eligible only when that target is a Lambda
 * function or SNS topic defined in the same template (both HIPAA-eligible, and both judged themselves as resources).
 * Anything else (an imported value, a literal ARN to somewhere unknown, an unresolvable expression) fails closed.
 */
export type ServiceTokenTarget =
  | { readonly kind: 'lambda-function'; readonly logicalId: string }
  | { readonly kind: 'sns-topic'; readonly logicalId: string }
  | { readonly kind: 'other-resource'; readonly logicalId: string; readonly type: string }
  | { readonly kind: 'outside-template'; readonly detail: string }
  | { readonly kind: 'unresolved'; readonly detail: string };

export interface TemplateResourceLike {
  readonly Type?: unknown;
}

export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

function targetOf(logicalId: unknown, resources: Readonly<Record<string, TemplateResourceLike>>): ServiceTokenTarget {
  if (typeof logicalId !== 'string') return { kind: 'unresolved', detail: 'reference to a non-string logical ID' };
  const type = resources[logicalId]?.Type;
  if (type === 'AWS::Lambda::Function') return { kind: 'lambda-function', logicalId };
  if (type === 'AWS::SNS::Topic') return { kind: 'sns-topic', logicalId };
  if (typeof type !== 'string')
    return { kind: 'outside-template', detail: `${logicalId} is not a resource of this template` };
  return { kind: 'other-resource', logicalId, type };
}

/**
 * Classifies a ServiceToken value as written in a template: `{"Fn::GetAtt": [id, "Arn"]}` (or the `id.Arn` string
 * form) for a function, `{"Ref": id}` for a topic (Ref of a topic is its ARN).
 */
export function classifyServiceToken(
  token: unknown,
  resources: Readonly<Record<string, TemplateResourceLike>>,
): ServiceTokenTarget {
  if (token === undefined || token === null) return { kind: 'unresolved', detail: 'the resource has no ServiceToken' };
  if (typeof token === 'string') {
    return { kind: 'outside-template', detail: 'a literal ARN points outside the template, where nothing judges it' };
  }
  if (typeof token !== 'object' || Array.isArray(token)) return { kind: 'unresolved', detail: 'not an expression' };
  const entries = Object.entries(token);
  if (entries.length !== 1) return { kind: 'unresolved', detail: 'not a single intrinsic function' };
  const [fn, argument] = entries[0];
  if (fn === 'Fn::GetAtt') {
    const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
    const target = targetOf(logicalId, resources);
    // A function's ARN is its `Arn` attribute, a topic's is `TopicArn`; any other attribute is not an invocable ARN.
    if (target.kind === 'lambda-function' && attribute === 'Arn') return target;
    if (target.kind === 'sns-topic' && attribute === 'TopicArn') return target;
    if (target.kind === 'lambda-function' || target.kind === 'sns-topic') {
      return { kind: 'unresolved', detail: `Fn::GetAtt ${target.logicalId}.${String(attribute)} is not an ARN` };
    }
    return target;
  }
  if (fn === 'Ref') {
    const target = targetOf(argument, resources);
    // Ref of a function is its name, not an ARN CloudFormation can invoke: only topics are valid here.
    return target.kind === 'lambda-function'
      ? { kind: 'other-resource', logicalId: target.logicalId, type: 'AWS::Lambda::Function' }
      : target;
  }
  return { kind: 'outside-template', detail: `${fn} resolves to a value this template does not define` };
}

export function describeServiceToken(target: ServiceTokenTarget): string {
  switch (target.kind) {
    case 'lambda-function':
      return `its ServiceToken is the Lambda function ${target.logicalId} in the same template`;
    case 'sns-topic':
      return `its ServiceToken is the SNS topic ${target.logicalId} in the same template`;
    case 'other-resource':
      return `its ServiceToken points to ${target.logicalId} (${target.type}), which is not a Lambda function ARN or an SNS topic`;
    case 'outside-template':
    case 'unresolved':
      return `its ServiceToken cannot be judged: ${target.detail}`;
  }
}

/**
 * A custom resource runs whatever its ServiceToken points to, and sends it the resource's properties. It is eligible
 * only when that target is a Lambda function or SNS topic (both HIPAA eligible) **in this account**: defined in the
 * same template (then judged itself as a resource), or an ARN whose account is `${AWS::AccountId}`. A function or
 * topic in another account is outside the HIPAA-designated account, so the properties would leave it. Anything else
 * (an imported value, a literal ARN the caller cannot place in this account, an unresolvable expression) fails closed.
 */
export type ServiceTokenTarget =
  | { readonly kind: 'lambda-function'; readonly logicalId: string }
  | { readonly kind: 'sns-topic'; readonly logicalId: string }
  | { readonly kind: 'account-arn'; readonly service: 'lambda' | 'sns'; readonly arn: string }
  | { readonly kind: 'other-account'; readonly detail: string }
  | { readonly kind: 'other-resource'; readonly logicalId: string; readonly type: string }
  | { readonly kind: 'outside-template'; readonly detail: string }
  | { readonly kind: 'unresolved'; readonly detail: string };

export interface TemplateResourceLike {
  readonly Type?: unknown;
}

export interface ServiceTokenContext {
  /**
   * The 12-digit account the template deploys to, when the caller knows it (a stack with an explicit account). A
   * literal ARN in this account is then accepted; without it, only `${AWS::AccountId}` can prove the account.
   * @default - unknown
   */
  readonly account?: string;
}

export function isCustomResourceType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** The service a ServiceToken's target belongs to when it may back a custom resource; undefined when it may not. */
export function eligibleServiceTokenService(target: ServiceTokenTarget): string | undefined {
  switch (target.kind) {
    case 'lambda-function':
      return 'AWS Lambda';
    case 'sns-topic':
      return 'Amazon Simple Notification Service';
    case 'account-arn':
      return target.service === 'lambda' ? 'AWS Lambda' : 'Amazon Simple Notification Service';
    default:
      return undefined;
  }
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

const ACCOUNT_PLACEHOLDER = '${AWS::AccountId}';
/** Pseudo parameters whose value is fixed by where the stack deploys; a Sub variable map must not redefine them. */
const PSEUDO_PARAMETERS = ['AWS::AccountId', 'AWS::Partition', 'AWS::Region', 'AWS::URLSuffix'];

/**
 * An ARN as written, with `${...}` placeholders: partition, service, region and account are the first five fields.
 * The region and partition must be literal or their pseudo parameter: a parameter there could carry colons and so
 * shift another account into the account field (`us-east-1:222222222222:function:x#`).
 */
const ARN_SHAPE =
  /^arn:(aws[a-z-]*|\$\{AWS::Partition\}):([a-z0-9-]+):([a-z0-9-]*|\$\{AWS::Region\}):(\$\{[^}]*\}|[^:$]*):(.+)$/;
const OPAQUE = '${?}';

/** Classifies an ARN's text (literal, or a Sub/Join rendering with placeholders). */
function classifyArnText(text: string, context: ServiceTokenContext, how: string): ServiceTokenTarget {
  const match = ARN_SHAPE.exec(text);
  if (!match) {
    return {
      kind: 'outside-template',
      detail: `${how} "${text}" is not an ARN whose partition, service and region are literal or pseudo parameters (a parameter there could shift another account into the account field)`,
    };
  }
  const [, , service, region, account] = match;
  if (service !== 'lambda' && service !== 'sns') {
    return {
      kind: 'outside-template',
      detail: `${how} "${text}" names the ${service} service; only a Lambda function or SNS topic may back a custom resource`,
    };
  }
  if (region === '') return { kind: 'outside-template', detail: `${how} "${text}" names no region` };
  if (account === ACCOUNT_PLACEHOLDER) return { kind: 'account-arn', service, arn: text };
  if (/^\d{12}$/.test(account) && account === context.account) return { kind: 'account-arn', service, arn: text };
  if (account === '') return { kind: 'other-account', detail: `${how} "${text}" names no account` };
  if (/^\d{12}$/.test(account)) {
    return {
      kind: 'other-account',
      detail:
        context.account === undefined
          ? `${how} "${text}" names account ${account}, which cannot be shown to be this one; build the ARN with ${ACCOUNT_PLACEHOLDER} or reference the function or topic`
          : `${how} "${text}" names account ${account}, not this account (${context.account})`,
    };
  }
  return {
    kind: 'other-account',
    detail: `${how} "${text}" takes its account from ${account === OPAQUE ? 'an expression' : account}, not from ${ACCOUNT_PLACEHOLDER}`,
  };
}

/** Renders Fn::Join parts as text, pseudo parameters as `${AWS::...}` and anything else as an opaque placeholder. */
function joinText(argument: unknown): string | undefined {
  if (!Array.isArray(argument) || argument.length !== 2) return undefined;
  const [delimiter, parts] = argument;
  if (typeof delimiter !== 'string' || !Array.isArray(parts)) return undefined;
  const rendered = parts.map((part) => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: unknown } | null)?.Ref;
    if (typeof ref === 'string' && PSEUDO_PARAMETERS.includes(ref)) return `\${${ref}}`;
    // `${?}` matches no partition, service, region or account field, so an opaque part can only sit in the resource.
    return OPAQUE;
  });
  return rendered.join(delimiter);
}

function classifyIntrinsic(fn: string, argument: unknown, context: ServiceTokenContext): ServiceTokenTarget {
  if (fn === 'Fn::Sub') {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
    if (typeof text !== 'string') return { kind: 'unresolved', detail: 'Fn::Sub of something other than a string' };
    const shadowed = Object.keys((variables as Record<string, unknown> | undefined) ?? {}).filter((name) =>
      PSEUDO_PARAMETERS.includes(name),
    );
    if (shadowed.length > 0) {
      return { kind: 'other-account', detail: `Fn::Sub variables shadow the pseudo parameter ${shadowed.join(', ')}` };
    }
    return classifyArnText(text, context, 'Fn::Sub');
  }
  if (fn === 'Fn::Join') {
    const text = joinText(argument);
    if (text === undefined) return { kind: 'unresolved', detail: 'Fn::Join is not [delimiter, [parts]]' };
    return classifyArnText(text, context, 'Fn::Join');
  }
  return { kind: 'outside-template', detail: `${fn} resolves to a value this template does not define` };
}

/**
 * Classifies a ServiceToken value as written in a template: `{"Fn::GetAtt": [id, "Arn"]}` (or the `id.Arn` string
 * form) for a function, `{"Ref": id}` for a topic (Ref of a topic is its ARN), or an ARN in this account built with
 * `Fn::Sub` or `Fn::Join` from `${AWS::AccountId}` (or a literal ARN in `context.account`).
 */
export function classifyServiceToken(
  token: unknown,
  resources: Readonly<Record<string, TemplateResourceLike>>,
  context: ServiceTokenContext = {},
): ServiceTokenTarget {
  if (token === undefined || token === null) return { kind: 'unresolved', detail: 'the resource has no ServiceToken' };
  if (typeof token === 'string') return classifyArnText(token, context, 'the literal ARN');
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
  return classifyIntrinsic(fn, argument, context);
}

export function describeServiceToken(target: ServiceTokenTarget): string {
  switch (target.kind) {
    case 'lambda-function':
      return `its ServiceToken is the Lambda function ${target.logicalId} in the same template`;
    case 'sns-topic':
      return `its ServiceToken is the SNS topic ${target.logicalId} in the same template`;
    case 'account-arn':
      return `its ServiceToken is a ${target.service === 'lambda' ? 'Lambda function' : 'SNS topic'} in this account (${target.arn})`;
    case 'other-account':
      return `its ServiceToken must be a Lambda function or SNS topic in this account: ${target.detail}`;
    case 'other-resource':
      return `its ServiceToken points to ${target.logicalId} (${target.type}), which is not a Lambda function ARN or an SNS topic`;
    case 'outside-template':
    case 'unresolved':
      return `its ServiceToken cannot be judged: ${target.detail}`;
  }
}

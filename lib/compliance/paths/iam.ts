/**
 * What a role may do, read from the templates: its trust policy, and the identity policies attached to it (inline
 * `Policies`, customer managed policies in `ManagedPolicyArns`, and `AWS::IAM::Policy`/`ManagedPolicy` resources
 * that list it in `Roles`). Permission boundaries and SCPs are not modelled: they can only take permissions away.
 */
import { evaluatePolicies, type Decision } from './policy';
import {
  asList,
  label,
  propertiesOf,
  resolve,
  resolveResource,
  resourcesOfType,
  sameResource,
  type Json,
  type ResourceId,
  type TemplateSet,
} from './template-set';

/** AWS managed policies whose logs permissions the paths rules rely on (their documented contents). */
const AWS_MANAGED_POLICIES: Record<string, Json> = {
  'arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs': {
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'logs:CreateLogGroup',
          'logs:CreateLogStream',
          'logs:DescribeLogGroups',
          'logs:DescribeLogStreams',
          'logs:PutLogEvents',
          'logs:GetLogEvents',
          'logs:FilterLogEvents',
        ],
        Resource: '*',
      },
    ],
  },
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Statement: [
      { Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' },
    ],
  },
};

interface Document {
  readonly document: Json;
  readonly stackId: string;
  readonly name: string;
}

export function roleDocuments(set: TemplateSet, role: ResourceId): Document[] {
  const properties = propertiesOf(set, role);
  const docs: Document[] = asList(properties.Policies).map((p) => ({
    document: p.PolicyDocument,
    stackId: role.stackId,
    name: `${label(role)} inline policy ${p.PolicyName ?? ''}`.trim(),
  }));
  for (const arn of asList(properties.ManagedPolicyArns)) {
    const ref = resolveResource(set, role.stackId, arn);
    if (ref) {
      docs.push({ document: propertiesOf(set, ref).PolicyDocument, stackId: ref.stackId, name: label(ref) });
      continue;
    }
    const literal = resolve(set, role.stackId, arn);
    const known =
      typeof literal === 'string' ? AWS_MANAGED_POLICIES[literal.replace(/^arn:aws[^:]*:/, 'arn:aws:')] : undefined;
    if (known) docs.push({ document: known, stackId: role.stackId, name: String(literal) });
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const policy of resourcesOfType(set, type)) {
      const attached = asList(policy.properties.Roles).some((r) =>
        sameResource(resolveResource(set, policy.stackId, r), role),
      );
      const listed = docs.some((d) => d.name === label(policy));
      if (attached && !listed)
        docs.push({ document: policy.properties.PolicyDocument, stackId: policy.stackId, name: label(policy) });
    }
  }
  return docs;
}

/** Whether the role's identity policies allow every action on the resource (given as equivalent ARN spellings). */
export function roleAllows(
  set: TemplateSet,
  role: ResourceId,
  actions: readonly string[],
  resources: readonly string[],
): Decision {
  const docs = roleDocuments(set, role);
  for (const action of actions) {
    const decision = evaluatePolicies(docs, set, { action, resources, context: { 'aws:SecureTransport': 'true' } });
    if (!decision.allowed) return { allowed: false, reason: `${label(role)}: ${action}: ${decision.reason}` };
  }
  return { allowed: true, reason: `${label(role)} allows ${actions.join(', ')}` };
}

/** Whether the role's trust policy lets the service assume it with the given request context. */
export function roleTrusts(
  set: TemplateSet,
  role: ResourceId,
  service: string,
  context: Readonly<Record<string, string>>,
): Decision {
  return evaluatePolicies(
    [
      {
        document: propertiesOf(set, role).AssumeRolePolicyDocument,
        stackId: role.stackId,
        name: `${label(role)} trust policy`,
      },
    ],
    set,
    { service, action: 'sts:AssumeRole', resources: [], context: { 'aws:SecureTransport': 'true', ...context } },
  );
}

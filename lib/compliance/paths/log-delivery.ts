/**
 * Log and evidence delivery: every service that writes to a destination has the grants it needs in the bucket
 * policy, the key policy and, where it writes through a role, that role. Sources (cited in docs/paths.md):
 * - CloudTrail: "Amazon S3 bucket policy for CloudTrail" (s3:GetBucketAcl, s3:PutObject with
 *   s3:x-amz-acl = bucket-owner-full-control), "Configure AWS KMS key policies for CloudTrail" (kms:GenerateDataKey*
 *   with the kms:EncryptionContext:aws:cloudtrail:arn context, kms:DescribeKey), "Sending events to CloudWatch Logs"
 *   (a role CloudTrail assumes, with logs:CreateLogStream and logs:PutLogEvents).
 * - CloudWatch Logs: "Encrypt log data in CloudWatch Logs using AWS KMS" (the key lets logs.<region>.amazonaws.com
 *   use it, conditioned on kms:EncryptionContext:aws:logs:arn = the log group ARN).
 * - VPC flow logs: "Publish flow logs to CloudWatch Logs" (role for vpc-flow-logs.amazonaws.com).
 * - API Gateway: "Set up CloudWatch logging" (the account's CloudWatch role, trusted by apigateway.amazonaws.com).
 * - Lambda: the execution role writes the function's log group (logs:CreateLogStream, logs:PutLogEvents).
 * - S3 server access logs: "Permissions for log delivery" (logging.s3.amazonaws.com s3:PutObject; with SSE-KMS, the
 *   key lets it kms:GenerateDataKey).
 * - NLB access logs: "Access logs for your Network Load Balancer" (delivery.logs.amazonaws.com).
 * - AWS Config: "Permissions for the Amazon S3 bucket for the AWS Config delivery channel" and "Permissions for the KMS
 *   key" (with the service-linked role AWSServiceRoleForConfig, config.amazonaws.com needs s3:GetBucketAcl,
 *   s3:ListBucket and s3:PutObject under <prefix>/AWSLogs/<account>/Config/ with bucket-owner-full-control, and
 *   kms:GenerateDataKey and kms:Decrypt on the delivery key, each scoped by aws:SourceAccount).
 */
import { roleAllows, roleTrusts } from './iam';
import { HopList, PATH_RULES, type Hop, type PathResult } from './model';
import { evaluatePolicies } from './policy';
import {
  accountOf,
  asList,
  label,
  propertiesOf,
  regionOf,
  resolve,
  resolveResource,
  resolveString,
  resourcesOfType,
  sameResource,
  stackOf,
  tokenOf,
  type ResourceId,
  type TemplateSet,
} from './template-set';

type HopBody = Omit<Hop, 'name'>;

const LOGS_KEY_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
];
const LOG_WRITE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

function typeOf(set: TemplateSet, id: ResourceId): string | undefined {
  return set.stacks.find((s) => s.stackId === id.stackId)?.resources[id.logicalId]?.Type;
}

function generatedName(set: TemplateSet, id: ResourceId): string {
  return `${stackOf(set, id.stackId).stackName}-${id.logicalId}-GENERATED`.toLowerCase();
}

// ---- log groups ----

function logGroupName(set: TemplateSet, group: ResourceId): string {
  return resolveString(set, group.stackId, propertiesOf(set, group).LogGroupName) ?? generatedName(set, group);
}

export function logGroupArn(set: TemplateSet, group: ResourceId): string {
  const stack = stackOf(set, group.stackId);
  return `arn:aws:logs:${regionOf(stack)}:${accountOf(stack)}:log-group:${logGroupName(set, group)}`;
}

/** Spellings of "a log stream in this group" that identity policies may use. */
function logStreamResources(set: TemplateSet, group: ResourceId): string[] {
  return [
    tokenOf({ kind: 'ref', ...group, attribute: 'Arn' }),
    `${logGroupArn(set, group)}:log-stream:hipaa-rtc-paths-check`,
  ];
}

/** A log group named by `Ref`, `GetAtt Arn`, a literal name or a literal ARN. */
function findLogGroup(set: TemplateSet, stackId: string, value: unknown): ResourceId | undefined {
  const ref = resolveResource(set, stackId, value);
  if (ref && typeOf(set, ref) === 'AWS::Logs::LogGroup') return { stackId: ref.stackId, logicalId: ref.logicalId };
  const text = resolveString(set, stackId, value);
  if (text === undefined) return undefined;
  const name = text.includes(':log-group:') ? text.split(':log-group:')[1].replace(/:\*$/, '') : text;
  const found = resourcesOfType(set, 'AWS::Logs::LogGroup').find((g) => logGroupName(set, g) === name);
  return found ? { stackId: found.stackId, logicalId: found.logicalId } : undefined;
}

function keyOf(set: TemplateSet, stackId: string, value: unknown): ResourceId | string | undefined {
  if (value === undefined) return undefined;
  const ref = resolveResource(set, stackId, value);
  if (ref && typeOf(set, ref) === 'AWS::KMS::Key') return { stackId: ref.stackId, logicalId: ref.logicalId };
  const text = resolve(set, stackId, value);
  return typeof text === 'string' ? text : 'an unresolvable key';
}

function keyHop(
  set: TemplateSet,
  key: ResourceId | string | undefined,
  service: string,
  actions: readonly string[],
  context: Record<string, string>,
  destination: string,
): HopBody {
  if (key === undefined)
    return { verdict: 'pass', detail: `${destination} is not encrypted with a customer managed key: no key hop` };
  if (typeof key === 'string')
    return {
      verdict: 'fail',
      detail: `${destination} is encrypted with ${key}, which is not a key of these templates: its policy cannot be read`,
      fix: 'Encrypt it with a customer managed key defined in these templates.',
    };
  const document = [{ document: propertiesOf(set, key).KeyPolicy, stackId: key.stackId, name: label(key) }];
  for (const action of actions) {
    const decision = evaluatePolicies(document, set, {
      service,
      action,
      resources: [],
      context: { 'aws:SecureTransport': 'true', ...context },
    });
    if (!decision.allowed)
      return {
        verdict: 'fail',
        detail: `${label(key)} does not let ${service} ${action} for ${destination}: ${decision.reason}`,
        fix: `Allow ${service} ${actions.join(', ')} in the key policy of ${label(key)}, with conditions the service's request satisfies.`,
        resource: key,
        node: `key ${key.logicalId}`,
      };
  }
  return {
    verdict: 'pass',
    detail: `${label(key)} lets ${service} ${actions.join(', ')} for ${destination}`,
    resource: key,
    node: `key ${key.logicalId}`,
  };
}

/** The log group's key lets CloudWatch Logs encrypt for exactly this group (encryption context = its ARN). */
function logGroupKeyHop(set: TemplateSet, group: ResourceId): HopBody {
  const stack = stackOf(set, group.stackId);
  const arn = logGroupArn(set, group);
  return keyHop(
    set,
    keyOf(set, group.stackId, propertiesOf(set, group).KmsKeyId),
    `logs.${regionOf(stack)}.amazonaws.com`,
    LOGS_KEY_ACTIONS,
    { 'kms:EncryptionContext:aws:logs:arn': arn, 'aws:SourceAccount': accountOf(stack), 'aws:SourceArn': arn },
    `log group ${label(group)}`,
  );
}

function roleWritesGroupHop(
  set: TemplateSet,
  role: ResourceId | undefined,
  group: ResourceId,
  actions = LOG_WRITE_ACTIONS,
): HopBody {
  if (!role)
    return {
      verdict: 'fail',
      detail: 'no role of these templates writes the log group',
      fix: 'Give the writer a role.',
    };
  const decision = roleAllows(set, role, actions, logStreamResources(set, group));
  return decision.allowed
    ? { verdict: 'pass', detail: `${decision.reason} on ${label(group)}`, resource: role }
    : {
        verdict: 'fail',
        detail: `${decision.reason} (on ${label(group)})`,
        fix: `Allow ${actions.join(', ')} on ${label(group)} in a policy attached to ${label(role)}.`,
        resource: role,
      };
}

function trustHop(
  set: TemplateSet,
  role: ResourceId | undefined,
  service: string,
  context: Record<string, string>,
): HopBody {
  if (!role)
    return {
      verdict: 'fail',
      detail: `no role of these templates for ${service}`,
      fix: `Create a role ${service} can assume.`,
    };
  const decision = roleTrusts(set, role, service, context);
  return decision.allowed
    ? {
        verdict: 'pass',
        detail: `${label(role)} trust policy: ${decision.reason}`,
        resource: role,
        node: `role ${role.logicalId}`,
      }
    : {
        verdict: 'fail',
        detail: `${service} cannot assume ${label(role)}: ${decision.reason}`,
        fix: `Let ${service} assume ${label(role)} (with conditions its request satisfies).`,
        resource: role,
        node: `role ${role.logicalId}`,
      };
}

function roleRef(set: TemplateSet, stackId: string, value: unknown): ResourceId | undefined {
  const ref = resolveResource(set, stackId, value);
  return ref && typeOf(set, ref) === 'AWS::IAM::Role' ? { stackId: ref.stackId, logicalId: ref.logicalId } : undefined;
}

function groupHop(group: ResourceId | undefined, what: string): HopBody {
  return group
    ? {
        verdict: 'pass',
        detail: `${what} writes to log group ${label(group)}`,
        resource: group,
        node: `log group ${group.logicalId}`,
      }
    : {
        verdict: 'fail',
        detail: `${what} names a log group that is not in these templates`,
        fix: 'Create the log group in the templates.',
      };
}

// ---- buckets ----

function bucketRef(set: TemplateSet, stackId: string, value: unknown): ResourceId | undefined {
  const ref = resolveResource(set, stackId, value);
  if (ref && typeOf(set, ref) === 'AWS::S3::Bucket') return { stackId: ref.stackId, logicalId: ref.logicalId };
  const name = resolveString(set, stackId, value);
  const found = resourcesOfType(set, 'AWS::S3::Bucket').find(
    (b) => name !== undefined && resolveString(set, b.stackId, b.properties.BucketName) === name,
  );
  return found ? { stackId: found.stackId, logicalId: found.logicalId } : undefined;
}

/** Spellings of the bucket ARN (plus `suffix` for objects) that bucket policies may use. */
function bucketArns(set: TemplateSet, bucket: ResourceId, suffix = ''): string[] {
  const ref = { kind: 'ref' as const, ...bucket };
  const name = resolveString(set, bucket.stackId, propertiesOf(set, bucket).BucketName);
  return [
    `${tokenOf({ ...ref, attribute: 'Arn' })}${suffix}`,
    `arn:aws:s3:::${tokenOf(ref)}${suffix}`,
    ...(name ? [`arn:aws:s3:::${name}${suffix}`] : []),
  ];
}

function bucketKey(set: TemplateSet, bucket: ResourceId): ResourceId | string | undefined {
  const rule = asList(propertiesOf(set, bucket).BucketEncryption?.ServerSideEncryptionConfiguration)[0];
  const byDefault = rule?.ServerSideEncryptionByDefault;
  if (!byDefault || !String(byDefault.SSEAlgorithm).startsWith('aws:kms')) return undefined;
  return keyOf(set, bucket.stackId, byDefault.KMSMasterKeyID) ?? 'the AWS managed key aws/s3';
}

function bucketPolicyHop(
  set: TemplateSet,
  bucket: ResourceId,
  service: string,
  action: string,
  suffix: string,
  context: Record<string, string>,
): HopBody {
  const policies = resourcesOfType(set, 'AWS::S3::BucketPolicy').filter((p) =>
    sameResource(bucketRef(set, p.stackId, p.properties.Bucket), bucket),
  );
  if (policies.length === 0)
    return {
      verdict: 'fail',
      detail: `bucket ${label(bucket)} has no bucket policy, so ${service} may not ${action}`,
      fix: `Add a bucket policy allowing ${service} ${action}.`,
      resource: bucket,
    };
  const decision = evaluatePolicies(
    policies.map((p) => ({ document: p.properties.PolicyDocument, stackId: p.stackId, name: label(p) })),
    set,
    {
      service,
      action,
      resources: bucketArns(set, bucket, suffix),
      context: { 'aws:SecureTransport': 'true', ...context },
    },
  );
  return decision.allowed
    ? { verdict: 'pass', detail: `${action} on ${label(bucket)}${suffix}: ${decision.reason}`, resource: policies[0] }
    : {
        verdict: 'fail',
        detail: `${service} may not ${action} on ${label(bucket)}${suffix}: ${decision.reason}`,
        fix: `Allow ${service} ${action} on the bucket${suffix ? ` objects under ${suffix}` : ''} in its bucket policy.`,
        resource: policies[0],
      };
}

// ---- paths ----

function cloudTrailPaths(set: TemplateSet): PathResult[] {
  const results: PathResult[] = [];
  for (const trail of resourcesOfType(set, 'AWS::CloudTrail::Trail')) {
    const stack = stackOf(set, trail.stackId);
    const account = accountOf(stack);
    const name = resolveString(set, trail.stackId, trail.properties.TrailName) ?? generatedName(set, trail);
    const trailArn = `arn:aws:cloudtrail:${regionOf(stack)}:${account}:trail/${name}`;
    const context = { 'aws:SourceArn': trailArn, 'aws:SourceAccount': account };
    const bucket = bucketRef(set, trail.stackId, trail.properties.S3BucketName);
    const prefix = resolveString(set, trail.stackId, trail.properties.S3KeyPrefix);
    const objects = `/${prefix ? `${prefix}/` : ''}AWSLogs/${account}/CloudTrail/hipaa-rtc-paths-check.json.gz`;
    const s3 = new HopList()
      .add('trail -> bucket', () =>
        bucket
          ? {
              verdict: 'pass',
              detail: `${label(trail)} delivers to ${label(bucket)}`,
              resource: bucket,
              node: `bucket ${bucket.logicalId}`,
            }
          : {
              verdict: 'fail',
              detail: `${label(trail)} names a bucket that is not in these templates`,
              fix: 'Deliver the trail to a bucket of these templates.',
              resource: trail,
            },
      )
      .add(
        'bucket policy: s3:GetBucketAcl',
        () => bucketPolicyHop(set, bucket!, 'cloudtrail.amazonaws.com', 's3:GetBucketAcl', '', context),
        false,
      )
      .add(
        'bucket policy: s3:PutObject (bucket-owner-full-control)',
        () =>
          bucketPolicyHop(set, bucket!, 'cloudtrail.amazonaws.com', 's3:PutObject', objects, {
            ...context,
            's3:x-amz-acl': 'bucket-owner-full-control',
          }),
        false,
      )
      .add(
        'trail key: kms:GenerateDataKey* and kms:DescribeKey',
        () =>
          keyHop(
            set,
            keyOf(set, trail.stackId, trail.properties.KMSKeyId) ?? bucketKey(set, bucket!),
            'cloudtrail.amazonaws.com',
            ['kms:GenerateDataKey', 'kms:DescribeKey'],
            { ...context, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn },
            `trail ${label(trail)} log files`,
          ),
        false,
      );
    results.push({ rule: PATH_RULES.logDelivery, title: `CloudTrail ${label(trail)} -> S3`, hops: s3.toArray() });

    if (trail.properties.CloudWatchLogsLogGroupArn !== undefined) {
      const group = findLogGroup(set, trail.stackId, trail.properties.CloudWatchLogsLogGroupArn);
      const role = roleRef(set, trail.stackId, trail.properties.CloudWatchLogsRoleArn);
      const cwl = new HopList()
        .add('trail -> log group', () => groupHop(group, `${label(trail)}`))
        .add(
          'delivery role trusts cloudtrail.amazonaws.com',
          () => trustHop(set, role, 'cloudtrail.amazonaws.com', context),
          false,
        )
        .add('delivery role writes the log group', () => roleWritesGroupHop(set, role, group!), false)
        .add('log group key allows CloudWatch Logs', () => logGroupKeyHop(set, group!), false);
      results.push({
        rule: PATH_RULES.logDelivery,
        title: `CloudTrail ${label(trail)} -> CloudWatch Logs`,
        hops: cwl.toArray(),
      });
    }
  }
  return results;
}

function flowLogPaths(set: TemplateSet): PathResult[] {
  return resourcesOfType(set, 'AWS::EC2::FlowLog').map((flow) => {
    const stack = stackOf(set, flow.stackId);
    const account = accountOf(stack);
    const type = flow.properties.LogDestinationType ?? 'cloud-watch-logs';
    const context = {
      'aws:SourceAccount': account,
      'aws:SourceArn': `arn:aws:ec2:${regionOf(stack)}:${account}:vpc-flow-log/fl-hipaa-rtc-paths-check`,
    };
    if (type === 's3') {
      const destination = resolveString(set, flow.stackId, flow.properties.LogDestination);
      const bucket = bucketRef(set, flow.stackId, destination?.replace(/^arn:aws:s3:::/, '').split('/')[0]);
      return deliveryLogsToS3(set, `VPC flow log ${label(flow)} -> S3`, bucket, account, context);
    }
    if (type !== 'cloud-watch-logs')
      return {
        rule: PATH_RULES.logDelivery,
        title: `VPC flow log ${label(flow)}`,
        hops: [
          {
            name: 'destination',
            verdict: 'fail',
            detail: `destination type ${type} is not checked by the paths pack`,
            fix: 'Deliver flow logs to CloudWatch Logs or S3, or extend lib/compliance/paths/log-delivery.ts.',
            resource: flow,
          },
        ],
      };
    const group = findLogGroup(set, flow.stackId, flow.properties.LogGroupName ?? flow.properties.LogDestination);
    const role = roleRef(set, flow.stackId, flow.properties.DeliverLogsPermissionArn);
    const hops = new HopList()
      .add('flow log -> log group', () => groupHop(group, label(flow)))
      .add(
        'delivery role trusts vpc-flow-logs.amazonaws.com',
        () => trustHop(set, role, 'vpc-flow-logs.amazonaws.com', context),
        false,
      )
      .add(
        'delivery role writes the log group',
        () =>
          roleWritesGroupHop(set, role, group!, [
            ...LOG_WRITE_ACTIONS,
            'logs:DescribeLogStreams',
            'logs:DescribeLogGroups',
          ]),
        false,
      )
      .add('log group key allows CloudWatch Logs', () => logGroupKeyHop(set, group!), false);
    return {
      rule: PATH_RULES.logDelivery,
      title: `VPC flow log ${label(flow)} -> CloudWatch Logs`,
      hops: hops.toArray(),
    };
  });
}

/** The API Gateway account setting's CloudWatch role (account- and region-wide). */
function apiGatewayRole(set: TemplateSet): ResourceId | undefined {
  const account = resourcesOfType(set, 'AWS::ApiGateway::Account')[0];
  return account ? roleRef(set, account.stackId, account.properties.CloudWatchRoleArn) : undefined;
}

function apiGatewayPaths(set: TemplateSet): PathResult[] {
  const results: PathResult[] = [];
  const role = apiGatewayRole(set);
  const writes: Array<{ title: string; group: ResourceId | undefined; source: ResourceId }> = [];
  for (const stage of resourcesOfType(set, 'AWS::ApiGatewayV2::Stage')) {
    const destination = stage.properties.AccessLogSettings?.DestinationArn;
    if (destination !== undefined)
      writes.push({
        title: `API Gateway access logs ${label(stage)}`,
        group: findLogGroup(set, stage.stackId, destination),
        source: stage,
      });
  }
  for (const stage of resourcesOfType(set, 'AWS::ApiGateway::Stage')) {
    const destination = stage.properties.AccessLogSetting?.DestinationArn;
    if (destination !== undefined)
      writes.push({
        title: `API Gateway access logs ${label(stage)}`,
        group: findLogGroup(set, stage.stackId, destination),
        source: stage,
      });
  }
  for (const group of resourcesOfType(set, 'AWS::Logs::LogGroup')) {
    if (logGroupName(set, group).startsWith('API-Gateway-Execution-Logs_'))
      writes.push({ title: `API Gateway execution logs ${label(group)}`, group, source: group });
  }
  for (const write of writes) {
    const account = accountOf(stackOf(set, write.source.stackId));
    const hops = new HopList()
      .add('API Gateway -> log group', () => groupHop(write.group, label(write.source)))
      .add('account CloudWatch role trusts apigateway.amazonaws.com', () =>
        role
          ? trustHop(set, role, 'apigateway.amazonaws.com', { 'aws:SourceAccount': account })
          : {
              verdict: 'fail',
              detail:
                'no AWS::ApiGateway::Account in these templates sets the CloudWatch role API Gateway writes logs with',
              fix: 'Set the account CloudWatch role (AWS::ApiGateway::Account CloudWatchRoleArn) in the templates.',
            },
      )
      .add('account CloudWatch role writes the log group', () => roleWritesGroupHop(set, role, write.group!), false)
      .add('log group key allows CloudWatch Logs', () => logGroupKeyHop(set, write.group!), false);
    results.push({ rule: PATH_RULES.logDelivery, title: `${write.title} -> CloudWatch Logs`, hops: hops.toArray() });
  }
  return results;
}

function lambdaPaths(set: TemplateSet): PathResult[] {
  const results: PathResult[] = [];
  for (const fn of resourcesOfType(set, 'AWS::Lambda::Function')) {
    const explicit = fn.properties.LoggingConfig?.LogGroup;
    const name = resolveString(set, fn.stackId, fn.properties.FunctionName);
    const group =
      explicit !== undefined
        ? findLogGroup(set, fn.stackId, explicit)
        : name
          ? findLogGroup(set, fn.stackId, `/aws/lambda/${name}`)
          : undefined;
    if (explicit === undefined && !group) {
      results.push({
        rule: PATH_RULES.logDelivery,
        title: `Lambda ${label(fn)} -> CloudWatch Logs`,
        hops: [
          {
            name: 'function -> log group',
            verdict: 'not-applicable',
            detail:
              `${label(fn)} writes to the default group /aws/lambda/<name>, which is not in the templates and not ` +
              'encrypted with a customer managed key (the HipaaRtc-LambdaExplicitLogGroup rule judges that)',
            resource: fn,
          },
        ],
      });
      continue;
    }
    const role = roleRef(set, fn.stackId, fn.properties.Role);
    const hops = new HopList()
      .add('function -> log group', () => groupHop(group, label(fn)))
      .add('execution role writes the log group', () => roleWritesGroupHop(set, role, group!), false)
      .add('log group key allows CloudWatch Logs', () => logGroupKeyHop(set, group!), false);
    results.push({
      rule: PATH_RULES.logDelivery,
      title: `Lambda ${label(fn)} -> CloudWatch Logs`,
      hops: hops.toArray(),
    });
  }
  return results;
}

function s3AccessLogPaths(set: TemplateSet): PathResult[] {
  const results: PathResult[] = [];
  for (const source of resourcesOfType(set, 'AWS::S3::Bucket')) {
    const logging = source.properties.LoggingConfiguration;
    if (logging?.DestinationBucketName === undefined) continue;
    const account = accountOf(stackOf(set, source.stackId));
    const destination = bucketRef(set, source.stackId, logging.DestinationBucketName);
    const prefix = resolveString(set, source.stackId, logging.LogFilePrefix) ?? '';
    const context = {
      'aws:SourceAccount': account,
      'aws:SourceArn': tokenOf({ kind: 'ref', ...source, attribute: 'Arn' }),
    };
    const hops = new HopList()
      .add('bucket -> access-log bucket', () =>
        destination
          ? {
              verdict: 'pass',
              detail: `${label(source)} logs to ${label(destination)}`,
              resource: destination,
              node: `bucket ${destination.logicalId}`,
            }
          : {
              verdict: 'fail',
              detail: `${label(source)} logs to a bucket not in these templates`,
              fix: 'Log to a bucket of these templates.',
              resource: source,
            },
      )
      .add(
        'bucket policy: s3:PutObject for logging.s3.amazonaws.com',
        () =>
          bucketPolicyHop(
            set,
            destination!,
            'logging.s3.amazonaws.com',
            's3:PutObject',
            `/${prefix}hipaa-rtc-paths-check`,
            context,
          ),
        false,
      )
      .add(
        'bucket key allows logging.s3.amazonaws.com',
        () =>
          keyHop(
            set,
            bucketKey(set, destination!),
            'logging.s3.amazonaws.com',
            ['kms:GenerateDataKey'],
            context,
            `bucket ${label(destination!)}`,
          ),
        false,
      );
    results.push({
      rule: PATH_RULES.logDelivery,
      title: `S3 server access logs ${label(source)} -> S3`,
      hops: hops.toArray(),
    });
  }
  return results;
}

function deliveryLogsToS3(
  set: TemplateSet,
  title: string,
  bucket: ResourceId | undefined,
  account: string,
  context: Record<string, string>,
  prefix = '',
): PathResult {
  const objects = `/${prefix ? `${prefix}/` : ''}AWSLogs/${account}/hipaa-rtc-paths-check`;
  const hops = new HopList()
    .add('source -> bucket', () =>
      bucket
        ? {
            verdict: 'pass',
            detail: `delivers to ${label(bucket)}`,
            resource: bucket,
            node: `bucket ${bucket.logicalId}`,
          }
        : {
            verdict: 'fail',
            detail: 'the destination bucket is not in these templates',
            fix: 'Deliver to a bucket of these templates.',
          },
    )
    .add(
      'bucket policy: s3:GetBucketAcl',
      () => bucketPolicyHop(set, bucket!, 'delivery.logs.amazonaws.com', 's3:GetBucketAcl', '', context),
      false,
    )
    .add(
      'bucket policy: s3:PutObject (bucket-owner-full-control)',
      () =>
        bucketPolicyHop(set, bucket!, 'delivery.logs.amazonaws.com', 's3:PutObject', objects, {
          ...context,
          's3:x-amz-acl': 'bucket-owner-full-control',
        }),
      false,
    )
    .add(
      'bucket key allows delivery.logs.amazonaws.com',
      () =>
        keyHop(
          set,
          bucketKey(set, bucket!),
          'delivery.logs.amazonaws.com',
          ['kms:GenerateDataKey', 'kms:Decrypt'],
          context,
          `bucket ${label(bucket!)}`,
        ),
      false,
    );
  return { rule: PATH_RULES.logDelivery, title, hops: hops.toArray() };
}

function loadBalancerPaths(set: TemplateSet): PathResult[] {
  return resourcesOfType(set, 'AWS::ElasticLoadBalancingV2::LoadBalancer').map((lb) => {
    const attributes = asList(lb.properties.LoadBalancerAttributes);
    const attribute = (key: string) => attributes.find((a) => a.Key === key)?.Value;
    const title = `${lb.properties.Type === 'network' ? 'NLB' : 'Load balancer'} access logs ${label(lb)} -> S3`;
    if (String(resolveString(set, lb.stackId, attribute('access_logs.s3.enabled'))) !== 'true')
      return {
        rule: PATH_RULES.logDelivery,
        title,
        hops: [
          {
            name: 'access logs',
            verdict: 'not-applicable',
            detail: `access logs are not enabled on ${label(lb)} (access_logs.s3.enabled is not true): nothing is delivered, so no grant is needed`,
            resource: lb,
          },
        ],
      };
    const stack = stackOf(set, lb.stackId);
    const account = accountOf(stack);
    return deliveryLogsToS3(
      set,
      title,
      bucketRef(set, lb.stackId, attribute('access_logs.s3.bucket')),
      account,
      {
        'aws:SourceAccount': account,
        'aws:SourceArn': `arn:aws:logs:${regionOf(stack)}:${account}:*`,
      },
      resolveString(set, lb.stackId, attribute('access_logs.s3.prefix')),
    );
  });
}

const CONFIG_SERVICE_LINKED_ROLE = /:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/;

/**
 * AWS Config delivery channel -> S3. Modelled for a recorder that uses AWS Config's service-linked role (AWS Config
 * then writes as the service principal); a recorder with its own role is reported, not assumed to work.
 */
function configDeliveryPaths(set: TemplateSet): PathResult[] {
  return resourcesOfType(set, 'AWS::Config::DeliveryChannel').map((channel) => {
    const stack = stackOf(set, channel.stackId);
    const account = accountOf(stack);
    const context = { 'aws:SourceAccount': account };
    const bucket = bucketRef(set, channel.stackId, channel.properties.S3BucketName);
    const prefix = resolveString(set, channel.stackId, channel.properties.S3KeyPrefix);
    const objects = `/${prefix ? `${prefix}/` : ''}AWSLogs/${account}/Config/${regionOf(stack)}/hipaa-rtc-paths-check.json.gz`;
    const recorders = resourcesOfType(set, 'AWS::Config::ConfigurationRecorder').filter(
      (r) => r.stackId === channel.stackId,
    );
    const hops = new HopList()
      .add('recorder writes as config.amazonaws.com (service-linked role)', () => {
        if (recorders.length === 0)
          return {
            verdict: 'fail',
            detail: `no configuration recorder in ${stack.stackName}: AWS Config refuses a delivery channel without one`,
            fix: 'Create the recorder in the same stack, before the channel (DependsOn).',
            resource: channel,
          };
        const roleArn = resolveString(set, recorders[0]!.stackId, recorders[0]!.properties.RoleARN) ?? '';
        return CONFIG_SERVICE_LINKED_ROLE.test(roleArn)
          ? {
              verdict: 'pass',
              detail: `${label(recorders[0]!)} records through AWSServiceRoleForConfig`,
              resource: recorders[0],
            }
          : {
              verdict: 'fail',
              detail: `${label(recorders[0]!)} records through ${roleArn || 'an unresolvable role'}, whose S3 and KMS grants these checks do not model`,
              fix: 'Use the service-linked role AWSServiceRoleForConfig (aws iam create-service-linked-role --aws-service-name config.amazonaws.com).',
              resource: recorders[0],
            };
      })
      .add('channel -> bucket', () =>
        bucket
          ? {
              verdict: 'pass',
              detail: `${label(channel)} delivers to ${label(bucket)}`,
              resource: bucket,
              node: `bucket ${bucket.logicalId}`,
            }
          : {
              verdict: 'fail',
              detail: `${label(channel)} names a bucket that is not in these templates`,
              fix: 'Deliver to a bucket of these templates (the audit evidence bucket).',
              resource: channel,
            },
      )
      .add(
        'bucket policy: s3:GetBucketAcl',
        () => bucketPolicyHop(set, bucket!, 'config.amazonaws.com', 's3:GetBucketAcl', '', context),
        false,
      )
      .add(
        'bucket policy: s3:ListBucket',
        () => bucketPolicyHop(set, bucket!, 'config.amazonaws.com', 's3:ListBucket', '', context),
        false,
      )
      .add(
        'bucket policy: s3:PutObject (bucket-owner-full-control)',
        () =>
          bucketPolicyHop(set, bucket!, 'config.amazonaws.com', 's3:PutObject', objects, {
            ...context,
            's3:x-amz-acl': 'bucket-owner-full-control',
          }),
        false,
      )
      .add(
        'delivery key: kms:GenerateDataKey and kms:Decrypt',
        () =>
          keyHop(
            set,
            keyOf(set, channel.stackId, channel.properties.S3KmsKeyArn) ?? bucketKey(set, bucket!),
            'config.amazonaws.com',
            ['kms:GenerateDataKey', 'kms:Decrypt'],
            context,
            `AWS Config deliveries of ${label(channel)}`,
          ),
        false,
      );
    return { rule: PATH_RULES.logDelivery, title: `AWS Config ${label(channel)} -> S3`, hops: hops.toArray() };
  });
}

/** Every log and evidence delivery path of the templates. */
export function logDeliveryPaths(set: TemplateSet): PathResult[] {
  return [
    ...configDeliveryPaths(set),
    ...cloudTrailPaths(set),
    ...flowLogPaths(set),
    ...apiGatewayPaths(set),
    ...lambdaPaths(set),
    ...s3AccessLogPaths(set),
    ...loadBalancerPaths(set),
  ];
}

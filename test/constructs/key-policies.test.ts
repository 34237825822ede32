import { Template } from 'aws-cdk-lib/assertions';
import { KEY_ADMINISTRATION_ACTIONS } from '../../lib/constructs/customer-managed-key';
import {
  KMS_POLICY_ESCALATION_ACTIONS,
  expandKmsActionPattern,
  forbiddenActionsGranted,
} from '../../lib/constructs/kms-actions';
import { buildExampleApp } from '../helpers/test-app';
import { asArray, type PolicyStatement } from '../helpers/template-queries';

/**
 * Every KMS key in every stack of the example app, read the way KMS reads a key policy: no principal that a person
 * can act as (any IAM role or user, or anyone) may hold a use action or an action that rewrites who may use the key.
 * Use is only for service principals under conditions, service-linked roles (only their AWS service can assume
 * them), and the account root (which delegates to IAM; see docs/keys.md).
 */

interface KeyStatement {
  readonly where: string;
  readonly statement: PolicyStatement & { NotAction?: unknown; NotPrincipal?: unknown };
}

let keyStatements: KeyStatement[];
let templates: Record<string, Template>;

beforeAll(() => {
  const built = buildExampleApp();
  templates = Object.fromEntries(built.stacks.map((stack) => [stack.stackName, Template.fromStack(stack)]));
  keyStatements = Object.entries(templates).flatMap(([stackName, template]) =>
    Object.entries(template.findResources('AWS::KMS::Key')).flatMap(([keyId, key]) =>
      (key.Properties.KeyPolicy.Statement as KeyStatement['statement'][]).map((statement) => ({
        where: `${stackName}/${keyId}/${statement.Sid ?? '(no Sid)'}`,
        statement,
      })),
    ),
  );
});

/** A CloudFormation value as text: references become ${Ref}, ${Id.Attr} or ${Import:...}, joins are concatenated. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') return `\${${node.Ref}}`;
    if (Array.isArray(node['Fn::GetAtt'])) return `\${${(node['Fn::GetAtt'] as string[]).join('.')}}`;
    if (node['Fn::ImportValue'] !== undefined) return `\${Import:${render(node['Fn::ImportValue'])}}`;
    if (Array.isArray(node['Fn::Join'])) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
  }
  return `\${unrecognized:${JSON.stringify(value)}}`;
}

type PrincipalKind = 'account-root' | 'service-linked-role' | 'service' | 'identity';

/** Classifies each principal of a statement; anything not recognised as root, service or service-linked role is an
 * identity a person could act as (fail closed). */
function principalKinds(principal: unknown): PrincipalKind[] {
  if (principal === '*') return ['identity'];
  const block = (principal ?? {}) as Record<string, unknown>;
  const kinds: PrincipalKind[] = [];
  for (const [type, values] of Object.entries(block)) {
    for (const value of asArray(values as unknown)) {
      if (type === 'Service') kinds.push('service');
      else if (type !== 'AWS') kinds.push('identity');
      else {
        const arn = render(value);
        if (/^arn:(\$\{AWS::Partition\}|aws[a-z-]*):iam::(\$\{AWS::AccountId\}|\d{12}):root$/.test(arn))
          kinds.push('account-root');
        else if (
          /^arn:(\$\{AWS::Partition\}|aws[a-z-]*):iam::(\$\{AWS::AccountId\}|\d{12}):role\/aws-service-role\/[a-z0-9.-]+\.amazonaws\.com\/[A-Za-z0-9_+=,.@-]+$/.test(
            arn,
          )
        )
          kinds.push('service-linked-role');
        else kinds.push('identity');
      }
    }
  }
  return kinds.length > 0 ? kinds : ['identity'];
}

function allows(): KeyStatement[] {
  return keyStatements.filter(({ statement }) => statement.Effect === 'Allow');
}

describe('key policies across the app', () => {
  test('the app has the audit, data, relay, signaling and backup vault keys, each with its administration statement', () => {
    const keys = new Set(keyStatements.map(({ where }) => where.split('/').slice(0, 2).join('/')));
    expect(keys.size).toBe(5);
    expect([...keys].filter((key) => key.includes('-signaling/'))).toHaveLength(1);
    const administration = keyStatements.filter(({ statement }) => statement.Sid === 'KeyAdministration');
    expect(administration).toHaveLength(5);
    for (const { statement } of administration) {
      expect(principalKinds(statement.Principal)).toEqual(['identity']);
      expect(asArray(statement.Action).sort()).toEqual([...KEY_ADMINISTRATION_ACTIONS].sort());
    }
  });

  test('no Allow uses NotAction or NotPrincipal (they grant everything they do not name)', () => {
    for (const { where, statement } of allows()) {
      expect({ where, NotAction: statement.NotAction, NotPrincipal: statement.NotPrincipal }).toEqual({ where });
    }
  });

  test('no role, user or anonymous principal holds a use action or an action that rewrites the key policy', () => {
    const findings = allows()
      .filter(({ statement }) => principalKinds(statement.Principal).includes('identity'))
      .map(({ where, statement }) => ({ where, granted: forbiddenActionsGranted(asArray(statement.Action)) }))
      .filter(({ granted }) => granted.length > 0);
    expect(findings).toEqual([]);
  });

  test('a service principal holds key actions only under a condition', () => {
    const services = allows().filter(({ statement }) => principalKinds(statement.Principal).includes('service'));
    expect(services.length).toBeGreaterThan(0);
    for (const { where, statement } of services) {
      expect({ where, conditions: Object.keys(statement.Condition ?? {}).length > 0 }).toEqual({
        where,
        conditions: true,
      });
    }
  });

  test('kms:PutKeyPolicy and the other escalations are reachable only through the account-root statement', () => {
    const holders = allows()
      .filter(
        ({ statement }) => forbiddenActionsGranted(asArray(statement.Action), KMS_POLICY_ESCALATION_ACTIONS).length,
      )
      .map(({ where, statement }) => ({ where, kinds: principalKinds(statement.Principal) }));
    // One account-root statement per key: audit, data, relay, signaling, backup vault.
    expect(holders.length).toBe(5);
    for (const holder of holders) expect(holder.kinds).toEqual(['account-root']);
  });

  test('every key keeps the unconditioned account-root statement (kms:*), so it can never become unmanageable', () => {
    const keyOf = (where: string) => where.split('/').slice(0, 2).join('/');
    const keys = [...new Set(keyStatements.map(({ where }) => keyOf(where)))].sort();
    const roots = allows().filter(
      ({ statement }) =>
        principalKinds(statement.Principal).includes('account-root') &&
        JSON.stringify(asArray(statement.Action)) === '["kms:*"]' &&
        statement.Condition === undefined,
    );
    expect(roots.map(({ where }) => keyOf(where)).sort()).toEqual(keys);
  });

  test('every KMS action pattern in a key policy names at least one catalogued action (no typo, no unknown action)', () => {
    for (const { where, statement } of allows()) {
      for (const pattern of asArray(statement.Action)) {
        expect({ where, pattern, matches: expandKmsActionPattern(pattern).length > 0 }).toEqual({
          where,
          pattern,
          matches: true,
        });
      }
    }
  });
});

describe('identity policies across the app', () => {
  /** Every statement of every identity policy (managed, inline, and inline on roles). */
  function identityStatements(): Array<{ where: string; statement: PolicyStatement }> {
    return Object.entries(templates).flatMap(([stackName, template]) => [
      ...['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy'].flatMap((type) =>
        Object.entries(template.findResources(type)).flatMap(([id, policy]) =>
          (policy.Properties.PolicyDocument.Statement as PolicyStatement[]).map((statement) => ({
            where: `${stackName}/${id}`,
            statement,
          })),
        ),
      ),
      ...Object.entries(template.findResources('AWS::IAM::Role')).flatMap(([id, role]) =>
        ((role.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: PolicyStatement[] } }>).flatMap(
          (policy) => policy.PolicyDocument.Statement.map((statement) => ({ where: `${stackName}/${id}`, statement })),
        ),
      ),
    ]);
  }

  test('none grants kms:PutKeyPolicy or another policy escalation, through the account-root delegation', () => {
    const findings = identityStatements()
      .filter(({ statement }) => statement.Effect === 'Allow')
      .map(({ where, statement }) => ({
        where,
        granted: forbiddenActionsGranted(asArray(statement.Action), KMS_POLICY_ESCALATION_ACTIONS),
      }))
      .filter(({ granted }) => granted.length > 0);
    expect(findings).toEqual([]);
  });

  test('the key administrator role has no identity policy at all', () => {
    const audit = Object.entries(templates).find(([name]) => name.endsWith('-audit'))![1];
    const [adminId, admin] = Object.entries(audit.findResources('AWS::IAM::Role')).find(([id]) =>
      id.startsWith('KeyAdministrator'),
    )!;
    expect(admin.Properties.Policies).toBeUndefined();
    expect(admin.Properties.ManagedPolicyArns).toBeUndefined();
    expect(JSON.stringify(identityStatements().map(({ where }) => where))).not.toContain(adminId);
    for (const template of Object.values(templates)) {
      for (const policy of [
        ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
        ...Object.values(template.findResources('AWS::IAM::Policy')),
      ]) {
        expect(JSON.stringify(policy.Properties.Roles ?? [])).not.toContain(adminId);
      }
    }
  });
});

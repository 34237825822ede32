import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnGroup, CfnManagedPolicy, CfnPolicy, CfnRole, CfnUser } from 'aws-cdk-lib/aws-iam';
import { CfnKey } from 'aws-cdk-lib/aws-kms';
import { NagRuleCompliance } from 'cdk-nag';
import { KMS_ACTIONS, KMS_POLICY_ESCALATION_ACTIONS, expandKmsActionPattern } from '../../../constructs/kms-actions';

type Statement = Record<string, unknown>;

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: unknown } | undefined)?.Statement;
  return asList(statements).filter((s): s is Statement => typeof s === 'object' && s !== null);
}

/**
 * The KMS actions an Allow statement grants, as IAM reads it: `Action` patterns, or for `NotAction` every KMS action
 * the patterns do not match. A pattern that is not a string (an unresolved token) is taken to grant everything: the
 * rule cannot prove otherwise, so it fails closed.
 */
function kmsActionsGranted(statement: Statement): Set<string> {
  if (statement.NotAction !== undefined) {
    const excluded = new Set(
      asList(statement.NotAction).flatMap((p) => (typeof p === 'string' ? expandKmsActionPattern(p) : [])),
    );
    return new Set(KMS_ACTIONS.filter((action) => !excluded.has(action)));
  }
  return new Set(
    asList(statement.Action).flatMap((p) => (typeof p === 'string' ? expandKmsActionPattern(p) : [...KMS_ACTIONS])),
  );
}

function escalates(statement: Statement): boolean {
  if (statement.Effect !== 'Allow') return false;
  const granted = kmsActionsGranted(statement);
  return KMS_POLICY_ESCALATION_ACTIONS.some((action) => granted.has(action));
}

/**
 * True for the account itself as principal (`arn:<partition>:iam::<account>:root`, a bare account id, or CDK's
 * `Fn::Join` that ends in `:root`): a key policy statement for the account delegates to IAM, which this rule judges
 * separately through the identity policies, and it must stay (docs/keys.md).
 */
function isAccountPrincipal(principal: unknown): boolean {
  if (typeof principal === 'string') return /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/.test(principal);
  const join = (principal as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (Array.isArray(join) && Array.isArray(join[1])) {
    const last = join[1][join[1].length - 1];
    return typeof last === 'string' && last.endsWith(':root');
  }
  return false;
}

/** Does the statement name any principal other than the account itself (a role, user, `*`, a service)? */
function namesNonAccountPrincipal(statement: Statement): boolean {
  const principal = statement.Principal;
  if (principal === undefined) return statement.NotPrincipal !== undefined;
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return true;
  return Object.entries(principal as Record<string, unknown>).some(([kind, value]) =>
    kind === 'AWS' ? asList(value).some((p) => !isAccountPrincipal(p)) : true,
  );
}

function identityPolicyDocuments(node: CfnResource): unknown[] {
  const resolve = (value: unknown) => Stack.of(node).resolve(value) as unknown;
  if (node instanceof CfnPolicy || node instanceof CfnManagedPolicy) return [resolve(node.policyDocument)];
  if (node instanceof CfnRole || node instanceof CfnUser || node instanceof CfnGroup) {
    return asList(resolve(node.policies)).map((p) => (p as { PolicyDocument?: unknown } | undefined)?.PolicyDocument);
  }
  return [];
}

/**
 * Nobody but the account itself may hold an action that obtains use of a key without being granted it
 * (kms:PutKeyPolicy, ReplicateKey, key-material import, UpdatePrimaryRegion; `KMS_POLICY_ESCALATION_ACTIONS`):
 * - in a key policy, an Allow of one of them to any principal other than the account root;
 * - in an IAM identity policy (policy, managed policy, or a role's, user's or group's inline policy), any Allow of
 *   one of them, on any resource: the key policies' account statement delegates to IAM, so such a policy would let its
 *   holder rewrite a key policy and grant itself Decrypt.
 * Wildcards (`kms:*`, `kms:Put*`, `*`) and NotAction are expanded against the KMS action catalog.
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (node instanceof CfnKey) {
      const policy = Stack.of(node).resolve(node.keyPolicy) as unknown;
      const bad = statementsOf(policy).some((s) => escalates(s) && namesNonAccountPrincipal(s));
      return bad ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
    const documents = identityPolicyDocuments(node);
    if (documents.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const bad = documents.some((document) => statementsOf(document).some(escalates));
    return bad ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

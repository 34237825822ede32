import type { Template } from 'aws-cdk-lib/assertions';

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The only resource of a type, failing loudly if there is not exactly one. */
export function onlyResource(template: Template, type: string): { logicalId: string; resource: Record<string, any> } {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  const [logicalId, resource] = found[0]!;
  return { logicalId, resource };
}

export function keyPolicyStatements(template: Template, logicalId: string): PolicyStatement[] {
  const key = template.findResources('AWS::KMS::Key')[logicalId];
  if (key === undefined) throw new Error(`no KMS key ${logicalId}`);
  return key.Properties.KeyPolicy.Statement;
}

/** Does an IAM action pattern (with * wildcards) cover a concrete or wildcard action? Case-insensitive, as IAM is. */
export function actionPatternCovers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
  // A wildcard action (e.g. kms:ReEncrypt*) is covered if the pattern matches its literal prefix or vice versa.
  const literal = action.replace(/\*$/, '');
  return (
    regex.test(action) ||
    regex.test(literal) ||
    (action.endsWith('*') && pattern.toLowerCase().startsWith(literal.toLowerCase()))
  );
}

/** Every `{Ref}` and `{Fn::GetAtt}` target inside a JSON value. */
export function referencedLogicalIds(value: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Ref' && typeof child === 'string') found.push(child);
      else if (key === 'Fn::GetAtt' && Array.isArray(child) && typeof child[0] === 'string') found.push(child[0]);
      walk(child);
    }
  };
  walk(value);
  return found;
}

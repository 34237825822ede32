import { Stack, type CfnResource } from 'aws-cdk-lib';
import { CfnApi } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * The protocol of the API a stage or route belongs to, when that API is in the same stack; `undefined` when it
 * cannot be known (imported API), and the rules then judge the resource as if it were a WebSocket API (fail closed).
 */
export function apiProtocolOf(node: CfnResource, apiId: unknown): string | undefined {
  const stack = Stack.of(node);
  const ref = stack.resolve(apiId) as { Ref?: string } | string | undefined;
  const logicalId = typeof ref === 'object' ? ref?.Ref : undefined;
  if (!logicalId) return undefined;
  const api = stack.node
    .findAll()
    .find((child): child is CfnApi => child instanceof CfnApi && stack.resolve(child.logicalId) === logicalId);
  return api ? stack.resolve(api.protocolType) : undefined;
}

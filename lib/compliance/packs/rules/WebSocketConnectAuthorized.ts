import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { NagRuleCompliance } from 'cdk-nag';
import { apiProtocolOf } from './websocket-api-of';

/**
 * A WebSocket API's `$connect` route is authorized (a Lambda REQUEST authorizer or IAM). It is the only route that
 * can carry an authorizer; every later route inherits the connection's identity, so other routes are not judged
 * (cdk-nag's APIG4 flags them all and cannot pass for WebSocket APIs).
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnRoute)) return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    if (stack.resolve(node.routeKey) !== '$connect' || apiProtocolOf(node, node.apiId) === 'HTTP') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const type = stack.resolve(node.authorizationType);
    const hasAuthorizer = type === 'AWS_IAM' || (type === 'CUSTOM' && stack.resolve(node.authorizerId) !== undefined);
    return hasAuthorizer ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { NagRuleCompliance } from 'cdk-nag';

/**
 * API Gateway v2 stages (WebSocket and HTTP) write access logs: a destination and an explicit format. cdk-nag's
 * APIGWAccessLogging only inspects REST stages.
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnStage)) return NagRuleCompliance.NOT_APPLICABLE;
    const settings = Stack.of(node).resolve(node.accessLogSettings) as
      { destinationArn?: unknown; format?: unknown } | undefined;
    return settings?.destinationArn !== undefined && typeof settings.format === 'string' && settings.format.length > 0
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

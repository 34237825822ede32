import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { NagRuleCompliance } from 'cdk-nag';
import { disallowedAccessLogVariables } from '../../access-log-variables';

/**
 * API Gateway v2 stages (WebSocket and HTTP) write access logs: a destination and an explicit format that logs only
 * allow-listed variables (identifiers, outcomes, timings; see access-log-variables.ts). cdk-nag's APIGWAccessLogging
 * only inspects REST stages, and nothing in cdk-nag looks at what a format logs.
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnStage)) return NagRuleCompliance.NOT_APPLICABLE;
    const settings = Stack.of(node).resolve(node.accessLogSettings) as
      { destinationArn?: unknown; format?: unknown } | undefined;
    if (settings?.destinationArn === undefined || typeof settings.format !== 'string' || settings.format.length === 0) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
    return disallowedAccessLogVariables(settings.format).length === 0
      ? NagRuleCompliance.COMPLIANT
      : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

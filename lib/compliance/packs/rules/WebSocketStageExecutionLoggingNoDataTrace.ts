import { parse } from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { NagRuleCompliance } from 'cdk-nag';
import { apiProtocolOf } from './websocket-api-of';

interface RouteSettings {
  readonly loggingLevel?: unknown;
  readonly dataTraceEnabled?: unknown;
}

/**
 * WebSocket stages log execution errors (LoggingLevel ERROR or INFO, by default and on every route that sets its own
 * level) and never enable data trace, by default or on any route: data trace writes whole messages (SDP with
 * candidate IP addresses) to CloudWatch. cdk-nag's APIGWExecutionLoggingEnabled only inspects REST stages.
 */
export default Object.defineProperty(
  (node: CfnResource): NagRuleCompliance => {
    if (!(node instanceof CfnStage)) return NagRuleCompliance.NOT_APPLICABLE;
    if (apiProtocolOf(node, node.apiId) === 'HTTP') return NagRuleCompliance.NOT_APPLICABLE;
    const stack = Stack.of(node);
    const defaults = (stack.resolve(node.defaultRouteSettings) ?? {}) as RouteSettings;
    const perRoute = Object.values((stack.resolve(node.routeSettings) ?? {}) as Record<string, RouteSettings>);
    // A route may raise its level (ERROR to INFO) or leave it unset (the default applies), but not switch it off.
    const logs =
      (defaults.loggingLevel === 'ERROR' || defaults.loggingLevel === 'INFO') &&
      perRoute.every(
        (settings) => settings.loggingLevel === undefined || ['ERROR', 'INFO'].includes(String(settings.loggingLevel)),
      );
    const traces = [defaults, ...perRoute].some(
      (settings) => settings.dataTraceEnabled === true || settings.dataTraceEnabled === 'true',
    );
    return logs && !traces ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
  'name',
  { value: parse(__filename).name },
);

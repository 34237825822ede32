/** The WebSocket rules cdk-nag lacks: Noncompliance and Compliance cases, in cdk-nag's rule-test pattern. */
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { SIGNALING_ACCESS_LOG_FIELDS } from '../../../lib/constructs/signaling-websocket-api';
import {
  ApiGatewayV2StageAccessLogging,
  WebSocketConnectAuthorized,
  WebSocketStageExecutionLoggingNoDataTrace,
} from '../../../lib/compliance/packs/rules';
import { TestType, testStack, validateStack } from './rule-harness';

// The assertions live in validateStack (rule-harness.ts); this makes jest fail any case that never reaches one.
beforeEach(() => expect.hasAssertions());

const LOG_GROUP_ARN = 'arn:aws:logs:us-east-1:111111111111:log-group:/hipaa-rtc/example/signaling/access';

function stackWithApi(protocolType: 'WEBSOCKET' | 'HTTP' = 'WEBSOCKET') {
  const stack = testStack();
  const api = new apigwv2.CfnApi(stack, 'Api', {
    name: 'api',
    protocolType,
    routeSelectionExpression: protocolType === 'WEBSOCKET' ? '$request.body.action' : undefined,
  });
  return { stack, api };
}

describe('ApiGatewayV2StageAccessLogging', () => {
  test('Noncompliance: no access log settings', () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', { apiId: api.ref, stageName: 'live' });
    validateStack(stack, ApiGatewayV2StageAccessLogging, TestType.NON_COMPLIANCE);
  });
  test('Noncompliance: a destination without a format', () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', {
      apiId: api.ref,
      stageName: 'live',
      accessLogSettings: { destinationArn: LOG_GROUP_ARN },
    });
    validateStack(stack, ApiGatewayV2StageAccessLogging, TestType.NON_COMPLIANCE);
  });
  test.each([
    ['the source IP', '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp"}'],
    ['the user agent', '$context.requestId $context.identity.userAgent'],
    ['a token claim', '{"sub":"$context.authorizer.claims.sub"}'],
    ["the authorizer's context (room ids)", '{"rooms":"$context.authorizer.rooms"}'],
    ['the principal id', '{"p":"$context.authorizer.principalId"}'],
    ['the message body', '{"body":"$input.body"}'],
    ['a request header', '{"h":"$request.header.Sec-WebSocket-Protocol"}'],
  ])('Noncompliance: a format that logs %s', (_name, format) => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', {
      apiId: api.ref,
      stageName: 'live',
      accessLogSettings: { destinationArn: LOG_GROUP_ARN, format },
    });
    validateStack(stack, ApiGatewayV2StageAccessLogging, TestType.NON_COMPLIANCE);
  });
  test('Compliance: a format of allow-listed variables', () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', {
      apiId: api.ref,
      stageName: 'live',
      accessLogSettings: { destinationArn: LOG_GROUP_ARN, format: '{"requestId":"$context.requestId"}' },
    });
    validateStack(stack, ApiGatewayV2StageAccessLogging, TestType.COMPLIANCE);
  });
  test("Compliance: the signaling stage's own format", () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', {
      apiId: api.ref,
      stageName: 'live',
      accessLogSettings: { destinationArn: LOG_GROUP_ARN, format: JSON.stringify(SIGNALING_ACCESS_LOG_FIELDS) },
    });
    validateStack(stack, ApiGatewayV2StageAccessLogging, TestType.COMPLIANCE);
  });
});

describe('WebSocketStageExecutionLoggingNoDataTrace', () => {
  test.each([
    ['no execution logging', {}],
    ['logging OFF', { defaultRouteSettings: { loggingLevel: 'OFF' } }],
    ['data trace on by default', { defaultRouteSettings: { loggingLevel: 'ERROR', dataTraceEnabled: true } }],
    [
      'data trace on one route',
      { defaultRouteSettings: { loggingLevel: 'INFO' }, routeSettings: { signal: { dataTraceEnabled: true } } },
    ],
    [
      'logging switched OFF on one route',
      { defaultRouteSettings: { loggingLevel: 'ERROR' }, routeSettings: { signal: { loggingLevel: 'OFF' } } },
    ],
  ])('Noncompliance: %s', (_name, props) => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', { apiId: api.ref, stageName: 'live', ...props });
    validateStack(stack, WebSocketStageExecutionLoggingNoDataTrace, TestType.NON_COMPLIANCE);
  });
  test('Compliance: ERROR with data trace off', () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', {
      apiId: api.ref,
      stageName: 'live',
      defaultRouteSettings: { loggingLevel: 'ERROR', dataTraceEnabled: false },
    });
    validateStack(stack, WebSocketStageExecutionLoggingNoDataTrace, TestType.COMPLIANCE);
  });
  test('Compliance: one route raised to INFO, another leaving the default', () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnStage(stack, 'Stage', {
      apiId: api.ref,
      stageName: 'live',
      defaultRouteSettings: { loggingLevel: 'ERROR', dataTraceEnabled: false },
      routeSettings: { join: { loggingLevel: 'INFO' }, signal: { throttlingRateLimit: 10 } },
    });
    validateStack(stack, WebSocketStageExecutionLoggingNoDataTrace, TestType.COMPLIANCE);
  });
  test('Compliance: not applicable to HTTP APIs (no execution logging there)', () => {
    const { stack, api } = stackWithApi('HTTP');
    new apigwv2.CfnStage(stack, 'Stage', { apiId: api.ref, stageName: '$default' });
    validateStack(stack, WebSocketStageExecutionLoggingNoDataTrace, TestType.COMPLIANCE);
  });
  test('Noncompliance: an imported API is judged as WebSocket (fail closed)', () => {
    const stack = testStack();
    new apigwv2.CfnStage(stack, 'Stage', { apiId: 'abc123', stageName: 'live' });
    validateStack(stack, WebSocketStageExecutionLoggingNoDataTrace, TestType.NON_COMPLIANCE);
  });
});

describe('WebSocketConnectAuthorized', () => {
  test.each([
    ['NONE', { authorizationType: 'NONE' }],
    ['CUSTOM without an authorizer', { authorizationType: 'CUSTOM' }],
    ['absent', {}],
  ])('Noncompliance: $connect with %s', (_name, props) => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnRoute(stack, 'Connect', { apiId: api.ref, routeKey: '$connect', ...props });
    validateStack(stack, WebSocketConnectAuthorized, TestType.NON_COMPLIANCE);
  });
  test('Compliance: $connect with a Lambda authorizer, other routes without one', () => {
    const { stack, api } = stackWithApi();
    const authorizer = new apigwv2.CfnAuthorizer(stack, 'Authorizer', {
      apiId: api.ref,
      authorizerType: 'REQUEST',
      name: 'auth',
      authorizerUri:
        'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:auth/invocations',
      identitySource: ['route.request.querystring.token'],
    });
    new apigwv2.CfnRoute(stack, 'Connect', {
      apiId: api.ref,
      routeKey: '$connect',
      authorizationType: 'CUSTOM',
      authorizerId: authorizer.ref,
    });
    new apigwv2.CfnRoute(stack, 'Join', { apiId: api.ref, routeKey: 'join', authorizationType: 'NONE' });
    validateStack(stack, WebSocketConnectAuthorized, TestType.COMPLIANCE);
  });
  test('Compliance: IAM authorization', () => {
    const { stack, api } = stackWithApi();
    new apigwv2.CfnRoute(stack, 'Connect', { apiId: api.ref, routeKey: '$connect', authorizationType: 'AWS_IAM' });
    validateStack(stack, WebSocketConnectAuthorized, TestType.COMPLIANCE);
  });
});

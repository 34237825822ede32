import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { boundProblem, STAGE_THROTTLE } from '../signaling/bounds';
import { addEnvironment, tokenSourceEnvironment } from '../signaling/environment';
import { DEFAULT_TOKEN_SOURCE, IDENTITY_SOURCE, type TokenSource } from '../signaling/protocol';

/**
 * Access-log fields: identifiers and outcomes only. No message bodies, query strings (the token), headers,
 * authorizer claims or user-identity fields. The source IP is left out too: it is a HIPAA identifier, and the
 * connection id already correlates a session with the Lambda logs.
 */
export const SIGNALING_ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  connectionId: '$context.connectionId',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  status: '$context.status',
  requestTimeEpoch: '$context.requestTimeEpoch',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  authorizerStatus: '$context.authorizer.status',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.messageString',
};

export type { TokenSource } from '../signaling/protocol';

export interface SignalingRouteHandlers {
  /**
   * A function the construct can configure: it sets the authorizer's TOKEN_SOURCE to the stage's identity source, so
   * the two can never disagree (a stage keeping tokens out of URLs with an authorizer that reads them from URLs).
   */
  readonly authorizer: lambda.Function;
  readonly connect: lambda.IFunction;
  readonly disconnect: lambda.IFunction;
  readonly default: lambda.IFunction;
  readonly join: lambda.IFunction;
  readonly signal: lambda.IFunction;
  readonly leave: lambda.IFunction;
  readonly iceServers: lambda.IFunction;
}

export interface SignalingWebSocketApiProps {
  readonly handlers: SignalingRouteHandlers;
  /** Key for the access and execution log groups. */
  readonly logKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Access log group name, under the project prefix. */
  readonly accessLogGroupName: string;
  /** Stage-wide default throttle (requests per second and burst). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /** @default DEFAULT_TOKEN_SOURCE ('query') */
  readonly tokenSource?: TokenSource;
  /** @default 'live' */
  readonly stageName?: string;
}

/**
 * The signaling WebSocket API: routes on `$request.body.action`, a Lambda REQUEST authorizer on `$connect` (the
 * only route that can carry one; later routes inherit the connection's identity), two-way routes so each handler's
 * answer goes back to the sender, and a stage with allow-listed JSON access logs, execution logs at ERROR with
 * data trace off (data trace would log SDP and candidates), and default throttling. Both log groups are
 * KMS-encrypted with retention; the execution log group is created here so API Gateway never creates an
 * unencrypted one. WAF cannot attach to WebSocket APIs (see docs/signaling.md).
 */
export class SignalingWebSocketApi extends Construct {
  public readonly api: apigwv2.WebSocketApi;
  public readonly stage: apigwv2.WebSocketStage;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly executionLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SignalingWebSocketApiProps) {
    super(scope, id);
    const { handlers } = props;
    const throttleProblems = [
      boundProblem('throttle.rateLimit', props.throttle.rateLimit, STAGE_THROTTLE.rateLimit),
      boundProblem('throttle.burstLimit', props.throttle.burstLimit, STAGE_THROTTLE.burstLimit),
    ].filter((problem) => problem !== undefined);
    if (throttleProblems.length > 0) {
      throw new Error(`SignalingWebSocketApi ${this.node.path}: ${throttleProblems.join('; ')}`);
    }
    // Browsers can put the token in the URL or the subprotocol header, not in a header of their choosing. The
    // authorizer is told the same place, here, from the same value.
    const tokenSource = props.tokenSource ?? DEFAULT_TOKEN_SOURCE;
    const identitySource = [IDENTITY_SOURCE[tokenSource]];
    addEnvironment(handlers.authorizer, tokenSourceEnvironment(tokenSource));
    // Never an id of plain 'Default': CDK drops that path component from logical IDs, which then collide.
    const integration = (name: string, fn: lambda.IFunction) =>
      new WebSocketLambdaIntegration(`${name}Integration`, fn);

    this.api = new apigwv2.WebSocketApi(this, 'WebSocketApi', {
      description: 'hipaa-rtc signaling: rooms, SDP/ICE relay and TURN credentials',
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: integration('Connect', handlers.connect),
        authorizer: new WebSocketLambdaAuthorizer('ConnectAuthorizer', handlers.authorizer, { identitySource }),
      },
      disconnectRouteOptions: { integration: integration('Disconnect', handlers.disconnect) },
      defaultRouteOptions: { integration: integration('Default', handlers.default), returnResponse: true },
    });
    const routes: [string, lambda.IFunction][] = [
      ['join', handlers.join],
      ['signal', handlers.signal],
      ['leave', handlers.leave],
      ['ice-servers', handlers.iceServers],
    ];
    for (const [routeKey, fn] of routes) {
      this.api.addRoute(routeKey, { integration: integration(`Route-${routeKey}`, fn), returnResponse: true });
    }

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: props.accessLogGroupName,
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stageName = props.stageName ?? 'live';
    this.stage = new apigwv2.WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(JSON.stringify(SIGNALING_ACCESS_LOG_FIELDS)),
      },
    });
    // The L2 stage has no execution-logging props; these are first-class CfnStage properties, visible to cdk-nag.
    const cfnStage = this.stage.node.defaultChild as apigwv2.CfnStage;
    cfnStage.defaultRouteSettings = {
      ...(cfnStage.defaultRouteSettings as apigwv2.CfnStage.RouteSettingsProperty),
      loggingLevel: 'ERROR',
      dataTraceEnabled: false,
      detailedMetricsEnabled: true,
      throttlingRateLimit: props.throttle.rateLimit,
      throttlingBurstLimit: props.throttle.burstLimit,
    };

    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.apiId}/${stageName}`,
      encryptionKey: props.logKey,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Exist before the stage logs its first error, or API Gateway creates the group itself, unencrypted.
    this.stage.node.addDependency(this.executionLogGroup);
  }
}

/**
 * Rules cdk-nag lacks for WebSocket APIs, in the shape of lib/compliance/packs/rules (default export named after
 * the file). They live here until the lead registers them in the HipaaRtc pack; see docs/signaling.md.
 */
export { default as ApiGatewayV2StageAccessLogging } from './ApiGatewayV2StageAccessLogging';
export { default as WebSocketConnectAuthorized } from './WebSocketConnectAuthorized';
export { default as WebSocketStageExecutionLoggingNoDataTrace } from './WebSocketStageExecutionLoggingNoDataTrace';

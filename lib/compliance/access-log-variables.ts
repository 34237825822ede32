/**
 * Which API Gateway v2 access-log variables may be logged: identifiers, outcomes and timings only. An allow-list
 * rather than a deny-list, because the variables that leak are many and open-ended: `$context.identity.*` (source IP,
 * a HIPAA identifier; user agent), `$context.authorizer.<anything>` (claims and the authorizer's context, e.g. room
 * ids), request paths and headers, and `$input` / `$request` expressions that copy message content. Pure, so the rule
 * and its tests share it.
 */
export const ALLOWED_ACCESS_LOG_VARIABLES: ReadonlySet<string> = new Set(
  [
    'apiId',
    'awsEndpointRequestId',
    'connectedAt',
    'connectionId',
    'domainName',
    'eventType',
    'extendedRequestId',
    'messageDirection',
    'messageId',
    'requestId',
    'requestTime',
    'requestTimeEpoch',
    'responseLatency',
    'responseLength',
    'routeKey',
    'stage',
    'status',
    'protocol',
    'integrationLatency',
    'integrationStatus',
    'integrationErrorMessage',
    'integration.error',
    'integration.integrationStatus',
    'integration.latency',
    'integration.requestId',
    'integration.status',
    'authorizer.error',
    'authorizer.integrationLatency',
    'authorizer.integrationStatus',
    'authorizer.latency',
    'authorizer.requestId',
    'authorizer.status',
    'error.message',
    'error.messageString',
    'error.responseType',
    'error.validationErrorString',
  ].map((name) => `$context.${name}`),
);

/** Every `$`-variable in the format that is not on the allow-list, in order of appearance; empty when clean. */
export function disallowedAccessLogVariables(format: string): string[] {
  const found = format.match(/\$[A-Za-z_][\w.-]*/g) ?? [];
  // A trailing dot belongs to the surrounding text ("$context.status."), not to the variable.
  const variables = found.map((variable) => variable.replace(/[.-]+$/, ''));
  return [...new Set(variables.filter((variable) => !ALLOWED_ACCESS_LOG_VARIABLES.has(variable)))];
}

/**
 * Every log group the project creates lives under one prefix per deployment, so the audit key's policy can let
 * CloudWatch Logs use the key for exactly those groups (encryption-context condition) and nothing else.
 */
export function logGroupNamePrefix(deploymentName: string): string {
  return `/hipaa-rtc/${deploymentName}/`;
}

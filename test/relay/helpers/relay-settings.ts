import type * as logs from 'aws-cdk-lib/aws-logs';
import type { RelaySettings } from '../../../lib/relay/relay-settings';

/**
 * Relay stack settings for tests that build the stack on its own or check the settings without it (the example
 * config's values, spelled out). The retention is CloudWatch's day count (RetentionDays.ONE_YEAR), typed without
 * loading the CDK, so pure tests stay pure.
 */
export const RELAY_TEST_SETTINGS: RelaySettings = {
  deploymentName: 'example',
  realm: 'turn.example.org',
  domainName: 'turn.example.org',
  vpcCidr: '10.40.0.0/16',
  instanceType: 'c7gn.large',
  minCapacity: 2,
  maxCapacity: 6,
  targetBytesOutPerSecond: 200_000_000,
  relayPortRange: { min: 49152, max: 65535 },
  quotas: { userQuota: 10, totalQuota: 4000, maxBps: 1_000_000, bpsCapacity: 1_000_000_000 },
  logRetention: 365 as logs.RetentionDays,
  rotation: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 1800 },
};

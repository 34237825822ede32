import type { HipaaRtcConfigInput } from './schema';

/**
 * A complete config that synthesizes with no AWS account: no account ID (region-only environment, so synth needs no
 * credentials or lookups) and an example.org alarm address. Copy it to config/<name>.ts for a real deployment.
 */
export const example: HipaaRtcConfigInput = {
  deploymentName: 'hipaa-rtc-example',
  region: 'us-east-1',
  allowedRegions: ['us-east-1', 'us-east-2', 'us-west-2'],
  audit: {
    retentionDays: 2192,
    objectLockMode: 'GOVERNANCE',
    cloudWatchLogsRetentionDays: 365,
    transitionToArchiveAfterDays: 90,
    alarmEmail: 'secops@example.org',
  },
  network: {
    vpcCidr: '10.20.0.0/16',
  },
  tags: {
    'hipaa-rtc:deployment': 'example',
  },
};

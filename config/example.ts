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
  signaling: {
    throttle: { rateLimit: 50, burstLimit: 100 },
    maxRoomSize: 2,
    // 'protocol-header' keeps tokens out of URLs; clients then offer two subprotocols, 'hipaa-rtc.signaling.v1' and
    // 'bearer.<jwt>', and the server echoes the first (browsers drop a socket whose offered protocol is not echoed).
    tokenSource: 'query',
    turnTtlSeconds: 3600,
    logRetentionDays: 365,
    // Per connection: ICE-server fetches (each mints a TURN credential), room joins, and relayed signals.
    // Per user, across all of their connections: joins and ICE-server fetches (a user can open many connections);
    // room for a few tabs or devices and back-to-back visits. Never below the per-connection budget (neither a lower
    // rate nor fewer requests per window).
    rateLimits: {
      join: { requests: 10, perSeconds: 60 },
      signal: { requests: 100, perSeconds: 10 },
      iceServers: { requests: 10, perSeconds: 60 },
      perUser: {
        join: { requests: 30, perSeconds: 60 },
        iceServers: { requests: 30, perSeconds: 60 },
      },
    },
  },
  relay: {
    domainName: 'turn.example.org',
    instanceType: 'c7gn.medium',
    // The first relay region is the home region. A second one (docs/relay-regions.md) needs `hostedZone`, e.g.
    //   regions: [{ region: 'us-east-1', ... }, { region: 'us-west-2', minCapacity: 2, maxCapacity: 6, targetBytesOutPerSecond: 50_000_000 }],
    //   hostedZone: { id: 'Z0123456789ABCDEFGHIJ', name: 'example.org' },
    regions: [{ region: 'us-east-1', minCapacity: 2, maxCapacity: 6, targetBytesOutPerSecond: 50_000_000 }],
    relayPortRange: { min: 49152, max: 65535 },
    // 10 allocations per credential: a browser makes one per TURN URL and network interface.
    // max-bps is reserved per allocation out of bps-capacity: 2e9 / 5e5 = 4000 allocations = total-quota
    // (docs/capacity.md). 500,000 bytes/s per session is about 2.5 times a 720p stream.
    quotas: { userQuota: 10, totalQuota: 4000, maxBps: 500_000, bpsCapacity: 2_000_000_000 },
    logRetentionDays: 365,
    // Placeholder digest for synth only: replace with the digest of the coturn 4.18.0 image you mirrored into ECR.
    coturnImageDigest: 'sha256:0000000000000000000000000000000000000000000000000000000000000000',
    // Relays re-read the secret every minute; 5 minutes tolerates a couple of failed syncs.
    relayPickupSeconds: 300,
    // A new TURN secret every 30 days; each rotation overlaps old and new for about 1.3 hours (docs/relay.md).
    rotation: { intervalDays: 30 },
  },
  // Detect and recover. Each service is 'create' (this account runs it; the default) or
  // { mode: 'existing', managedBy: '<who>' } when the organization already runs it (a second Config recorder or
  // GuardDuty detector fails to deploy). Costs of 'create': docs/detect-costs.md.
  detect: {
    config: { mode: 'create' },
    guardDuty: { mode: 'create' },
    accessAnalyzer: { mode: 'create' },
    securityHub: { mode: 'create' },
    backup: {
      mode: 'create',
      dailyRetentionDays: 35,
      monthlyRetentionDays: 365,
      // COMPLIANCE mode: after changeableForDays the lock can never be changed or removed (docs/detect.md).
      vaultLock: { minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 3 },
      // copyToRegion: 'us-east-2', // a second allowed region for a copy of every recovery point
      restoreTesting: { scheduleExpression: 'cron(0 6 ? * MON *)', validationWindowHours: 4 },
    },
  },
  tags: {
    'hipaa-rtc:deployment': 'example',
  },
};

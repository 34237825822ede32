import { isIPv4 } from 'node:net';
import { z } from 'zod';
import { detectSchema } from './detect-schema';
import { MIN_RELAY_PICKUP_SECONDS } from '../lib/relay/secret-sync';
import { GRAVITON_INSTANCE_TYPE } from '../lib/relay/graviton';
import { IMAGE_DIGEST } from '../lib/relay/relay-settings';
import { ROOM_SIZE, STAGE_THROTTLE, TURN_TTL_SECONDS, type IntegerBound } from '../lib/signaling/bounds';
import {
  DEFAULT_RATE_LIMITS,
  perUserBelowPerConnection,
  perUserBelowPerConnectionMessage,
  RATE_LIMIT_BOUNDS,
} from '../lib/signaling/rate-limit';
import { DEFAULT_TOKEN_SOURCE, TOKEN_SOURCES } from '../lib/signaling/protocol';

/**
 * HIPAA 164.316(b)(2)(i): documentation (including audit evidence) is retained for six years.
 * 2192 days covers six years including two leap days, and is a retention value CloudWatch Logs accepts.
 */
export const SIX_YEARS_IN_DAYS = 2192;

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy); anything else is rejected at deploy time. */
export const CLOUDWATCH_LOGS_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
const ACCOUNT_PATTERN = /^\d{12}$/;
// Deliberately conservative: one @, no spaces, a dotted domain. SNS rejects malformed endpoints only at deploy time.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEPLOYMENT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;

/** True when `value` is an IPv4 CIDR whose address has no bits set beyond the prefix length. */
export function isCanonicalIpv4Cidr(value: string): boolean {
  const [address, prefixText, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined || prefixText === undefined || !isIPv4(address)) return false;
  if (!/^\d{1,2}$/.test(prefixText)) return false;
  const prefix = Number(prefixText);
  if (prefix > 32) return false;
  const numeric = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const hostBits = 32 - prefix;
  return numeric % 2 ** hostBits === 0;
}

const region = z.string().regex(REGION_PATTERN, {
  message: 'must be an AWS region code such as "us-east-1"',
});

const reasonedApproval = z.strictObject({
  reason: z.string().trim().min(40, {
    message: 'must explain in at least 40 characters why the deviation is acceptable and what compensates for it',
  }),
  approvedBy: z.string().trim().min(3, { message: 'must name the accountable approver (a person or role)' }),
});

const auditSchema = z
  .strictObject({
    retentionDays: z
      .number()
      .int({ message: 'must be a whole number of days' })
      .positive({ message: 'must be a positive number of days' }),
    retentionBelowSixYears: reasonedApproval.optional(),
    objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
    cloudWatchLogsRetentionDays: z
      .number()
      .refine((days) => (CLOUDWATCH_LOGS_RETENTION_DAYS as readonly number[]).includes(days), {
        message: `must be one of the values CloudWatch Logs accepts: ${CLOUDWATCH_LOGS_RETENTION_DAYS.join(', ')}`,
      }),
    transitionToArchiveAfterDays: z.number().int().min(30, {
      message: 'must be at least 30 days (S3 Glacier storage classes have a 90-day minimum charge; 30 is the floor)',
    }),
    alarmEmail: z.string().regex(EMAIL_PATTERN, { message: 'must be an e-mail address such as "secops@example.org"' }),
  })
  .superRefine((audit, ctx) => {
    if (audit.retentionDays < SIX_YEARS_IN_DAYS && audit.retentionBelowSixYears === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['retentionDays'],
        message:
          `is ${audit.retentionDays} days, below the ${SIX_YEARS_IN_DAYS} days (6 years) HIPAA 164.316(b)(2)(i) requires; ` +
          'raise it, or add audit.retentionBelowSixYears { reason, approvedBy } to record a reviewed deviation',
      });
    }
    if (audit.retentionDays >= SIX_YEARS_IN_DAYS && audit.retentionBelowSixYears !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['retentionBelowSixYears'],
        message: 'is set but retentionDays already meets six years; remove the override so the record stays truthful',
      });
    }
    if (audit.transitionToArchiveAfterDays >= audit.retentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['transitionToArchiveAfterDays'],
        message: `must be shorter than audit.retentionDays (${audit.retentionDays}), or objects expire before they are archived`,
      });
    }
  });

const networkSchema = z.strictObject({
  vpcCidr: z
    .string()
    .refine(isCanonicalIpv4Cidr, { message: 'must be an IPv4 CIDR with no host bits set, such as "10.20.0.0/16"' })
    .refine((cidr) => !isCanonicalIpv4Cidr(cidr) || Number(cidr.split('/')[1]) >= 16, {
      message: 'must be /16 or smaller (a VPC CIDR block can be /16 to /28)',
    })
    .refine((cidr) => !isCanonicalIpv4Cidr(cidr) || Number(cidr.split('/')[1]) <= 24, {
      message: 'must be /24 or larger so that two public subnets in two AZs fit',
    }),
});

const retentionDays = z
  .number()
  .refine((days) => (CLOUDWATCH_LOGS_RETENTION_DAYS as readonly number[]).includes(days), {
    message: `must be a CloudWatch Logs retention: ${CLOUDWATCH_LOGS_RETENTION_DAYS.join(', ')}`,
  });

const DNS_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** A whole number within one of lib/signaling/bounds.ts's bounds; a refusal says the range and why. */
const boundedInt = (bound: IntegerBound) =>
  z
    .number()
    .int({ message: `must be a whole number (${bound.why})` })
    .min(bound.min, { message: `must be at least ${bound.min} (${bound.why})` })
    .max(bound.max, { message: `must be at most ${bound.max} (${bound.why})` });

const { requests, perSeconds, minSignalRequests } = RATE_LIMIT_BOUNDS;
const rateLimit = z.strictObject({
  requests: z
    .number()
    .int({ message: 'must be a whole number of requests' })
    .min(requests.min, { message: `must be at least ${requests.min}` })
    .max(requests.max, { message: `must be at most ${requests.max} per window` }),
  perSeconds: z
    .number()
    .int({ message: 'must be a whole number of seconds' })
    .min(perSeconds.min, { message: `must be at least ${perSeconds.min} second` })
    .max(perSeconds.max, { message: `must be at most ${perSeconds.max} seconds (an hour)` }),
});

const signalingSchema = z.strictObject({
  /** Stage-wide default route throttling (requests per second, burst). */
  throttle: z.strictObject({
    rateLimit: boundedInt(STAGE_THROTTLE.rateLimit),
    burstLimit: boundedInt(STAGE_THROTTLE.burstLimit),
  }),
  /** Participants per room: 2 for a one-to-one visit; small groups (interpreter, family) need more. */
  maxRoomSize: boundedInt(ROOM_SIZE).default(ROOM_SIZE.default),
  /** Server-side cap on TURN credential lifetime; also the relays' overlap and allocation cap (docs/relay.md). */
  turnTtlSeconds: boundedInt(TURN_TTL_SECONDS).default(TURN_TTL_SECONDS.default),
  logRetentionDays: retentionDays,
  /**
   * Where browsers put the token on the WebSocket upgrade: the `token` query parameter, or a `bearer.<jwt>` entry in
   * `Sec-WebSocket-Protocol` (keeps tokens out of URLs, which proxies and browser history record). The stage's
   * identity source and the authorizer both use only this place.
   */
  tokenSource: z.enum(TOKEN_SOURCES).default(DEFAULT_TOKEN_SOURCE),
  /** An external OIDC issuer instead of the Cognito user pool the stack creates. */
  issuer: z
    .strictObject({
      issuer: z.url({ protocol: /^https$/, message: 'must be an https URL' }),
      audience: z.string().min(1),
      jwksUrl: z.url({ protocol: /^https$/, message: 'must be an https URL' }),
    })
    .optional(),
  /** Reserved concurrency per function; leave unset in new accounts whose Lambda quota is still 10. */
  reservedConcurrency: z.number().int().min(1).max(1000).optional(),
  /**
   * Per-connection budgets, `requests` per `perSeconds`-second window, counted in the connection table so they hold
   * across Lambda instances, on top of the stage-wide `throttle`. Raise `signal` with `maxRoomSize`: each peer in a
   * mesh sends an offer or answer and its ICE candidates to every other peer.
   *
   * `perUser`: budgets for `join` and `ice-servers` shared by all of one user's connections (counted on the token's
   * `sub`), since a user can open any number of connections. Default 30 per 60 s each (several tabs or devices and
   * back-to-back visits, see DEFAULT_RATE_LIMITS). A per-user budget below the per-connection one for the same action
   * (a lower rate, or fewer requests per window) is an error. `signal` has none: a peer only signals its own room,
   * and `maxRoomSize` bounds how many of one user's connections are in it.
   */
  rateLimits: z
    .strictObject({
      join: rateLimit,
      signal: rateLimit,
      iceServers: rateLimit,
      perUser: z
        .strictObject({ join: rateLimit, iceServers: rateLimit })
        .default(() => structuredClone(DEFAULT_RATE_LIMITS.perUser)),
    })
    .superRefine((limits, ctx) => {
      if (limits.signal.requests < minSignalRequests) {
        ctx.addIssue({
          code: 'custom',
          path: ['signal', 'requests'],
          message: `must be at least ${minSignalRequests}: an offer, an answer and ICE candidates need that many per window`,
        });
      }
      for (const finding of perUserBelowPerConnection(limits)) {
        ctx.addIssue({
          code: 'custom',
          path: ['perUser', finding.setting],
          message: perUserBelowPerConnectionMessage(finding),
        });
      }
    })
    .default(() => structuredClone(DEFAULT_RATE_LIMITS)),
});

/** True when `name` is `zone` or a name under it. */
export function isNameInZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** One relay region: where, and how large its fleet is. */
const relayRegionSchema = z
  .strictObject({
    region,
    minCapacity: z.number().int().min(1).max(100),
    maxCapacity: z.number().int().min(1).max(500),
    /** Scale out when average NetworkOut per relay passes this many bytes per second. */
    targetBytesOutPerSecond: z.number().int().min(1_000_000),
  })
  .superRefine((entry, ctx) => {
    if (entry.maxCapacity < entry.minCapacity) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxCapacity'],
        message: `must be at least minCapacity (${entry.minCapacity})`,
      });
    }
  });

const relaySchema = z
  .strictObject({
    /** Name clients use for turns: (the ACM certificate's domain); also the default TURN realm. */
    domainName: z.string().regex(DNS_NAME, { message: 'must be a lower-case DNS name such as "turn.example.org"' }),
    instanceType: z.string().regex(GRAVITON_INSTANCE_TYPE, {
      message: 'must be a Graviton (arm64) instance type such as "c7gn.medium"',
    }),
    /**
     * The regions that run relays, each with its own fleet size and scaling. The first is the home region (`region`,
     * where signaling runs); each further one gets its own Relay and Guardrails stacks (docs/relay-regions.md).
     */
    regions: z.array(relayRegionSchema).min(1, { message: 'must list at least the home region' }),
    /**
     * The public Route 53 hosted zone that holds the relay name. Required with more than one relay region: each region's
     * stack adds a latency alias record for its load balancer there, and Route 53 answers each client's resolver with
     * the nearest region whose relays are healthy. With one region it is optional (then the relay name is pointed at
     * the load balancer outside this app, and the certificate is validated by hand).
     */
    hostedZone: z
      .strictObject({
        /** The hosted zone ID, e.g. "Z0123456789ABCDEFGHIJ" (not an ARN). */
        id: z
          .string()
          .regex(/^Z[A-Z0-9]{1,31}$/, { message: 'must be a Route 53 hosted zone ID such as "Z0123456789ABCDEFGHIJ"' }),
        /** The zone's name, e.g. "example.org"; the relay name must lie in it. */
        name: z.string().regex(DNS_NAME, { message: 'must be a lower-case DNS name such as "example.org"' }),
      })
      .optional(),
    relayPortRange: z.strictObject({
      min: z.number().int().min(1024).max(65535),
      max: z.number().int().min(1024).max(65535),
    }),
    quotas: z.strictObject({
      userQuota: z.number().int().min(1),
      totalQuota: z.number().int().min(1),
      maxBps: z.number().int().min(10_000),
      bpsCapacity: z.number().int().min(1_000_000),
    }),
    logRetentionDays: retentionDays,
    /** The pinned coturn image in the account's ECR, by digest: relays never run a tag. */
    coturnImageDigest: z.string().regex(IMAGE_DIGEST, { message: 'must be an image digest sha256:<64 hex>' }),
    /**
     * How long every relay needs to pick up a staged secret: relays re-read it every minute (lib/relay/secret-sync.ts),
     * so at least two sync periods and their run bound.
     */
    relayPickupSeconds: z.number().int().min(MIN_RELAY_PICKUP_SECONDS).max(86_400),
    /** The TURN secret's rotation schedule (lib/relay/rotation-schedule.ts). */
    rotation: z.strictObject({
      /**
       * Days between rotations. Secrets Manager may run a scheduled rotation up to a day early, and a rotation must
       * never start inside the previous one's overlap (the Relay stack checks the exact bound).
       */
      intervalDays: z.number().int().min(2, { message: 'must be at least 2 days' }).max(1000, {
        message: 'must be at most 1000 days (the Secrets Manager limit)',
      }),
    }),
  })
  .superRefine((relay, ctx) => {
    const seen = new Set<string>();
    relay.regions.forEach((entry, index) => {
      if (seen.has(entry.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', index, 'region'],
          message: `lists ${entry.region} twice; give each relay region once`,
        });
      }
      seen.add(entry.region);
    });
    if (relay.regions.length > 1 && relay.hostedZone === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostedZone'],
        message:
          `is required with ${relay.regions.length} relay regions: each region's load balancer gets a latency alias ` +
          'record under the relay name there, so clients reach the nearest healthy region; add { id, name } of the public zone',
      });
    }
    if (relay.hostedZone !== undefined && !isNameInZone(relay.domainName, relay.hostedZone.name)) {
      ctx.addIssue({
        code: 'custom',
        path: ['hostedZone', 'name'],
        message: `is ${relay.hostedZone.name}, which does not hold the relay name ${relay.domainName}; name the zone the relay name lies in`,
      });
    }
    if (relay.relayPortRange.max - relay.relayPortRange.min < 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['relayPortRange'],
        message: 'must span at least 100 ports (each call uses one or two per peer)',
      });
    }
  });

/** The schema every deployment config must satisfy; `.strict` objects make unknown keys errors, not silent no-ops. */
export const hipaaRtcConfigSchema = z
  .strictObject({
    deploymentName: z.string().regex(DEPLOYMENT_NAME_PATTERN, {
      message: 'must be 3-24 characters of lower-case letters, digits and hyphens, starting with a letter',
    }),
    account: z
      .string()
      .regex(ACCOUNT_PATTERN, { message: 'must be a 12-digit AWS account ID, or be omitted for a region-only synth' })
      .optional(),
    region,
    allowedRegions: z.array(region).min(1, { message: 'must list at least one region' }),
    audit: auditSchema,
    network: networkSchema,
    signaling: signalingSchema,
    relay: relaySchema,
    /** Detect and recover: AWS Config, GuardDuty, IAM Access Analyzer and AWS Backup, each `create` or `existing`. */
    detect: detectSchema,
    tags: z
      .record(
        z
          .string()
          .regex(/^[\w .:/=+@-]{1,128}$/, { message: 'tag keys must be 1-128 characters of [A-Za-z0-9 _.:/=+@-]' }),
        z
          .string()
          .regex(/^[\w .:/=+@-]{0,256}$/, { message: 'tag values must be 0-256 characters of [A-Za-z0-9 _.:/=+@-]' }),
      )
      .default({}),
  })
  .superRefine((config, ctx) => {
    if (!config.allowedRegions.includes(config.region)) {
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: `"${config.region}" is not in allowedRegions (${config.allowedRegions.join(', ')}); deploy to an allowed region or extend the allow-list after a data-residency review`,
      });
    }
    const home = config.relay.regions[0]?.region;
    if (home !== undefined && home !== config.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['relay', 'regions', 0, 'region'],
        message: `is ${home}, but the first relay region is the home region and must be "${config.region}" (where signaling runs); list the home region first`,
      });
    }
    config.relay.regions.forEach((entry, index) => {
      if (!config.allowedRegions.includes(entry.region)) {
        ctx.addIssue({
          code: 'custom',
          path: ['relay', 'regions', index, 'region'],
          message: `"${entry.region}" is not in allowedRegions (${config.allowedRegions.join(', ')}); relays carry PHI-bearing media, so extend the allow-list only after a data-residency review`,
        });
      }
    });
    const backup = config.detect.backup;
    if (backup.mode === 'create' && backup.copyToRegion !== undefined) {
      if (backup.copyToRegion === config.region) {
        ctx.addIssue({
          code: 'custom',
          path: ['detect', 'backup', 'copyToRegion'],
          message: `is the home region (${config.region}); a copy in the same region does not survive a regional outage, name a second region or remove it`,
        });
      } else if (!config.allowedRegions.includes(backup.copyToRegion)) {
        ctx.addIssue({
          code: 'custom',
          path: ['detect', 'backup', 'copyToRegion'],
          message: `"${backup.copyToRegion}" is not in allowedRegions (${config.allowedRegions.join(', ')}); backup copies hold PHI and may only go to an allowed region`,
        });
      }
    }
  });

/** What a config file declares (defaults not yet applied). */
export type HipaaRtcConfigInput = z.input<typeof hipaaRtcConfigSchema>;
/** A validated config, as the stacks receive it. */
export type HipaaRtcConfig = z.output<typeof hipaaRtcConfigSchema>;

/** One relay Region of a validated config (relay.regions). */
export type RelayRegionConfig = HipaaRtcConfig['relay']['regions'][number];

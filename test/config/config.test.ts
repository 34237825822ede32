import { CONFIGS, ConfigError, loadConfig, validateConfig } from '../../config';
import { example } from '../../config/example';
import { SIX_YEARS_IN_DAYS, isCanonicalIpv4Cidr, type HipaaRtcConfigInput } from '../../config/schema';
import { DEFAULT_RATE_LIMITS } from '../../lib/signaling/rate-limit';

function withAudit(audit: Partial<HipaaRtcConfigInput['audit']> & Record<string, unknown>): Record<string, unknown> {
  return { ...example, audit: { ...example.audit, ...audit } };
}

function problemsOf(input: unknown): readonly string[] {
  try {
    validateConfig('under-test', input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config validation', () => {
  test('every shipped config is valid', () => {
    for (const name of Object.keys(CONFIGS)) expect(() => loadConfig(name)).not.toThrow();
  });

  test('the example config synthesizes without an account (region-only environment)', () => {
    expect(loadConfig('example').account).toBeUndefined();
  });

  test('an unknown config name is refused with the list of known configs', () => {
    expect(() => loadConfig('prod-typo')).toThrow(/Unknown config "prod-typo".*one of: example/);
  });

  describe('region allow-list', () => {
    test('a region outside allowedRegions is refused, naming the region and the list', () => {
      expect(problemsOf({ ...example, region: 'eu-west-1' })).toEqual([
        expect.stringMatching(/^region: "eu-west-1" is not in allowedRegions \(us-east-1, us-east-2, us-west-2\)/),
        // The relay regions still start with the old home region, which no longer is the home region.
        expect.stringMatching(
          /^relay\.regions\.0\.region: is us-east-1, but the first relay region is the home region/,
        ),
      ]);
    });
    test('a malformed region code is refused', () => {
      expect(problemsOf({ ...example, allowedRegions: ['us-east-1', 'useast1'] })).toEqual([
        expect.stringMatching(/^allowedRegions\.1: must be an AWS region code/),
      ]);
    });
    test('an empty allow-list is refused', () => {
      expect(problemsOf({ ...example, allowedRegions: [] })).toContainEqual(
        expect.stringMatching(/^allowedRegions: must list at least one region/),
      );
    });
  });

  describe('relay regions', () => {
    const fleet = { minCapacity: 2, maxCapacity: 4, targetBytesOutPerSecond: 50_000_000 };
    const zone = { id: 'Z0000000000000EXAMPLE', name: 'example.org' };
    const withRegions = (regions: unknown[], hostedZone?: unknown) => ({
      ...example,
      relay: { ...example.relay, regions, ...(hostedZone ? { hostedZone } : {}) },
    });

    test('two regions with the zone that holds the relay name are accepted; the first is the home region', () => {
      const config = validateConfig(
        'two',
        withRegions(
          [
            { region: 'us-east-1', ...fleet },
            { region: 'us-west-2', ...fleet },
          ],
          zone,
        ),
      );
      expect(config.relay.regions.map((r) => r.region)).toEqual(['us-east-1', 'us-west-2']);
    });
    test('a second region without a hosted zone is refused, saying why the zone is needed', () => {
      expect(
        problemsOf(
          withRegions([
            { region: 'us-east-1', ...fleet },
            { region: 'us-west-2', ...fleet },
          ]),
        ),
      ).toEqual([
        expect.stringMatching(/^relay\.hostedZone: is required with 2 relay regions: .*latency alias record/),
      ]);
    });
    test('a zone that does not hold the relay name is refused', () => {
      expect(problemsOf(withRegions([{ region: 'us-east-1', ...fleet }], { ...zone, name: 'example.com' }))).toEqual([
        expect.stringMatching(
          /^relay\.hostedZone\.name: is example\.com, which does not hold the relay name turn\.example\.org/,
        ),
      ]);
    });
    test('the first relay region must be the home region', () => {
      expect(
        problemsOf(
          withRegions(
            [
              { region: 'us-west-2', ...fleet },
              { region: 'us-east-1', ...fleet },
            ],
            zone,
          ),
        ),
      ).toEqual([
        expect.stringMatching(
          /^relay\.regions\.0\.region: is us-west-2, but the first relay region is the home region and must be "us-east-1"/,
        ),
      ]);
    });
    test('a relay region outside allowedRegions is refused (data residency), and a region listed twice', () => {
      expect(
        problemsOf(
          withRegions(
            [
              { region: 'us-east-1', ...fleet },
              { region: 'eu-west-1', ...fleet },
              { region: 'eu-west-1', ...fleet },
            ],
            zone,
          ),
        ),
      ).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^relay\.regions\.2\.region: lists eu-west-1 twice/),
          expect.stringMatching(/^relay\.regions\.1\.region: "eu-west-1" is not in allowedRegions/),
        ]),
      );
    });
    test('no relay region at all is refused', () => {
      expect(problemsOf(withRegions([]))).toContainEqual(
        expect.stringMatching(/^relay\.regions: must list at least the home region/),
      );
    });
  });

  describe('audit retention (HIPAA 164.316(b)(2)(i))', () => {
    test('six years is accepted', () => {
      expect(problemsOf(withAudit({ retentionDays: SIX_YEARS_IN_DAYS }))).toEqual([]);
    });
    test('one day short of six years is refused with what to change', () => {
      expect(problemsOf(withAudit({ retentionDays: SIX_YEARS_IN_DAYS - 1 }))).toEqual([
        expect.stringMatching(/^audit\.retentionDays: is 2191 days, below the 2192 days .*retentionBelowSixYears/),
      ]);
    });
    test('a shorter retention passes only with a reasoned, approved override', () => {
      const override = {
        reason: 'Sandbox account holding synthetic data only; no PHI is ever loaded here.',
        approvedBy: 'CISO',
      };
      expect(problemsOf(withAudit({ retentionDays: 365, retentionBelowSixYears: override }))).toEqual([]);
    });
    test('an override without a real reason is refused', () => {
      expect(
        problemsOf(withAudit({ retentionDays: 365, retentionBelowSixYears: { reason: 'cost', approvedBy: 'me' } })),
      ).toEqual([
        expect.stringMatching(/^audit\.retentionBelowSixYears\.reason: must explain in at least 40 characters/),
        expect.stringMatching(/^audit\.retentionBelowSixYears\.approvedBy: must name the accountable approver/),
      ]);
    });
    test('an override that is not needed is refused so the record stays truthful', () => {
      const override = { reason: 'x'.repeat(40), approvedBy: 'CISO' };
      expect(problemsOf(withAudit({ retentionBelowSixYears: override }))).toEqual([
        expect.stringMatching(/^audit\.retentionBelowSixYears: is set but retentionDays already meets six years/),
      ]);
    });
    test('the CloudWatch Logs copy must use a retention CloudWatch accepts', () => {
      expect(problemsOf(withAudit({ cloudWatchLogsRetentionDays: 100 }))).toEqual([
        expect.stringMatching(/^audit\.cloudWatchLogsRetentionDays: must be one of the values CloudWatch Logs accepts/),
      ]);
    });
    test('archiving must start before expiry', () => {
      expect(problemsOf(withAudit({ transitionToArchiveAfterDays: 3000 }))).toEqual([
        expect.stringMatching(/^audit\.transitionToArchiveAfterDays: must be shorter than audit\.retentionDays/),
      ]);
    });
  });

  describe('alarm e-mail', () => {
    test.each(['secops', 'secops@', '@example.org', 'sec ops@example.org', 'secops@example'])(
      '"%s" is refused',
      (email) => {
        expect(problemsOf(withAudit({ alarmEmail: email }))).toEqual([
          expect.stringMatching(/^audit\.alarmEmail: must be an e-mail address/),
        ]);
      },
    );
  });

  describe('CIDRs', () => {
    test.each([
      ['10.20.0.1/16', /no host bits set/],
      ['10.20.0.0', /must be an IPv4 CIDR/],
      ['10.20.0.0/33', /must be an IPv4 CIDR/],
      ['10.300.0.0/16', /must be an IPv4 CIDR/],
      ['10.0.0.0/8', /must be \/16 or smaller/],
      ['10.20.0.0/28', /must be \/24 or larger/],
    ])('network.vpcCidr "%s" is refused', (cidr, message) => {
      expect(problemsOf({ ...example, network: { vpcCidr: cidr } })).toEqual([
        expect.stringMatching(new RegExp(`^network\\.vpcCidr: .*${message.source}`)),
      ]);
    });
    test('the canonical-CIDR check accepts exactly the canonical forms', () => {
      expect(['10.0.0.0/16', '192.168.4.0/22', '0.0.0.0/0', '203.0.113.7/32'].every(isCanonicalIpv4Cidr)).toBe(true);
      expect(['10.0.0.0/016', '10.0.0.0/', '10.0.0/16', '10.0.0.0/16/1', 'fd00::/8'].some(isCanonicalIpv4Cidr)).toBe(
        false,
      );
    });
  });

  describe('relay and signaling blocks', () => {
    const withRelay = (relay: Record<string, unknown>) => ({ ...example, relay: { ...example.relay, ...relay } });
    const withSignaling = (signaling: Record<string, unknown>) => ({
      ...example,
      signaling: { ...example.signaling, ...signaling },
    });

    test('tokenSource defaults to query and takes protocol-header; anything else is refused, naming the choices', () => {
      const withoutSource: Record<string, unknown> = { ...example.signaling };
      delete withoutSource.tokenSource;
      expect(validateConfig('under-test', { ...example, signaling: withoutSource }).signaling.tokenSource).toBe(
        'query',
      );
      expect(
        validateConfig('under-test', withSignaling({ tokenSource: 'protocol-header' })).signaling.tokenSource,
      ).toBe('protocol-header');
      expect(problemsOf(withSignaling({ tokenSource: 'header' }))).toEqual([
        expect.stringMatching(/^signaling\.tokenSource: .*"query".*"protocol-header"/),
      ]);
    });

    test.each<[string, Record<string, unknown>, RegExp]>([
      ['an x86 instance type', withRelay({ instanceType: 'c7i.large' }), /^relay\.instanceType: must be a Graviton/],
      [
        'an image tag instead of a digest',
        withRelay({ coturnImageDigest: 'latest' }),
        /^relay\.coturnImageDigest: must be an image digest/,
      ],
      [
        'max below min capacity',
        withRelay({
          regions: [{ region: 'us-east-1', minCapacity: 4, maxCapacity: 2, targetBytesOutPerSecond: 50_000_000 }],
        }),
        /^relay\.regions\.0\.maxCapacity: must be at least minCapacity \(4\)/,
      ],
      [
        'a tiny relay port range',
        withRelay({ relayPortRange: { min: 50000, max: 50010 } }),
        /^relay\.relayPortRange: must span at least 100 ports/,
      ],
      [
        'an upper-case or bare domain',
        withRelay({ domainName: 'TURN' }),
        /^relay\.domainName: must be a lower-case DNS name/,
      ],
      [
        'a log retention CloudWatch rejects',
        withRelay({ logRetentionDays: 100 }),
        /^relay\.logRetentionDays: must be a CloudWatch Logs retention/,
      ],
      [
        'a TURN TTL above the 2-hour connection limit',
        withSignaling({ turnTtlSeconds: 86_400 }),
        /^signaling\.turnTtlSeconds: must be at most 7200 \(.*API Gateway closes after 2 hours\)/,
      ],
      [
        'a TURN TTL too short for ICE',
        withSignaling({ turnTtlSeconds: 30 }),
        /^signaling\.turnTtlSeconds: must be at least 60 \(a shorter credential can expire before ICE/,
      ],
      ['a one-person room', withSignaling({ maxRoomSize: 1 }), /^signaling\.maxRoomSize: must be at least 2 \(/],
      ['a room too big for a mesh', withSignaling({ maxRoomSize: 51 }), /^signaling\.maxRoomSize: must be at most 50/],
      [
        'a stage throttle above the account quota',
        withSignaling({ throttle: { rateLimit: 20_000, burstLimit: 100 } }),
        /^signaling\.throttle\.rateLimit: must be at most 10000 \(.*10,000 by default\)/,
      ],
      [
        'a zero burst',
        withSignaling({ throttle: { rateLimit: 50, burstLimit: 0 } }),
        /^signaling\.throttle\.burstLimit: must be at least 1 \(.*0 would refuse every request/,
      ],
      [
        'an issuer JWKS over plain http',
        withSignaling({ issuer: { issuer: 'https://idp.example', audience: 'a', jwksUrl: 'http://idp.example/jwks' } }),
        /^signaling\.issuer\.jwksUrl: must be an https URL/,
      ],
      ['an unknown relay setting', withRelay({ sshKeyName: 'ops' }), /^relay\.sshKeyName: is not a known setting/],
      [
        'a relay pickup time shorter than two secret syncs',
        withRelay({ relayPickupSeconds: 120 }),
        /^relay\.relayPickupSeconds: .*180/,
      ],
      [
        'a signal budget too small for call setup',
        withSignaling({ rateLimits: { ...DEFAULT_RATE_LIMITS, signal: { requests: 4, perSeconds: 10 } } }),
        /^signaling\.rateLimits\.signal\.requests: must be at least 10/,
      ],
      [
        'a rate window longer than an hour',
        withSignaling({ rateLimits: { ...DEFAULT_RATE_LIMITS, iceServers: { requests: 10, perSeconds: 86_400 } } }),
        /^signaling\.rateLimits\.iceServers\.perSeconds: must be at most 3600 seconds/,
      ],
      [
        'a zero join budget',
        withSignaling({ rateLimits: { ...DEFAULT_RATE_LIMITS, join: { requests: 0, perSeconds: 60 } } }),
        /^signaling\.rateLimits\.join\.requests: must be at least 1/,
      ],
      [
        'a rate limit missing an action',
        withSignaling({ rateLimits: { join: DEFAULT_RATE_LIMITS.join, signal: DEFAULT_RATE_LIMITS.signal } }),
        /^signaling\.rateLimits\.iceServers:/,
      ],
      [
        'an unknown rate-limited action',
        withSignaling({ rateLimits: { ...DEFAULT_RATE_LIMITS, leave: { requests: 1, perSeconds: 1 } } }),
        /^signaling\.rateLimits\.leave: is not a known setting/,
      ],
      [
        'a per-user signal budget (signal has none)',
        withSignaling({
          rateLimits: {
            ...DEFAULT_RATE_LIMITS,
            perUser: { ...DEFAULT_RATE_LIMITS.perUser, signal: { requests: 100, perSeconds: 10 } },
          },
        }),
        /^signaling\.rateLimits\.perUser\.signal: is not a known setting/,
      ],
      [
        'a zero per-user join budget',
        withSignaling({
          rateLimits: {
            ...DEFAULT_RATE_LIMITS,
            perUser: { ...DEFAULT_RATE_LIMITS.perUser, join: { requests: 0, perSeconds: 60 } },
          },
        }),
        /^signaling\.rateLimits\.perUser\.join\.requests: must be at least 1/,
      ],
      [
        'a fractional per-user ice-servers budget',
        withSignaling({
          rateLimits: {
            ...DEFAULT_RATE_LIMITS,
            perUser: { ...DEFAULT_RATE_LIMITS.perUser, iceServers: { requests: 30.5, perSeconds: 60 } },
          },
        }),
        /^signaling\.rateLimits\.perUser\.iceServers\.requests: must be a whole number/,
      ],
      [
        'a per-user window longer than an hour',
        withSignaling({
          rateLimits: {
            ...DEFAULT_RATE_LIMITS,
            perUser: { ...DEFAULT_RATE_LIMITS.perUser, iceServers: { requests: 30, perSeconds: 7200 } },
          },
        }),
        /^signaling\.rateLimits\.perUser\.iceServers\.perSeconds: must be at most 3600 seconds/,
      ],
      [
        'a per-user budget missing an action',
        withSignaling({ rateLimits: { ...DEFAULT_RATE_LIMITS, perUser: { join: DEFAULT_RATE_LIMITS.perUser.join } } }),
        /^signaling\.rateLimits\.perUser\.iceServers:/,
      ],
    ])('refuses %s, naming the field', (_name, input, message) => {
      const problems = problemsOf(input);
      expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(message)]));
    });

    test('the example relay and signaling blocks are valid as shipped', () => {
      expect(problemsOf(example)).toEqual([]);
    });

    test('rate limits default to what the stack deploys without them', () => {
      const signaling = { ...example.signaling };
      delete signaling.rateLimits;
      const config = validateConfig('defaults', { ...example, signaling });
      expect(config.signaling.rateLimits).toEqual(DEFAULT_RATE_LIMITS);
      expect(validateConfig('example', example).signaling.rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    });

    test('per-user budgets default to 30 joins and 30 ice-servers a minute when only the per-connection ones are set', () => {
      const rateLimits = {
        join: { requests: 5, perSeconds: 60 },
        signal: { requests: 100, perSeconds: 10 },
        iceServers: { requests: 4, perSeconds: 60 },
      };
      const config = validateConfig('no-per-user', withSignaling({ rateLimits }));
      expect(config.signaling.rateLimits).toEqual({
        ...rateLimits,
        perUser: { join: { requests: 30, perSeconds: 60 }, iceServers: { requests: 30, perSeconds: 60 } },
      });
      // The default is a copy: validating must not hand out (or let callers mutate) the shared constant.
      expect(config.signaling.rateLimits.perUser).not.toBe(DEFAULT_RATE_LIMITS.perUser);
    });

    test('a per-user rate below the per-connection rate is refused, saying what to change', () => {
      expect(
        problemsOf(
          withSignaling({
            rateLimits: {
              ...DEFAULT_RATE_LIMITS,
              perUser: { join: { requests: 30, perSeconds: 60 }, iceServers: { requests: 9, perSeconds: 60 } },
            },
          }),
        ),
      ).toEqual([
        'signaling.rateLimits.perUser.iceServers: is 9 per 60 s, below the per-connection rateLimits.iceServers ' +
          '(10 per 60 s: a lower rate or fewer requests per window), so a single connection would be refused by ' +
          "its user's budget before its own and the per-connection budget would mean nothing; raise " +
          'perUser.iceServers to at least as many requests at at least the same rate (for example 10 per 60 s) or ' +
          'lower rateLimits.iceServers',
      ]);
      // Rates, not counts: 20 per 120 s is below 11 per 60 s; both actions are checked.
      expect(
        problemsOf(
          withSignaling({
            rateLimits: {
              ...DEFAULT_RATE_LIMITS,
              join: { requests: 11, perSeconds: 60 },
              perUser: { join: { requests: 20, perSeconds: 120 }, iceServers: { requests: 10, perSeconds: 60 } },
            },
          }),
        ),
      ).toEqual([
        expect.stringMatching(/^signaling\.rateLimits\.perUser\.join: is 20 per 120 s, below the per-connection/),
      ]);
      // Raising a per-connection budget above the default per-user one, without setting perUser, is caught too.
      expect(
        problemsOf(
          withSignaling({
            rateLimits: { ...DEFAULT_RATE_LIMITS, perUser: undefined, iceServers: { requests: 60, perSeconds: 60 } },
          }),
        ),
      ).toEqual([
        expect.stringMatching(/^signaling\.rateLimits\.perUser\.iceServers: is 30 per 60 s, below .*\(60 per 60 s/),
      ]);
      // The same rate is fine.
      expect(
        problemsOf(
          withSignaling({
            rateLimits: {
              ...DEFAULT_RATE_LIMITS,
              perUser: { join: { requests: 20, perSeconds: 120 }, iceServers: { requests: 10, perSeconds: 60 } },
            },
          }),
        ),
      ).toEqual([]);
    });
  });

  describe('unknown keys are errors, never ignored', () => {
    test('at the top level', () => {
      expect(problemsOf({ ...example, regoin: 'us-east-1' })).toEqual([
        'regoin: is not a known setting; remove it or fix its spelling (see config/schema.ts)',
      ]);
    });
    test('in a nested section', () => {
      expect(problemsOf(withAudit({ retentionYears: 6 }))).toEqual([
        'audit.retentionYears: is not a known setting; remove it or fix its spelling (see config/schema.ts)',
      ]);
    });
  });

  test('every problem is listed at once, each with its field path', () => {
    const error = (() => {
      try {
        validateConfig('broken', {
          ...example,
          region: 'eu-west-1',
          extra: true,
          audit: { ...example.audit, retentionDays: 100, alarmEmail: 'nope' },
          network: { vpcCidr: '10.0.0.1/16' },
        });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).toMatch(/^Config "broken" is invalid \(6 problems\):/);
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'audit.alarmEmail',
      'audit.retentionDays',
      'extra',
      'network.vpcCidr',
      'region',
      'relay.regions.0.region',
    ]);
  });

  test('account IDs must have 12 digits', () => {
    expect(problemsOf({ ...example, account: '1234' })).toEqual([
      expect.stringMatching(/^account: must be a 12-digit/),
    ]);
    expect(problemsOf({ ...example, account: '123456789012' })).toEqual([]);
  });
});

/**
 * The relay capacity and cost model (tools/capacity/capacity-model.ts): hand-computed cases where each limit binds in
 * turn, the egress and dollar arithmetic, every validation error by field, monotonicity over the real instance
 * profiles, the sourced data itself, docs/capacity.md against its generator, and the counted caps against the real
 * coturn 4.18 (scripts/capacity/coturn-allocation-caps.ts; needs root and the sid root, like the other relay tests).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  allocationCaps,
  allocationsPerRelayedParticipant,
  CapacityModelError,
  internetGatewayGbps,
  isSourced,
  relayCapacity,
  type CallProfile,
  type CapacityInputs,
  type CapacityResult,
  type Provenance,
} from '../../tools/capacity/capacity-model';
import { instanceProfile, RELAY_INSTANCE_PROFILES, US_EAST_1_EGRESS } from '../../tools/capacity/instance-profiles';
import { measureAllocationCaps } from '../../scripts/capacity/coturn-allocation-caps';
import {
  CALL_PROFILES,
  COTURN_CPU,
  PRODUCTION_PLANNING,
  VIDEO_ONE_SIDE_RELAYED,
} from '../../scripts/capacity/planning-inputs';

const ROOT = join(__dirname, '..', '..');
const SOURCE: Provenance = { url: 'https://example.org/published-figure', note: 'test figure' };

/**
 * Round numbers so every case can be checked by hand. One stream of 1000 kbit/s in 100 packets/s (1250 bytes), both
 * ways, in a 1:1 call with one side relayed and one allocation per peer connection:
 *   to the peer   (125000 + 100 x 28) x 8 = 1,022,400 bit/s
 *   to the client (125000 + 100 x 32) x 8 = 1,025,600 bit/s   -> egress 2,048,000 bit/s, ingress the same
 *   packets 200/s; allocations per relayed participant 1 x 1 x 2 / 1 = 2
 * Every limit is set well above the one a case makes bind.
 */
function inputs(overrides: {
  vcpus?: number;
  baselineGbps?: number;
  headroom?: number;
  microsecondsPerPacket?: number;
  ports?: { min: number; max: number };
  quotas?: Partial<CapacityInputs['coturn']['quotas']>;
  call?: Partial<CallProfile>;
  usdPerHour?: number | null;
  inRegionUsdPerGb?: number | null;
}): CapacityInputs {
  const usdPerHour = overrides.usdPerHour === undefined ? 0.1 : overrides.usdPerHour;
  return {
    instance: {
      instanceType: 'c7gn.medium',
      region: 'us-east-1',
      vcpus: { value: overrides.vcpus ?? 2, source: SOURCE },
      baselineGbps: { value: overrides.baselineGbps ?? 20, source: SOURCE },
      burstGbps: { unverified: 'not needed by the model' },
      onDemandUsdPerHour:
        usdPerHour === null ? { unverified: 'operator must supply' } : { value: usdPerHour, source: SOURCE },
    },
    call: {
      name: 'test call',
      sends: [{ name: 'media', kbps: 1000, packetsPerSecond: 100 }],
      receives: [{ name: 'media', kbps: 1000, packetsPerSecond: 100 }],
      participantsPerCall: 2,
      relayedParticipantsPerCall: 1,
      allocationsPerPeerConnection: 1,
      ...overrides.call,
    },
    egress: {
      region: 'us-east-1',
      tier: 'test tier',
      usdPerGb: { value: 0.1, source: SOURCE },
      inRegionUsdPerGb:
        overrides.inRegionUsdPerGb === undefined || overrides.inRegionUsdPerGb === null
          ? { unverified: 'operator must supply the in-region rate' }
          : { value: overrides.inRegionUsdPerGb, source: SOURCE },
    },
    cpu: { microsecondsPerPacket: overrides.microsecondsPerPacket ?? 1, measurement: 'test measurement' },
    coturn: {
      relayPortRange: overrides.ports ?? { min: 10_000, max: 29_999 },
      quotas: { userQuota: 10, totalQuota: 10_000, maxBps: 200_000, bpsCapacity: 2_000_000_000, ...overrides.quotas },
    },
    headroom: overrides.headroom ?? 0.5,
  };
}

function limitOf(result: CapacityResult, name: string): number {
  const found = result.limits.find((l) => l.limit === name);
  if (!found) throw new Error(`no limit ${name}`);
  return found.participants;
}

function usdOf(result: CapacityResult, field: 'egress' | 'instance' | 'total'): number {
  const amount = {
    egress: result.egressUsdPerParticipantHour,
    instance: result.instanceUsdPerParticipantHour,
    total: result.totalUsdPerParticipantHour,
  }[field];
  if (amount.kind !== 'usd') throw new Error(`${field} is unverified: ${amount.reason}`);
  return amount.value;
}

describe('relay capacity: each limit binds in turn (hand-computed)', () => {
  it('network baseline: 1 Gbit/s x 0.5 / 2.048 Mbit/s = 244', () => {
    const r = relayCapacity(inputs({ baselineGbps: 1 }));
    expect(r.perParticipant.egressBitsPerSecond).toBe(2_048_000);
    expect(r.perParticipant.ingressBitsPerSecond).toBe(2_048_000);
    expect(r.perParticipant.packetsPerSecond).toBe(200);
    expect(r.perParticipant.allocations).toBe(2);
    expect(limitOf(r, 'network-baseline')).toBeCloseTo(244.140625, 6);
    expect(r.bindingLimit).toBe('network-baseline');
    expect(r.participantsPerRelay).toBe(244);
    expect(r.limits[0].explanation).toContain('1 Gbit/s baseline x 0.5 headroom');
  });

  it('Internet gateway: 5 Gbit/s below 32 vCPUs, even with a 20 Gbit/s baseline: 5e9 x 0.5 / 2.048e6 = 1220', () => {
    const r = relayCapacity(inputs({ baselineGbps: 20 }));
    expect(limitOf(r, 'network-baseline')).toBeCloseTo(4882.8125, 6);
    expect(limitOf(r, 'internet-gateway')).toBeCloseTo(1220.703125, 6);
    expect(r.bindingLimit).toBe('internet-gateway');
    expect(r.participantsPerRelay).toBe(1220);
  });

  it('the Internet-gateway rule: 5 Gbit/s below 32 vCPUs, else half the bandwidth but at least 5', () => {
    expect(internetGatewayGbps(31, 50)).toBe(5);
    expect(internetGatewayGbps(32, 50)).toBe(25);
    expect(internetGatewayGbps(32, 8)).toBe(5);
    const big = relayCapacity(inputs({ vcpus: 64, baselineGbps: 50, quotas: { totalQuota: 100_000 } }));
    expect(limitOf(big, 'internet-gateway')).toBeCloseTo((25e9 * 0.5) / 2_048_000, 6);
  });

  it('CPU: 2 vCPU x 1e6 us x 0.5 / (20 us x 200 packets/s) = 250', () => {
    const r = relayCapacity(inputs({ microsecondsPerPacket: 20 }));
    expect(limitOf(r, 'cpu')).toBeCloseTo(250, 9);
    expect(r.bindingLimit).toBe('cpu');
    expect(r.participantsPerRelay).toBe(250);
  });

  it('relay ports: 200 ports / 2 allocations = 100', () => {
    const r = relayCapacity(inputs({ ports: { min: 1000, max: 1199 } }));
    expect(limitOf(r, 'relay-ports')).toBe(100);
    expect(r.bindingLimit).toBe('relay-ports');
    expect(r.participantsPerRelay).toBe(100);
  });

  it('total-quota: 150 allocations / 2 = 75', () => {
    const r = relayCapacity(inputs({ quotas: { totalQuota: 150 } }));
    expect(r.bindingLimit).toBe('total-quota');
    expect(r.participantsPerRelay).toBe(75);
  });

  it('bps-capacity: 24,000,000 / 200,000 = 120 allocations / 2 = 60, whatever the traffic', () => {
    const r = relayCapacity(inputs({ quotas: { bpsCapacity: 24_000_000 } }));
    expect(r.bindingLimit).toBe('bps-capacity');
    expect(r.participantsPerRelay).toBe(60);
    expect(r.limits[0].explanation).toContain('= 120 allocations');
    // A remainder below max-bps admits one more (throttled) allocation in coturn; the model does not count it.
    expect(relayCapacity(inputs({ quotas: { bpsCapacity: 24_100_000 } })).participantsPerRelay).toBe(60);
  });

  it('lists every limit, tightest first', () => {
    const r = relayCapacity(inputs({ baselineGbps: 1 }));
    expect(r.limits.map((l) => l.limit).sort()).toEqual(
      ['bps-capacity', 'cpu', 'internet-gateway', 'network-baseline', 'relay-ports', 'total-quota'].sort(),
    );
    const values = r.limits.map((l) => l.participants);
    expect(values).toEqual([...values].sort((a, b) => a - b));
  });
});

describe('relay capacity: egress and cost (hand-computed)', () => {
  it('one side relayed: all relay egress is Internet egress, 256,000 B/s = 0.9216 GB per hour', () => {
    const r = relayCapacity(inputs({ baselineGbps: 1 }));
    expect(r.perParticipant.relayEgressGbPerHour).toBeCloseTo(0.9216, 12);
    expect(r.perParticipant.internetEgressGbPerHour).toBeCloseTo(0.9216, 12);
    expect(r.perParticipant.inRegionGbPerHour).toBe(0);
    expect(usdOf(r, 'egress')).toBeCloseTo(0.09216, 12);
    expect(usdOf(r, 'instance')).toBeCloseTo(0.1 / 244, 12);
    expect(usdOf(r, 'total')).toBeCloseTo(0.09216 + 0.1 / 244, 12);
  });

  it('both sides relayed: media to the peer goes relay to relay, and an unverified in-region rate gives no dollars', () => {
    const r = relayCapacity(inputs({ call: { relayedParticipantsPerCall: 2 } }));
    expect(r.perParticipant.allocations).toBe(1);
    expect(r.perParticipant.inRegionGbPerHour).toBeCloseTo((127_800 * 3600) / 1e9, 12); // to the peer's relay
    expect(r.perParticipant.internetEgressGbPerHour).toBeCloseTo((128_200 * 3600) / 1e9, 12); // to the client
    expect(r.egressUsdPerParticipantHour).toEqual({
      kind: 'unverified',
      reason: expect.stringContaining('operator must supply the in-region rate'),
    });
    expect(r.totalUsdPerParticipantHour.kind).toBe('unverified');
    expect(r.instanceUsdPerParticipantHour.kind).toBe('usd');
    const priced = relayCapacity(inputs({ call: { relayedParticipantsPerCall: 2 }, inRegionUsdPerGb: 0.01 }));
    expect(usdOf(priced, 'egress')).toBeCloseTo(0.46152 * 0.1 + 0.46008 * 0.01, 12);
  });

  it('mesh of 3 with 2 relayed: per-peer load times 2, half the peers relayed, 2 x 2 x 3 / 2 = 6 allocations', () => {
    const call = { participantsPerCall: 3, relayedParticipantsPerCall: 2, allocationsPerPeerConnection: 2 };
    const r = relayCapacity(inputs({ call }));
    expect(r.perParticipant.egressBitsPerSecond).toBe(4_096_000);
    expect(r.perParticipant.packetsPerSecond).toBe(400);
    expect(r.perParticipant.allocations).toBe(6);
    expect(r.perParticipant.inRegionGbPerHour).toBeCloseTo((127_800 * 3600) / 1e9, 12); // one of two peers
    expect(r.perParticipant.internetEgressGbPerHour).toBeCloseTo(((127_800 + 2 * 128_200) * 3600) / 1e9, 12);
  });

  it('an unverified instance price still gives capacity and egress, but no instance or total dollars', () => {
    const r = relayCapacity(inputs({ baselineGbps: 1, usdPerHour: null }));
    expect(r.participantsPerRelay).toBe(244);
    expect(usdOf(r, 'egress')).toBeCloseTo(0.09216, 12);
    expect(r.instanceUsdPerParticipantHour).toEqual({
      kind: 'unverified',
      reason: 'instance price unverified: operator must supply',
    });
    expect(r.totalUsdPerParticipantHour.kind).toBe('unverified');
  });

  it('allocations per relayed participant count the idle allocations of every participant of the call', () => {
    expect(allocationsPerRelayedParticipant(VIDEO_ONE_SIDE_RELAYED)).toBe(6); // 3 x 1 peer x 2 / 1
    expect(allocationsPerRelayedParticipant({ ...VIDEO_ONE_SIDE_RELAYED, relayedParticipantsPerCall: 2 })).toBe(3);
  });
});

describe('relay capacity: validation names the field and fails closed', () => {
  const cases: [string, (i: CapacityInputs) => CapacityInputs, RegExp][] = [
    ['instance type', (i) => ({ ...i, instance: { ...i.instance, instanceType: 'c7gn' } }), /instance\.instanceType/],
    ['region', (i) => ({ ...i, instance: { ...i.instance, region: 'virginia' } }), /instance\.region/],
    [
      'unverified baseline',
      (i) => ({ ...i, instance: { ...i.instance, baselineGbps: { unverified: 'x' } as never } }),
      /instance\.baselineGbps: must be a figure read from a source/,
    ],
    [
      'zero baseline',
      (i) => ({ ...i, instance: { ...i.instance, baselineGbps: { value: 0, source: SOURCE } } }),
      /instance\.baselineGbps\.value: must be a positive finite number/,
    ],
    [
      'fractional vCPUs',
      (i) => ({ ...i, instance: { ...i.instance, vcpus: { value: 1.5, source: SOURCE } } }),
      /instance\.vcpus\.value: must be a positive integer/,
    ],
    [
      'source not https',
      (i) => ({
        ...i,
        instance: { ...i.instance, baselineGbps: { value: 1, source: { ...SOURCE, url: 'http://x.test' } } },
      }),
      /instance\.baselineGbps\.source\.url/,
    ],
    [
      'source date format',
      (i) => ({
        ...i,
        instance: { ...i.instance, vcpus: { value: 2, source: { ...SOURCE, asOf: '2026/02/09' } } },
      }),
      /instance\.vcpus\.source\.asOf: must be an ISO date/,
    ],
    [
      'read date format',
      (i) => ({
        ...i,
        instance: { ...i.instance, vcpus: { value: 2, source: { ...SOURCE, readOn: '4 Dec 2026' } } },
      }),
      /instance\.vcpus\.source\.readOn: must be an ISO date/,
    ],
    [
      'source without a note',
      (i) => ({ ...i, instance: { ...i.instance, vcpus: { value: 2, source: { ...SOURCE, note: ' ' } } } }),
      /instance\.vcpus\.source\.note/,
    ],
    [
      'burst below baseline',
      (i) => ({ ...i, instance: { ...i.instance, burstGbps: { value: 1, source: SOURCE } } }),
      /instance\.burstGbps\.value: is below the baseline/,
    ],
    [
      'unverified without a reason',
      (i) => ({ ...i, instance: { ...i.instance, onDemandUsdPerHour: { unverified: '' } } }),
      /instance\.onDemandUsdPerHour\.unverified/,
    ],
    ['no streams', (i) => ({ ...i, call: { ...i.call, sends: [] } }), /call\.sends: must list at least one/],
    [
      'packet above the MTU',
      (i) => ({ ...i, call: { ...i.call, receives: [{ name: 'v', kbps: 20_000, packetsPerSecond: 100 }] } }),
      /call\.receives\[0\]: 20000 kbit\/s at 100 packets\/s is 25000 bytes per packet/,
    ],
    [
      'bitrate not a number',
      (i) => ({ ...i, call: { ...i.call, sends: [{ name: 'v', kbps: NaN, packetsPerSecond: 100 }] } }),
      /call\.sends\[0\]\.kbps/,
    ],
    ['call of one', (i) => ({ ...i, call: { ...i.call, participantsPerCall: 1 } }), /call\.participantsPerCall/],
    [
      'more relayed than present',
      (i) => ({ ...i, call: { ...i.call, relayedParticipantsPerCall: 3 } }),
      /call\.relayedParticipantsPerCall: is 3, more than the 2 participants/,
    ],
    [
      'no allocations',
      (i) => ({ ...i, call: { ...i.call, allocationsPerPeerConnection: 0 } }),
      /call\.allocationsPerPeerConnection/,
    ],
    ['zero headroom', (i) => ({ ...i, headroom: 0 }), /headroom: must be in \(0, 1\]/],
    ['headroom above 1', (i) => ({ ...i, headroom: 1.5 }), /headroom: must be in \(0, 1\]/],
    [
      'negative CPU cost',
      (i) => ({ ...i, cpu: { ...i.cpu, microsecondsPerPacket: -1 } }),
      /cpu\.microsecondsPerPacket/,
    ],
    ['unnamed measurement', (i) => ({ ...i, cpu: { ...i.cpu, measurement: '' } }), /cpu\.measurement/],
    [
      'port range reversed',
      (i) => ({ ...i, coturn: { ...i.coturn, relayPortRange: { min: 2000, max: 1000 } } }),
      /coturn\.relayPortRange/,
    ],
    [
      'max-bps above bps-capacity',
      (i) => ({ ...i, coturn: { ...i.coturn, quotas: { ...i.coturn.quotas, bpsCapacity: 100_000 } } }),
      /coturn\.quotas\.maxBps: must not exceed bpsCapacity/,
    ],
    [
      'user-quota below what a participant opens',
      (i) => ({ ...i, call: { ...i.call, allocationsPerPeerConnection: 11 } }),
      /coturn\.quotas\.userQuota: is 10 but each participant opens 11 allocations/,
    ],
    [
      'media above max-bps',
      (i) => ({ ...i, coturn: { ...i.coturn, quotas: { ...i.coturn.quotas, maxBps: 100_000 } } }),
      /coturn\.quotas\.maxBps: is 100000 bytes\/s but one allocation carries 125400 bytes\/s .* would throttle/,
    ],
    ['prices from two regions', (i) => ({ ...i, egress: { ...i.egress, region: 'eu-west-1' } }), /egress\.region/],
    ['egress tier unnamed', (i) => ({ ...i, egress: { ...i.egress, tier: '' } }), /egress\.tier/],
  ];

  it.each(cases)('%s', (_name, mutate, message) => {
    const run = () => relayCapacity(mutate(inputs({})));
    expect(run).toThrow(CapacityModelError);
    expect(run).toThrow(message);
  });

  it('refuses a relay that cannot carry one participant, naming the limit', () => {
    expect(() => relayCapacity(inputs({ baselineGbps: 0.001 }))).toThrow(
      /a c7gn\.medium relay cannot carry one relayed participant of "test call": network-baseline allows 0\.244/,
    );
  });
});

describe('relay capacity: monotonic in its inputs', () => {
  const production = (instance = RELAY_INSTANCE_PROFILES[0], call: CallProfile = VIDEO_ONE_SIDE_RELAYED) => ({
    instance,
    call,
    ...PRODUCTION_PLANNING,
  });
  // More bitrate in packets of the same size: more packets too (the model refuses packets above the MTU).
  const scaled = (call: CallProfile, factor: number): CallProfile => ({
    ...call,
    sends: call.sends.map((s) => ({ ...s, kbps: s.kbps * factor, packetsPerSecond: s.packetsPerSecond * factor })),
    receives: call.receives.map((s) => ({
      ...s,
      kbps: s.kbps * factor,
      packetsPerSecond: s.packetsPerSecond * factor,
    })),
  });

  it.each(RELAY_INSTANCE_PROFILES.map((p) => [p.instanceType, p] as const))(
    '%s: more bitrate never allows more participants, and egress grows with it',
    (_type, instance) => {
      let previous: CapacityResult | undefined;
      // Up to 2x: beyond that 720p no longer fits the default max-bps, which the model refuses (tested above).
      for (const factor of [0.25, 0.5, 1, 1.5, 2]) {
        const r = relayCapacity(production(instance, scaled(VIDEO_ONE_SIDE_RELAYED, factor)));
        if (previous) {
          expect(r.participantsPerRelay).toBeLessThanOrEqual(previous.participantsPerRelay);
          expect(r.perParticipant.relayEgressGbPerHour).toBeGreaterThan(previous.perParticipant.relayEgressGbPerHour);
          expect(usdOf(r, 'egress')).toBeGreaterThan(usdOf(previous, 'egress'));
        }
        previous = r;
      }
    },
  );

  it('more headroom, vCPUs, bandwidth or quota never allows fewer participants', () => {
    const at = (o: Parameters<typeof inputs>[0]) =>
      relayCapacity(inputs({ baselineGbps: 1, ...o })).participantsPerRelay;
    for (const [low, high] of [
      [{ headroom: 0.3 }, { headroom: 0.9 }],
      [
        { vcpus: 1, microsecondsPerPacket: 20 },
        { vcpus: 4, microsecondsPerPacket: 20 },
      ],
      [{ baselineGbps: 0.5 }, { baselineGbps: 2 }],
      [{ quotas: { totalQuota: 100 } }, { quotas: { totalQuota: 400 } }],
      [{ quotas: { bpsCapacity: 20_000_000 } }, { quotas: { bpsCapacity: 80_000_000 } }],
      [{ ports: { min: 1000, max: 1099 } }, { ports: { min: 1000, max: 1399 } }],
    ] as const) {
      expect(at(high)).toBeGreaterThanOrEqual(at(low));
    }
    expect(at({ headroom: 0.9 })).toBeGreaterThan(at({ headroom: 0.3 })); // bandwidth binds here: strictly more
  });

  it('more allocations per peer connection or a higher CPU cost never allows more participants', () => {
    for (const instance of RELAY_INSTANCE_PROFILES) {
      const base = relayCapacity(production(instance)).participantsPerRelay;
      const moreAllocations = relayCapacity(
        production(instance, { ...VIDEO_ONE_SIDE_RELAYED, allocationsPerPeerConnection: 5 }),
      ).participantsPerRelay;
      const slowerCpu = relayCapacity({ ...production(instance), cpu: { ...COTURN_CPU, microsecondsPerPacket: 20 } });
      expect(moreAllocations).toBeLessThanOrEqual(base);
      expect(slowerCpu.participantsPerRelay).toBeLessThanOrEqual(base);
    }
  });

  it('egress dollars scale with the egress price', () => {
    const at = (usdPerGb: number) =>
      usdOf(
        relayCapacity({
          ...production(),
          egress: { ...US_EAST_1_EGRESS, usdPerGb: { value: usdPerGb, source: SOURCE } },
        }),
        'egress',
      );
    expect(at(0.18)).toBeCloseTo(2 * at(0.09), 12);
  });
});

describe('the sourced instance profiles and planning inputs', () => {
  it('every profile runs through the model with the production inputs and every call profile', () => {
    for (const instance of RELAY_INSTANCE_PROFILES) {
      for (const call of CALL_PROFILES) {
        const r = relayCapacity({ instance, call, ...PRODUCTION_PLANNING });
        expect(r.participantsPerRelay).toBeGreaterThan(0);
      }
    }
  });

  it('names each type once, all in us-east-1, every figure sourced or marked unverified with a reason', () => {
    const types = RELAY_INSTANCE_PROFILES.map((p) => p.instanceType);
    expect(new Set(types).size).toBe(types.length);
    for (const p of RELAY_INSTANCE_PROFILES) {
      expect(p.region).toBe(US_EAST_1_EGRESS.region);
      for (const figure of [p.vcpus, p.baselineGbps, p.burstGbps, p.onDemandUsdPerHour]) {
        if (isSourced(figure)) expect(figure.source.url).toMatch(/^https:\/\//);
        else expect(figure.unverified.length).toBeGreaterThan(20);
      }
    }
  });

  it('has a profile for the instance type the example config deploys, and refuses unknown types by name', () => {
    expect(instanceProfile('c7gn.medium').baselineGbps.value).toBe(3.125);
    expect(() => instanceProfile('c7gn.metal')).toThrow(
      /no sourced instance profile for c7gn\.metal \(known: c7gn\.medium/,
    );
  });
});

describe('docs/capacity.md', () => {
  const check = (doc?: string) =>
    spawnSync('npx', ['tsx', 'scripts/capacity/capacity-table.ts', '--check', ...(doc ? ['--doc', doc] : [])], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('is exactly what scripts/capacity/capacity-table.ts generates', () => {
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('the check passes an identical copy and fails a copy with one figure changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'capacity-doc-'));
    try {
      const doc = readFileSync(join(ROOT, 'docs', 'capacity.md'), 'utf8');
      const copy = join(dir, 'capacity.md');
      writeFileSync(copy, doc);
      expect(check(copy).status).toBe(0);
      writeFileSync(copy, doc.replace('| `c7gn.medium` | 1    | 3.125', '| `c7gn.medium` | 1    | 9.999'));
      const result = check(copy);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is out of date');
      expect(result.stderr).toContain('npx tsx scripts/capacity/capacity-table.ts --write');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('coturn 4.18 enforces the counted caps the model assumes (real server)', () => {
  it('admits allocationCaps() allocations under each cap and refuses the next with 508 (ports) or 486 (quotas)', async () => {
    const { version, results } = await measureAllocationCaps();
    expect(version).toBe('4.18.0');
    const byName = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(byName['relay-ports'].admitted).toBe(allocationCaps(byName['relay-ports'].limits).relayPorts);
    expect(byName['relay-ports'].refusal?.code).toBe(508);
    expect(byName['total-quota'].admitted).toBe(allocationCaps(byName['total-quota'].limits).totalQuota);
    expect(byName['total-quota'].refusal?.code).toBe(486);
    expect(byName['bps-capacity'].admitted).toBe(allocationCaps(byName['bps-capacity'].limits).bpsCapacity);
    expect(byName['bps-capacity'].refusal?.code).toBe(486);
    // The model rounds the remainder down; coturn grants it as one more allocation.
    const remainder = byName['bps-capacity-remainder'];
    expect(remainder.admitted).toBe(allocationCaps(remainder.limits).bpsCapacity + 1);
    expect(remainder.refusal?.code).toBe(486);
    for (const r of results) expect(r.admitted).toBeLessThan(r.attempts); // every cap was reached, not the attempt limit
  }, 60_000);
});

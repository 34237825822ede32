/**
 * The Markdown tables of docs/capacity.md: relay capacity and cost per instance type and call profile, the limits
 * behind each figure, and where every AWS figure comes from. Pure (no I/O), so the doc and its check share one
 * renderer.
 */
import {
  allocationCaps,
  INTERNET_GATEWAY_RULE,
  internetGatewayGbps,
  isSourced,
  relayCapacity,
  type CallProfile,
  type CapacityResult,
  type Dollars,
  type Figure,
  type InstanceProfile,
  type LimitName,
  type Provenance,
} from '../../tools/capacity/capacity-model';
import { RELAY_INSTANCE_PROFILES, US_EAST_1_EGRESS } from '../../tools/capacity/instance-profiles';
import { CALL_PROFILES, COTURN_CPU, HEADROOM, PRODUCTION_COTURN_LIMITS, PRODUCTION_PLANNING } from './planning-inputs';

const LIMIT_ORDER: readonly LimitName[] = [
  'network-baseline',
  'internet-gateway',
  'cpu',
  'relay-ports',
  'total-quota',
  'bps-capacity',
];

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

export function formatUsd(amount: Dollars): string {
  if (amount.kind === 'unverified') return 'unverified';
  return amount.value >= 0.01 ? `$${amount.value.toFixed(4)}` : `$${amount.value.toPrecision(3)}`;
}

function formatFigure(figure: Figure, unit = ''): string {
  return isSourced(figure) ? `${figure.value}${unit}` : 'unverified';
}

function capacities(call: CallProfile): CapacityResult[] {
  return RELAY_INSTANCE_PROFILES.map((instance) => relayCapacity({ instance, call, ...PRODUCTION_PLANNING }));
}

function summaryTable(results: readonly CapacityResult[]): string {
  return table(
    [
      'instance',
      'vCPU',
      'baseline Gbit/s',
      'on-demand $/h',
      'relayed participants per relay',
      'binding limit',
      'then',
      'relay egress GB per participant-hour',
      'egress $ per participant-hour',
      'instance $ per participant-hour',
      'total $ per participant-hour',
    ],
    results.map((r) => {
      const instance = RELAY_INSTANCE_PROFILES.find((p) => p.instanceType === r.instanceType) as InstanceProfile;
      const next = r.limits[1];
      return [
        `\`${r.instanceType}\``,
        instance.vcpus.value,
        instance.baselineGbps.value,
        formatFigure(instance.onDemandUsdPerHour),
        r.participantsPerRelay,
        r.bindingLimit,
        `${next.limit} (${Math.floor(next.participants)})`,
        r.perParticipant.relayEgressGbPerHour.toFixed(3),
        formatUsd(r.egressUsdPerParticipantHour),
        formatUsd(r.instanceUsdPerParticipantHour),
        formatUsd(r.totalUsdPerParticipantHour),
      ];
    }),
  );
}

function limitsTable(results: readonly CapacityResult[]): string {
  return table(
    ['instance', ...LIMIT_ORDER],
    results.map((r) => [
      `\`${r.instanceType}\``,
      ...LIMIT_ORDER.map((name) => {
        const found = r.limits.find((l) => l.limit === name);
        const value = Math.floor(found?.participants ?? NaN);
        return name === r.bindingLimit ? `**${value}**` : value;
      }),
    ]),
  );
}

function loadLine(call: CallProfile, r: CapacityResult): string {
  const p = r.perParticipant;
  const split =
    p.inRegionGbPerHour > 0
      ? `, of which ${p.internetEgressGbPerHour.toFixed(3)} GB to the Internet and ${p.inRegionGbPerHour.toFixed(3)} GB ` +
        'relay to relay'
      : ', all of it Internet egress';
  const streams = call.sends.map((s) => `${s.name} ${s.kbps} kbit/s at ${s.packetsPerSecond} packets/s`).join(' + ');
  return (
    `Per relayed participant: sends ${streams} to each of ${call.participantsPerCall - 1} peer(s) and receives the ` +
    `same; the relay carries ${(p.egressBitsPerSecond / 1e6).toFixed(3)} Mbit/s out and ` +
    `${(p.ingressBitsPerSecond / 1e6).toFixed(3)} Mbit/s in (IP layer), forwards ${p.packetsPerSecond} packets/s and ` +
    `holds ${p.allocations} allocations; relay egress ${p.relayEgressGbPerHour.toFixed(3)} GB per hour${split}.`
  );
}

function unverifiedNotes(results: readonly CapacityResult[]): string[] {
  const reasons = new Set<string>();
  for (const r of results) {
    for (const d of [r.egressUsdPerParticipantHour, r.instanceUsdPerParticipantHour]) {
      if (d.kind === 'unverified') reasons.add(d.reason);
    }
  }
  return [...reasons].map((reason) => `"unverified": ${reason}.`);
}

/** One section per call profile: summary, limits, load per participant. */
export function capacitySections(): string {
  return CALL_PROFILES.map((call) => {
    const results = capacities(call);
    return [
      `### ${call.name}`,
      loadLine(call, results[0]),
      summaryTable(results),
      'Relayed participants each limit allows on its own (binding limit in bold):',
      limitsTable(results),
      ...unverifiedNotes(results),
    ].join('\n\n');
  }).join('\n\n');
}

/** The fixed inputs of every table above. */
export function inputsTable(): string {
  const caps = allocationCaps(PRODUCTION_COTURN_LIMITS);
  const { relayPortRange: ports, quotas } = PRODUCTION_COTURN_LIMITS;
  return table(
    ['input', 'value', 'from'],
    [
      ['headroom on bandwidth and CPU', HEADROOM, 'scripts/capacity/planning-inputs.ts'],
      ['coturn CPU per relayed packet', `${COTURN_CPU.microsecondsPerPacket} µs`, COTURN_CPU.measurement],
      ['relay port range', `${ports.min}-${ports.max} (${caps.relayPorts} allocations)`, 'DEFAULT_RELAY_TURN_SETTINGS'],
      ['total-quota', `${quotas.totalQuota} allocations`, 'DEFAULT_RELAY_TURN_SETTINGS'],
      [
        'max-bps / bps-capacity',
        `${quotas.maxBps} / ${quotas.bpsCapacity} bytes/s (${caps.bpsCapacity} allocations)`,
        'DEFAULT_RELAY_TURN_SETTINGS',
      ],
      ['user-quota', `${quotas.userQuota} allocations per credential`, 'DEFAULT_RELAY_TURN_SETTINGS'],
      [
        'Internet egress, us-east-1',
        `${formatFigure(US_EAST_1_EGRESS.usdPerGb, ' $/GB')} (${US_EAST_1_EGRESS.tier})`,
        'tools/capacity/instance-profiles.ts',
      ],
      [
        'relay-to-relay in us-east-1',
        formatFigure(US_EAST_1_EGRESS.inRegionUsdPerGb),
        'tools/capacity/instance-profiles.ts',
      ],
    ],
  );
}

function sourceCell(source: Provenance): string {
  const copy = source.copyOf ? ` (copy of ${source.copyOf})` : '';
  const asOf = source.asOf ? `, as of ${source.asOf}` : '';
  return `${source.url}${copy}${asOf}`;
}

/** Every AWS figure with the page it was read from. */
export function sourcesTable(): string {
  const rows: string[][] = [];
  for (const p of RELAY_INSTANCE_PROFILES) {
    rows.push([`\`${p.instanceType}\``, 'vCPU', String(p.vcpus.value), sourceCell(p.vcpus.source)]);
    rows.push(['', 'baseline Gbit/s', String(p.baselineGbps.value), sourceCell(p.baselineGbps.source)]);
    rows.push([
      '',
      'burst Gbit/s',
      formatFigure(p.burstGbps),
      isSourced(p.burstGbps) ? sourceCell(p.burstGbps.source) : p.burstGbps.unverified,
    ]);
    rows.push([
      '',
      'on-demand $/h',
      formatFigure(p.onDemandUsdPerHour),
      isSourced(p.onDemandUsdPerHour) ? sourceCell(p.onDemandUsdPerHour.source) : p.onDemandUsdPerHour.unverified,
    ]);
  }
  const egress = US_EAST_1_EGRESS.usdPerGb;
  rows.push([
    'us-east-1',
    'Internet egress $/GB',
    formatFigure(egress),
    isSourced(egress) ? sourceCell(egress.source) : egress.unverified,
  ]);
  rows.push([
    '',
    'Internet-gateway cap',
    `${internetGatewayGbps(1, 1)} Gbit/s below 32 vCPUs`,
    sourceCell(INTERNET_GATEWAY_RULE),
  ]);
  return table(['type', 'figure', 'value', 'source'], rows);
}

/**
 * Capacity and cost of one TURN relay: how many relayed participants an instance carries, which limit binds first,
 * and what a relayed participant-hour costs in Internet egress and instance time. Pure: every figure is an input
 * (AWS's published numbers with their source, the measured coturn CPU cost, the call shape, the coturn limits), so
 * the model is tested with hand-computed cases and reviewers can see where each number comes from.
 *
 * What flows through the relay for one relayed participant P and one peer Q (one TURN allocation, media as
 * ChannelData, as browsers send it):
 *
 *   P --(P's media + 4-byte ChannelData header)--> relay --(P's media)--> Q            relay egress: P's media
 *   P <--(Q's media + 4-byte ChannelData header)-- relay <--(Q's media)-- Q            relay egress: Q's media
 *
 * The relay sends to the far peer what it receives from the near one, so its egress per relayed participant is what
 * P sends plus what P receives, and its ingress is the same. Data in is free; data out of the region is billed per
 * GB. Media to Q is Internet egress unless Q is itself relayed by this fleet (relay to relay in one region), which
 * AWS bills at its in-region rate instead. Media to P always leaves for the Internet.
 *
 * Bytes are counted at the IP layer (IPv4 20 + UDP 8 bytes per packet, plus ChannelData framing on the client leg):
 * the conservative reading of what AWS meters. A GB is 10^9 bytes (if AWS meters 2^30-byte GB, costs are 7 % lower).
 */
import type {
  Provenance,
  CallProfile,
  EgressPrice,
  CoturnLimits,
  CapacityInputs,
  LimitResult,
  Dollars,
  PerParticipantLoad,
  CapacityResult,
} from './capacity-types';
import { CapacityModelError, isSourced, validateCapacityInputs } from './capacity-validation';
import { bytesPerSecond, CHANNEL_DATA_HEADER_BYTES, IP_UDP_HEADER_BYTES, packetsPerSecond } from './capacity-wire';

export type {
  Provenance,
  SourcedFigure,
  UnverifiedFigure,
  Figure,
  InstanceProfile,
  MediaStream,
  CallProfile,
  EgressPrice,
  CoturnCpuCost,
  CoturnLimits,
  CapacityInputs,
  LimitName,
  LimitResult,
  Dollars,
  PerParticipantLoad,
  CapacityResult,
} from './capacity-types';
export { CapacityModelError, isSourced } from './capacity-validation';
export {
  CHANNEL_DATA_HEADER_BYTES,
  IP_UDP_HEADER_BYTES,
  MAX_MEDIA_PACKET_BYTES,
  MIN_MEDIA_PACKET_BYTES,
} from './capacity-wire';

/** Each UDP allocation takes one port from the relay range (no dual-stack allocations: external-ip is set). */
export const RELAY_PORTS_PER_ALLOCATION = 1;
export const BYTES_PER_GB = 1e9;

/**
 * AWS's documented cap on traffic through an Internet gateway: 5 Gbit/s for instances with fewer than 32 vCPUs,
 * otherwise 50 % of the instance's bandwidth or 5 Gbit/s, whichever is larger. Relay media to and from browsers
 * always crosses the Internet gateway.
 */
export const INTERNET_GATEWAY_RULE: Provenance = {
  url: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html',
  note:
    '"Bandwidth for multi-flow traffic is limited to 50% of the available bandwidth for traffic that goes through an ' +
    'internet gateway ... for instances with 32 or more vCPUs, or 5 Gbps, whichever is larger. For instances with ' +
    'fewer than 32 vCPUs, bandwidth is limited to 5 Gbps." Read from the stored copy of the EC2 User Guide page.',
};

export function internetGatewayGbps(vcpus: number, bandwidthGbps: number): number {
  return vcpus >= 32 ? Math.max(5, 0.5 * bandwidthGbps) : 5;
}

/**
 * Allocations held on the relays per relayed participant, averaged over the fleet: every participant of a call that
 * uses the relay gathers relay candidates on each of its peer connections (`allocationsPerPeerConnection` each),
 * and browsers keep them for the call even when media goes another way.
 */
export function allocationsPerRelayedParticipant(call: CallProfile): number {
  const peers = call.participantsPerCall - 1;
  return (call.allocationsPerPeerConnection * peers * call.participantsPerCall) / call.relayedParticipantsPerCall;
}

/**
 * Allocations coturn admits at once under each counted cap. coturn reserves `max-bps` from `bps-capacity` for every
 * allocation at Allocate time, used or idle, and answers 486 when the reserve is spent, so `bps-capacity / max-bps`
 * is an allocation cap, not a traffic meter (coturn grants one more allocation with the remainder, throttled below
 * max-bps: not counted).
 */
export function allocationCaps(coturn: CoturnLimits): { relayPorts: number; totalQuota: number; bpsCapacity: number } {
  return {
    relayPorts: Math.floor((coturn.relayPortRange.max - coturn.relayPortRange.min + 1) / RELAY_PORTS_PER_ALLOCATION),
    totalQuota: coturn.quotas.totalQuota,
    bpsCapacity: Math.floor(coturn.quotas.bpsCapacity / coturn.quotas.maxBps),
  };
}

function usd(value: number): Dollars {
  return { kind: 'usd', value };
}

function sumDollars(a: Dollars, b: Dollars): Dollars {
  if (a.kind === 'unverified') return a;
  if (b.kind === 'unverified') return b;
  return usd(a.value + b.value);
}

function egressDollars(egress: EgressPrice, internetGb: number, inRegionGb: number): Dollars {
  if (!isSourced(egress.usdPerGb)) {
    return { kind: 'unverified', reason: `Internet egress price unverified: ${egress.usdPerGb.unverified}` };
  }
  let total = internetGb * egress.usdPerGb.value;
  if (inRegionGb > 0) {
    if (!isSourced(egress.inRegionUsdPerGb)) {
      return {
        kind: 'unverified',
        reason: `in-region relay-to-relay price unverified: ${egress.inRegionUsdPerGb.unverified}`,
      };
    }
    total += inRegionGb * egress.inRegionUsdPerGb.value;
  }
  return usd(total);
}

/** Relayed participants one relay carries, the limit that binds, and the cost of a relayed participant-hour. */
export function relayCapacity(inputs: CapacityInputs): CapacityResult {
  validateCapacityInputs(inputs);
  const { instance, call, egress, cpu, coturn, headroom } = inputs;
  const peers = call.participantsPerCall - 1;
  // Share of a relayed participant's peers that are relayed too: their media goes relay to relay, not to the Internet.
  const relayedPeerShare = (call.relayedParticipantsPerCall - 1) / peers;

  const toPeerBytes = bytesPerSecond(call.sends, IP_UDP_HEADER_BYTES) * peers;
  const toClientBytes = bytesPerSecond(call.receives, IP_UDP_HEADER_BYTES + CHANNEL_DATA_HEADER_BYTES) * peers;
  const fromClientBytes = bytesPerSecond(call.sends, IP_UDP_HEADER_BYTES + CHANNEL_DATA_HEADER_BYTES) * peers;
  const fromPeerBytes = bytesPerSecond(call.receives, IP_UDP_HEADER_BYTES) * peers;
  const egressBits = (toPeerBytes + toClientBytes) * 8;
  const ingressBits = (fromClientBytes + fromPeerBytes) * 8;
  const busiestDirectionBits = Math.max(egressBits, ingressBits);
  const pps = (packetsPerSecond(call.sends) + packetsPerSecond(call.receives)) * peers;
  const allocations = allocationsPerRelayedParticipant(call);

  const inRegionBytes = toPeerBytes * relayedPeerShare;
  const internetBytes = toPeerBytes - inRegionBytes + toClientBytes;
  const perHourGb = (bytes: number) => (bytes * 3600) / BYTES_PER_GB;

  const vcpus = instance.vcpus.value;
  const baselineBits = instance.baselineGbps.value * 1e9;
  const gatewayGbps = internetGatewayGbps(vcpus, instance.baselineGbps.value);
  const caps = allocationCaps(coturn);
  const perMbit = (busiestDirectionBits / 1e6).toFixed(3);

  const limits: LimitResult[] = [
    {
      limit: 'network-baseline',
      participants: (baselineBits * headroom) / busiestDirectionBits,
      explanation: `${instance.baselineGbps.value} Gbit/s baseline x ${headroom} headroom / ${perMbit} Mbit/s per participant`,
    },
    {
      limit: 'internet-gateway',
      participants: (gatewayGbps * 1e9 * headroom) / busiestDirectionBits,
      explanation: `${gatewayGbps} Gbit/s Internet-gateway cap (${vcpus} vCPUs) x ${headroom} headroom / ${perMbit} Mbit/s per participant`,
    },
    {
      limit: 'cpu',
      participants: (vcpus * 1e6 * headroom) / (cpu.microsecondsPerPacket * pps),
      explanation: `${vcpus} vCPU x ${headroom} headroom / (${cpu.microsecondsPerPacket} us x ${pps} packets/s per participant)`,
    },
    {
      limit: 'relay-ports',
      participants: caps.relayPorts / allocations,
      explanation: `${caps.relayPorts} relay ports / ${allocations} allocations per participant`,
    },
    {
      limit: 'total-quota',
      participants: caps.totalQuota / allocations,
      explanation: `total-quota ${caps.totalQuota} / ${allocations} allocations per participant`,
    },
    {
      limit: 'bps-capacity',
      participants: caps.bpsCapacity / allocations,
      explanation:
        `bps-capacity ${coturn.quotas.bpsCapacity} / max-bps ${coturn.quotas.maxBps} = ${caps.bpsCapacity} ` +
        `allocations / ${allocations} allocations per participant`,
    },
  ];
  limits.sort((a, b) => a.participants - b.participants);
  const binding = limits[0];
  const participantsPerRelay = Math.floor(binding.participants);
  if (participantsPerRelay < 1) {
    throw new CapacityModelError(
      `capacity model: a ${instance.instanceType} relay cannot carry one relayed participant of "${call.name}": ` +
        `${binding.limit} allows ${binding.participants.toFixed(3)} (${binding.explanation})`,
    );
  }

  const perParticipant: PerParticipantLoad = {
    egressBitsPerSecond: egressBits,
    ingressBitsPerSecond: ingressBits,
    packetsPerSecond: pps,
    allocations,
    relayEgressGbPerHour: perHourGb(toPeerBytes + toClientBytes),
    internetEgressGbPerHour: perHourGb(internetBytes),
    inRegionGbPerHour: perHourGb(inRegionBytes),
  };
  const egressUsd = egressDollars(egress, perParticipant.internetEgressGbPerHour, perParticipant.inRegionGbPerHour);
  const instanceUsd: Dollars = isSourced(instance.onDemandUsdPerHour)
    ? usd(instance.onDemandUsdPerHour.value / participantsPerRelay)
    : { kind: 'unverified', reason: `instance price unverified: ${instance.onDemandUsdPerHour.unverified}` };

  return {
    instanceType: instance.instanceType,
    region: instance.region,
    callProfile: call.name,
    participantsPerRelay,
    bindingLimit: binding.limit,
    limits,
    perParticipant,
    egressUsdPerParticipantHour: egressUsd,
    instanceUsdPerParticipantHour: instanceUsd,
    totalUsdPerParticipantHour: sumDollars(egressUsd, instanceUsd),
  };
}

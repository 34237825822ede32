/**
 * The capacity model's vocabulary: sourced figures, instance and call profiles, egress prices, coturn limits, and the
 * results. Types only, in a file of their own, so the model, its validation, its wire arithmetic and the sourced
 * data all depend on this file and never on each other in a circle.
 */
import type { TurnQuotas } from '../../lib/relay/turn-config';

/** Where a published figure was read: the page, or the public copy it was read from, and when. */
export interface Provenance {
  /** The page or file the figure was read from. */
  readonly url: string;
  /** The publisher's own page that `url` reproduces, when `url` is a copy (e.g. a generated table in a repository). */
  readonly copyOf?: string;
  /** ISO date (YYYY-MM-DD) the figure was current at its source, when the source says so. */
  readonly asOf?: string;
  /** ISO date (YYYY-MM-DD) the figure was read here, so a reader knows how stale the reading is. */
  readonly readOn?: string;
  /** How it was read and what to keep in mind. */
  readonly note: string;
}

export interface SourcedFigure {
  readonly value: number;
  readonly source: Provenance;
}

/** A figure nobody here could verify from a source: the model refuses to turn it into a number or a dollar amount. */
export interface UnverifiedFigure {
  /** What is missing and what the operator must supply. */
  readonly unverified: string;
}

export type Figure = SourcedFigure | UnverifiedFigure;

export interface InstanceProfile {
  readonly instanceType: string;
  readonly region: string;
  readonly vcpus: SourcedFigure;
  /** Sustained bandwidth per direction, Gbit/s (AWS's "baseline"; the spec applies to inbound and outbound each). */
  readonly baselineGbps: SourcedFigure;
  /** "Up to" bandwidth on network I/O credits, for minutes at a time: shown, never used for sustained capacity. */
  readonly burstGbps: Figure;
  /** On-demand price in the profile's region. */
  readonly onDemandUsdPerHour: Figure;
}

/** One media stream as it leaves a browser toward one peer: SRTP packets (RTP header included) as UDP payload. */
export interface MediaStream {
  readonly name: string;
  readonly kbps: number;
  readonly packetsPerSecond: number;
}

/** The shape of a call and what a relayed participant sends and receives. Calls are browser-to-browser (mesh). */
export interface CallProfile {
  readonly name: string;
  /** What a relayed participant sends to each peer. */
  readonly sends: readonly MediaStream[];
  /** What it receives from each peer. */
  readonly receives: readonly MediaStream[];
  /** Participants in a call; each keeps one peer connection to every other one. */
  readonly participantsPerCall: number;
  /** How many of them end up with their media on a relay (a TURN candidate pair is selected). */
  readonly relayedParticipantsPerCall: number;
  /**
   * Allocations every participant of such a call opens per peer connection while gathering candidates: one per TURN
   * URL the signaling API hands out (UDP, TCP and TLS), whether or not it ends up carrying media.
   */
  readonly allocationsPerPeerConnection: number;
}

/** Internet egress price in one region, with its tier, and the rate for relay-to-relay media inside the region. */
export interface EgressPrice {
  readonly region: string;
  /** Which tier of AWS's monthly volume tiers the price is (later tiers are cheaper, so the first is conservative). */
  readonly tier: string;
  readonly usdPerGb: Figure;
  /** Per GB this relay sends to another relay of the fleet in the same region (far peer also relayed). */
  readonly inRegionUsdPerGb: Figure;
}

/** coturn's CPU time per relayed packet (received and forwarded once), from a named measurement. */
export interface CoturnCpuCost {
  readonly microsecondsPerPacket: number;
  /** Which measurement: script, config, host, date, figure. */
  readonly measurement: string;
}

/** The coturn settings that cap allocations: the relay port range and the quotas in turnserver.conf. */
export interface CoturnLimits {
  readonly relayPortRange: { readonly min: number; readonly max: number };
  readonly quotas: TurnQuotas;
}

export interface CapacityInputs {
  readonly instance: InstanceProfile;
  readonly call: CallProfile;
  readonly egress: EgressPrice;
  readonly cpu: CoturnCpuCost;
  readonly coturn: CoturnLimits;
  /**
   * Share of bandwidth and CPU planned for steady media, in (0, 1]. The rest absorbs key frames, retransmissions,
   * STUN/ICE checks and uneven load. Counted caps (ports, quotas) are admission limits and take no headroom.
   */
  readonly headroom: number;
}

export type LimitName =
  'network-baseline' | 'internet-gateway' | 'cpu' | 'relay-ports' | 'total-quota' | 'bps-capacity';

export interface LimitResult {
  readonly limit: LimitName;
  /** Relayed participants this limit alone allows (not rounded). */
  readonly participants: number;
  /** The arithmetic, in words, for reviewers. */
  readonly explanation: string;
}

export type Dollars =
  { readonly kind: 'usd'; readonly value: number } | { readonly kind: 'unverified'; readonly reason: string };

export interface PerParticipantLoad {
  /** Bits per second the relay sends for one relayed participant, IP layer. */
  readonly egressBitsPerSecond: number;
  /** Bits per second the relay receives for one relayed participant, IP layer. */
  readonly ingressBitsPerSecond: number;
  /** Packets per second the relay forwards for one relayed participant. */
  readonly packetsPerSecond: number;
  /** Allocations held on the relays per relayed participant (fleet average; see allocationsPerRelayedParticipant). */
  readonly allocations: number;
  /** GB per hour leaving the relay for one relayed participant (Internet plus in-region). */
  readonly relayEgressGbPerHour: number;
  /** The part billed as Internet egress. */
  readonly internetEgressGbPerHour: number;
  /** The part sent to other relays of the fleet in the region (far peer also relayed). */
  readonly inRegionGbPerHour: number;
}

export interface CapacityResult {
  readonly instanceType: string;
  readonly region: string;
  readonly callProfile: string;
  /** Relayed participants one relay carries at full planned load (rounded down). */
  readonly participantsPerRelay: number;
  readonly bindingLimit: LimitName;
  /** Every limit, tightest first. */
  readonly limits: readonly LimitResult[];
  readonly perParticipant: PerParticipantLoad;
  readonly egressUsdPerParticipantHour: Dollars;
  /** Instance price divided by participants at full load: the floor of what an instance-hour costs per participant. */
  readonly instanceUsdPerParticipantHour: Dollars;
  readonly totalUsdPerParticipantHour: Dollars;
}

/**
 * The planning inputs of the capacity table that are not AWS's published figures: the call profiles (assumed
 * typical WebRTC traffic, not measured here), the measured coturn CPU cost, the headroom, and the coturn limits every
 * relay runs with (the production defaults). AWS's figures live in tools/capacity/instance-profiles.ts.
 */
import type {
  CallProfile,
  CapacityInputs,
  CoturnCpuCost,
  CoturnLimits,
  MediaStream,
} from '../../tools/capacity/capacity-model';
import { US_EAST_1_EGRESS } from '../../tools/capacity/instance-profiles';
import { DEFAULT_RELAY_TURN_SETTINGS } from '../../lib/relay/production-turn-options';
import type { FleetSize, RegionPlanning } from '../../tools/capacity/region-capacity';

/**
 * 720p camera video at about 1.5 Mbit/s in ~1,250-byte packets, and Opus audio with 20 ms frames. Rates are UDP
 * payload (SRTP with RTP headers) per direction toward one peer. Assumed from typical browser behaviour, not measured.
 */
const VIDEO_720P: MediaStream = { name: 'video 720p', kbps: 1500, packetsPerSecond: 150 };
const AUDIO_OPUS: MediaStream = { name: 'audio Opus 20 ms', kbps: 40, packetsPerSecond: 50 };

/**
 * Each browser opens one allocation per TURN URL the `ice-servers` route returns (turn: UDP, turn: TCP, turns: TCP)
 * on each peer connection, and keeps them for the call.
 */
const ALLOCATIONS_PER_PEER_CONNECTION = 3;

/** A 1:1 visit (the default maxRoomSize is 2) in which one side is behind a firewall that forces the relay. */
export const VIDEO_ONE_SIDE_RELAYED: CallProfile = {
  name: '720p video + audio, 1:1, one side relayed',
  sends: [VIDEO_720P, AUDIO_OPUS],
  receives: [VIDEO_720P, AUDIO_OPUS],
  participantsPerCall: 2,
  relayedParticipantsPerCall: 1,
  allocationsPerPeerConnection: ALLOCATIONS_PER_PEER_CONNECTION,
};

export const AUDIO_ONE_SIDE_RELAYED: CallProfile = {
  name: 'audio only, 1:1, one side relayed',
  sends: [AUDIO_OPUS],
  receives: [AUDIO_OPUS],
  participantsPerCall: 2,
  relayedParticipantsPerCall: 1,
  allocationsPerPeerConnection: ALLOCATIONS_PER_PEER_CONNECTION,
};

/** Both sides relayed: media between them goes relay to relay inside the region, which AWS prices separately. */
export const VIDEO_BOTH_SIDES_RELAYED: CallProfile = {
  ...VIDEO_ONE_SIDE_RELAYED,
  name: '720p video + audio, 1:1, both sides relayed',
  relayedParticipantsPerCall: 2,
};

export const CALL_PROFILES: readonly CallProfile[] = [
  VIDEO_ONE_SIDE_RELAYED,
  AUDIO_ONE_SIDE_RELAYED,
  VIDEO_BOTH_SIDES_RELAYED,
];

/**
 * The highest of the committed measurements of coturn 4.18 with the production config relaying 1000-byte
 * ChannelData packets on the 2-vCPU Intel Xeon development host (not Graviton). The lower one, docs/relay.md's 3-round
 * mean (7.7, 8.7, 8.0 = 8.1 us), would raise every CPU-bound figure by about 30 %.
 */
export const COTURN_CPU: CoturnCpuCost = {
  microsecondsPerPacket: 10.66,
  measurement:
    'the highest of the committed measurements (npm run bench at commit 004fc50, 2026-11-27: ' +
    'scripts/coturn/relay-bench.ts, production config, 20 allocation pairs x 400 packets/s x 1000-byte ChannelData, ' +
    'one 4 s run: 10.66 ms of coturn CPU per 1000 relayed packets; later runs 8.1-9.8), on 2 x Intel Xeon (x86), ' +
    'not on Graviton',
};

/** Share of bandwidth and CPU planned for steady media: 30 % is left for key frames, retransmissions and bursts. */
export const HEADROOM = 0.7;

/** What every production relay runs with (lib/relay/production-turn-options.ts, config/example.ts). */
export const PRODUCTION_COTURN_LIMITS: CoturnLimits = {
  relayPortRange: DEFAULT_RELAY_TURN_SETTINGS.relayPortRange,
  quotas: DEFAULT_RELAY_TURN_SETTINGS.quotas,
};

/** What the per-region figures assume besides the instance, the call and the region's prices. */
export const REGION_PLANNING: RegionPlanning = {
  cpu: COTURN_CPU,
  coturn: PRODUCTION_COTURN_LIMITS,
  headroom: HEADROOM,
};

/** Everything a published capacity figure assumes besides the instance and the call, in one place. */
export const PRODUCTION_PLANNING: Omit<CapacityInputs, 'instance' | 'call'> = {
  ...REGION_PLANNING,
  egress: US_EAST_1_EGRESS,
};

/**
 * The example config's relay fleet (config/example.ts: relay.instanceType, minCapacity, maxCapacity), planned in
 * each region of the per-region tables. test/capacity/region-capacity.test.ts keeps it equal to the config.
 */
export const EXAMPLE_FLEET: FleetSize = { instanceType: 'c7gn.medium', minCapacity: 2, maxCapacity: 6 };

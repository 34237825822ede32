/**
 * Validation of the capacity model's inputs: fails closed with an error naming the field and what to change, and
 * refuses settings under which calls would fail or be throttled (they are errors, not capacity figures).
 */
import type { CapacityInputs, Figure, MediaStream, Provenance, SourcedFigure } from './capacity-types';
import {
  bytesPerSecond,
  CHANNEL_DATA_HEADER_BYTES,
  MAX_MEDIA_PACKET_BYTES,
  MIN_MEDIA_PACKET_BYTES,
  packetBytes,
} from './capacity-wire';

export class CapacityModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapacityModelError';
  }
}

export function isSourced(figure: Figure): figure is SourcedFigure {
  return 'value' in figure;
}

function fail(field: string, problem: string): never {
  throw new CapacityModelError(`capacity model ${field}: ${problem}`);
}

function positive(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(field, `must be a positive finite number (got ${String(value)})`);
  }
}

function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) fail(field, `must be a positive integer (got ${String(value)})`);
}

function checkProvenance(field: string, source: Provenance): void {
  if (!source || !/^https:\/\/\S+$/.test(source.url ?? '')) {
    fail(`${field}.source.url`, 'must be the https:// address the figure was read from');
  }
  if (source.copyOf !== undefined && !/^https:\/\/\S+$/.test(source.copyOf)) {
    fail(`${field}.source.copyOf`, "must be the publisher's https:// page");
  }
  if (source.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(source.asOf)) {
    fail(`${field}.source.asOf`, `must be an ISO date YYYY-MM-DD (got ${source.asOf})`);
  }
  if (source.readOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(source.readOn)) {
    fail(`${field}.source.readOn`, `must be an ISO date YYYY-MM-DD (got ${source.readOn})`);
  }
  if (!source.note || source.note.trim().length === 0) fail(`${field}.source.note`, 'must say how the figure was read');
}

function checkSourced(field: string, figure: SourcedFigure): void {
  if (!figure || !isSourced(figure)) {
    fail(field, 'must be a figure read from a source ({ value, source }); this model cannot run without it');
  }
  positive(`${field}.value`, figure.value);
  checkProvenance(field, figure.source);
}

function checkFigure(field: string, figure: Figure): void {
  if (!figure) fail(field, 'is missing: give { value, source } or { unverified: "<what the operator must supply>" }');
  if (isSourced(figure)) return checkSourced(field, figure);
  if (typeof figure.unverified !== 'string' || figure.unverified.trim().length === 0) {
    fail(`${field}.unverified`, 'must say what is missing and what the operator must supply');
  }
}

function checkStreams(field: string, streams: readonly MediaStream[]): void {
  if (!Array.isArray(streams) || streams.length === 0) fail(field, 'must list at least one media stream');
  streams.forEach((stream, i) => {
    const at = `${field}[${i}]`;
    if (!stream.name || stream.name.trim().length === 0) fail(`${at}.name`, 'must name the stream');
    positive(`${at}.kbps`, stream.kbps);
    positive(`${at}.packetsPerSecond`, stream.packetsPerSecond);
    const bytes = packetBytes(stream);
    if (bytes < MIN_MEDIA_PACKET_BYTES || bytes > MAX_MEDIA_PACKET_BYTES) {
      fail(
        at,
        `${stream.kbps} kbit/s at ${stream.packetsPerSecond} packets/s is ${bytes.toFixed(0)} bytes per packet; a media ` +
          `packet is ${MIN_MEDIA_PACKET_BYTES}-${MAX_MEDIA_PACKET_BYTES} bytes (RTP header .. 1500-byte MTU less ` +
          'IP/UDP/ChannelData headers): check the bitrate and the packet rate',
      );
    }
  });
}

export function validateCapacityInputs(inputs: CapacityInputs): void {
  const { instance, call, egress, cpu, coturn } = inputs;
  if (!instance) fail('instance', 'is missing');
  if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(instance.instanceType ?? '')) {
    fail('instance.instanceType', `must be an EC2 instance type such as "c7gn.medium" (got ${instance.instanceType})`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(instance.region ?? '')) {
    fail('instance.region', `must be an AWS region code such as "us-east-1" (got ${instance.region})`);
  }
  checkSourced('instance.vcpus', instance.vcpus);
  positiveInteger('instance.vcpus.value', instance.vcpus.value);
  checkSourced('instance.baselineGbps', instance.baselineGbps);
  checkFigure('instance.burstGbps', instance.burstGbps);
  if (isSourced(instance.burstGbps) && instance.burstGbps.value < instance.baselineGbps.value) {
    fail('instance.burstGbps.value', `is below the baseline (${instance.baselineGbps.value} Gbit/s); swap them?`);
  }
  checkFigure('instance.onDemandUsdPerHour', instance.onDemandUsdPerHour);

  if (!call) fail('call', 'is missing');
  if (!call.name || call.name.trim().length === 0) fail('call.name', 'must name the call profile');
  checkStreams('call.sends', call.sends);
  checkStreams('call.receives', call.receives);
  positiveInteger('call.participantsPerCall', call.participantsPerCall);
  if (call.participantsPerCall < 2) fail('call.participantsPerCall', 'must be at least 2 (a call has a far peer)');
  positiveInteger('call.relayedParticipantsPerCall', call.relayedParticipantsPerCall);
  if (call.relayedParticipantsPerCall > call.participantsPerCall) {
    fail(
      'call.relayedParticipantsPerCall',
      `is ${call.relayedParticipantsPerCall}, more than the ${call.participantsPerCall} participants in the call`,
    );
  }
  positiveInteger('call.allocationsPerPeerConnection', call.allocationsPerPeerConnection);

  if (!egress) fail('egress', 'is missing');
  if (egress.region !== instance.region) {
    fail('egress.region', `is ${egress.region} but the instance is priced in ${instance.region}: use one region`);
  }
  if (!egress.tier || egress.tier.trim().length === 0) fail('egress.tier', 'must name the volume tier of the price');
  checkFigure('egress.usdPerGb', egress.usdPerGb);
  checkFigure('egress.inRegionUsdPerGb', egress.inRegionUsdPerGb);

  if (!cpu) fail('cpu', 'is missing');
  positive('cpu.microsecondsPerPacket', cpu.microsecondsPerPacket);
  if (!cpu.measurement || cpu.measurement.trim().length === 0) {
    fail('cpu.measurement', 'must name the measurement the figure comes from');
  }

  if (!coturn) fail('coturn', 'is missing');
  const { min, max } = coturn.relayPortRange ?? { min: NaN, max: NaN };
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535 || min > max) {
    fail('coturn.relayPortRange', `must be whole ports with 1 <= min <= max <= 65535 (got ${min}-${max})`);
  }
  const q = coturn.quotas;
  if (!q) fail('coturn.quotas', 'is missing');
  positiveInteger('coturn.quotas.userQuota', q.userQuota);
  positiveInteger('coturn.quotas.totalQuota', q.totalQuota);
  positiveInteger('coturn.quotas.maxBps', q.maxBps);
  positiveInteger('coturn.quotas.bpsCapacity', q.bpsCapacity);
  if (q.maxBps > q.bpsCapacity) fail('coturn.quotas.maxBps', `must not exceed bpsCapacity (${q.bpsCapacity})`);

  if (typeof inputs.headroom !== 'number' || !(inputs.headroom > 0 && inputs.headroom <= 1)) {
    fail('headroom', `must be in (0, 1], the share of bandwidth and CPU planned for media (got ${inputs.headroom})`);
  }

  // Settings under which calls would fail or be throttled are errors, not capacity figures.
  const perParticipant = call.allocationsPerPeerConnection * (call.participantsPerCall - 1);
  if (perParticipant > q.userQuota) {
    fail(
      'coturn.quotas.userQuota',
      `is ${q.userQuota} but each participant opens ${perParticipant} allocations (allocationsPerPeerConnection ` +
        `${call.allocationsPerPeerConnection} x ${call.participantsPerCall - 1} peers) on one credential: coturn would ` +
        'refuse the rest with 486; raise userQuota',
    );
  }
  const perAllocation = Math.max(
    bytesPerSecond(call.sends, CHANNEL_DATA_HEADER_BYTES),
    bytesPerSecond(call.receives, CHANNEL_DATA_HEADER_BYTES),
  );
  if (perAllocation > q.maxBps) {
    fail(
      'coturn.quotas.maxBps',
      `is ${q.maxBps} bytes/s but one allocation carries ${Math.ceil(perAllocation)} bytes/s per direction in call ` +
        `profile "${call.name}": coturn would throttle the media; raise maxBps or lower the bitrate`,
    );
  }
}

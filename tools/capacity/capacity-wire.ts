/**
 * What media costs on the wire: per-packet headers and the byte and packet rates of a set of streams. Shared by the
 * capacity model and its validation.
 */
import type { MediaStream } from './capacity-types';

/** IPv4 header (20) + UDP header (8): what every relayed packet carries on the wire besides its payload. */
export const IP_UDP_HEADER_BYTES = 28;
/** TURN ChannelData framing (RFC 8656 12.4) on the client leg: channel number and length. */
export const CHANNEL_DATA_HEADER_BYTES = 4;
/** Largest UDP payload that fits a 1500-byte Internet MTU with IPv4/UDP headers and ChannelData framing. */
export const MAX_MEDIA_PACKET_BYTES = 1500 - IP_UDP_HEADER_BYTES - CHANNEL_DATA_HEADER_BYTES;
/** Smallest sensible media packet: an RTP header alone is 12 bytes. */
export const MIN_MEDIA_PACKET_BYTES = 12;

export function packetBytes(stream: MediaStream): number {
  return (stream.kbps * 1000) / 8 / stream.packetsPerSecond;
}

/** UDP payload bytes per second of a set of streams, plus per-packet framing (ChannelData on the client leg). */
export function bytesPerSecond(streams: readonly MediaStream[], framingBytes: number): number {
  return streams.reduce((sum, s) => sum + (s.kbps * 1000) / 8 + s.packetsPerSecond * framingBytes, 0);
}

export function packetsPerSecond(streams: readonly MediaStream[]): number {
  return streams.reduce((sum, s) => sum + s.packetsPerSecond, 0);
}

/**
 * STUN/TURN message encoding and decoding (RFC 8489 / RFC 8656, RFC 6156 for the address family), written for the
 * relay tests. Pure: no sockets, so it is unit-tested on its own (stun-message.test.ts).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { parseIp, formatIp, type IpFamily } from '../../../lib/relay/ip-address';

export const MAGIC_COOKIE = 0x2112a442;
const FINGERPRINT_XOR = 0x5354554e;
const HEADER = 20;

export const Method = {
  Binding: 0x001,
  Allocate: 0x003,
  Refresh: 0x004,
  Send: 0x006,
  Data: 0x007,
  CreatePermission: 0x008,
  ChannelBind: 0x009,
} as const;
export const MessageClass = { Request: 0x0000, Indication: 0x0010, Success: 0x0100, Error: 0x0110 } as const;

export const Attr = {
  Username: 0x0006,
  MessageIntegrity: 0x0008,
  ErrorCode: 0x0009,
  ChannelNumber: 0x000c,
  Lifetime: 0x000d,
  XorPeerAddress: 0x0012,
  Data: 0x0013,
  Realm: 0x0014,
  Nonce: 0x0015,
  XorRelayedAddress: 0x0016,
  RequestedAddressFamily: 0x0017,
  RequestedTransport: 0x0019,
  XorMappedAddress: 0x0020,
  Fingerprint: 0x8028,
} as const;

export interface Attribute {
  readonly type: number;
  readonly value: Buffer;
}

export interface StunMessage {
  readonly method: number;
  readonly cls: number;
  readonly transactionId: Buffer;
  readonly attributes: readonly Attribute[];
  /** The raw bytes, kept for MESSAGE-INTEGRITY checks of responses. */
  readonly raw: Buffer;
}

export interface TransportAddress {
  readonly ip: string;
  readonly port: number;
}

/** The long-term credential key (RFC 8489 9.2.2, MD5 variant): MD5(username ":" realm ":" password). */
export function longTermKey(username: string, realm: string, password: string): Buffer {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest();
}

function header(type: number, length: number, transactionId: Buffer): Buffer {
  const h = Buffer.alloc(HEADER);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(length, 2);
  h.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(h, 8);
  return h;
}

function encodeAttribute(a: Attribute): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(a.value.length / 4) * 4);
  padded.writeUInt16BE(a.type, 0);
  padded.writeUInt16BE(a.value.length, 2);
  a.value.copy(padded, 4);
  return padded;
}

export interface EncodeOptions {
  /** Adds MESSAGE-INTEGRITY with this key (after all other attributes, before FINGERPRINT). */
  readonly integrityKey?: Buffer;
  readonly fingerprint?: boolean;
}

export function encodeMessage(
  method: number,
  cls: number,
  transactionId: Buffer,
  attributes: readonly Attribute[],
  options: EncodeOptions = {},
): Buffer {
  const type = method | cls;
  let body = Buffer.concat(attributes.map(encodeAttribute));
  if (options.integrityKey) {
    // The length in the header covers MESSAGE-INTEGRITY itself when the HMAC is computed (RFC 8489 14.5).
    const hmac = createHmac('sha1', options.integrityKey)
      .update(Buffer.concat([header(type, body.length + 24, transactionId), body]))
      .digest();
    body = Buffer.concat([body, encodeAttribute({ type: Attr.MessageIntegrity, value: hmac })]);
  }
  if (options.fingerprint) {
    const crc = (crc32(Buffer.concat([header(type, body.length + 8, transactionId), body])) ^ FINGERPRINT_XOR) >>> 0;
    const value = Buffer.alloc(4);
    value.writeUInt32BE(crc, 0);
    body = Buffer.concat([body, encodeAttribute({ type: Attr.Fingerprint, value })]);
  }
  return Buffer.concat([header(type, body.length, transactionId), body]);
}

export function newTransactionId(): Buffer {
  return randomBytes(12);
}

/** Decodes one message; returns undefined for anything that is not a well-formed STUN message. */
export function decodeMessage(raw: Buffer): StunMessage | undefined {
  if (raw.length < HEADER || (raw[0] & 0xc0) !== 0 || raw.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const length = raw.readUInt16BE(2);
  if (length % 4 !== 0 || HEADER + length > raw.length) return undefined;
  const type = raw.readUInt16BE(0);
  const attributes: Attribute[] = [];
  for (let offset = HEADER; offset + 4 <= HEADER + length;) {
    const attrType = raw.readUInt16BE(offset);
    const attrLength = raw.readUInt16BE(offset + 2);
    if (offset + 4 + attrLength > HEADER + length) return undefined;
    attributes.push({ type: attrType, value: raw.subarray(offset + 4, offset + 4 + attrLength) });
    offset += 4 + Math.ceil(attrLength / 4) * 4;
  }
  return {
    method: type & 0x3eef,
    cls: type & 0x0110,
    transactionId: raw.subarray(8, 20),
    attributes,
    raw: raw.subarray(0, HEADER + length),
  };
}

export function getAttribute(message: StunMessage, type: number): Buffer | undefined {
  return message.attributes.find((a) => a.type === type)?.value;
}

/** Verifies a response's MESSAGE-INTEGRITY with the request's key (a forged or misrouted answer fails). */
export function verifyIntegrity(message: StunMessage, key: Buffer): boolean {
  let offset = HEADER;
  for (const a of message.attributes) {
    if (a.type === Attr.MessageIntegrity) {
      const prefix = Buffer.from(message.raw.subarray(0, offset));
      prefix.writeUInt16BE(offset - HEADER + 24, 2);
      const expected = createHmac('sha1', key).update(prefix).digest();
      return a.value.length === 20 && timingSafeEqual(expected, a.value);
    }
    offset += 4 + Math.ceil(a.value.length / 4) * 4;
  }
  return false;
}

export function errorCode(message: StunMessage): { code: number; reason: string } | undefined {
  const value = getAttribute(message, Attr.ErrorCode);
  if (!value || value.length < 4) return undefined;
  return { code: (value[2] & 0x07) * 100 + value[3], reason: value.subarray(4).toString('utf8') };
}

export function xorAddress(ip: string, port: number, transactionId: Buffer): Buffer {
  const { family, value } = parseIp(ip);
  const size = family === 4 ? 4 : 16;
  const out = Buffer.alloc(4 + size);
  out[1] = family === 4 ? 0x01 : 0x02;
  out.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transactionId]);
  const bytes = Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
  for (let i = 0; i < size; i += 1) out[4 + i] = bytes[i] ^ mask[i];
  return out;
}

export function decodeXorAddress(value: Buffer, transactionId: Buffer): TransportAddress {
  const family: IpFamily = value[1] === 0x01 ? 4 : 6;
  const size = family === 4 ? 4 : 16;
  const mask = Buffer.concat([Buffer.from([0x21, 0x12, 0xa4, 0x42]), transactionId]);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) bytes[i] = value[4 + i] ^ mask[i];
  return {
    ip: formatIp(family, BigInt(`0x${bytes.toString('hex')}`)),
    port: value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16),
  };
}

export const attr = {
  username: (u: string): Attribute => ({ type: Attr.Username, value: Buffer.from(u, 'utf8') }),
  realm: (r: Buffer): Attribute => ({ type: Attr.Realm, value: r }),
  nonce: (n: Buffer): Attribute => ({ type: Attr.Nonce, value: n }),
  /** Protocol 17 = UDP (RFC 8656 14.7). */
  requestedTransport: (protocol = 17): Attribute => ({
    type: Attr.RequestedTransport,
    value: Buffer.from([protocol, 0, 0, 0]),
  }),
  requestedAddressFamily: (family: IpFamily): Attribute => ({
    type: Attr.RequestedAddressFamily,
    value: Buffer.from([family === 4 ? 0x01 : 0x02, 0, 0, 0]),
  }),
  channelNumber: (channel: number): Attribute => {
    const value = Buffer.alloc(4);
    value.writeUInt16BE(channel, 0);
    return { type: Attr.ChannelNumber, value };
  },
  lifetime: (seconds: number): Attribute => {
    const value = Buffer.alloc(4);
    value.writeUInt32BE(seconds, 0);
    return { type: Attr.Lifetime, value };
  },
};

/** Checks the FINGERPRINT attribute (CRC-32 of everything before it, XOR 0x5354554e). */
export function verifyFingerprint(message: StunMessage): boolean {
  const last = message.attributes[message.attributes.length - 1];
  if (!last || last.type !== Attr.Fingerprint || last.value.length !== 4) return false;
  const prefix = message.raw.subarray(0, message.raw.length - 8);
  return (crc32(prefix) ^ FINGERPRINT_XOR) >>> 0 === last.value.readUInt32BE(0);
}

/** ChannelData (RFC 8656 12.4): channel number, length, data. What browsers use for media once a channel is bound. */
export function encodeChannelData(channel: number, data: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16BE(channel, 0);
  header.writeUInt16BE(data.length, 2);
  return Buffer.concat([header, data]);
}

export function decodeChannelData(raw: Buffer): { channel: number; data: Buffer } | undefined {
  if (raw.length < 4 || (raw[0] & 0xc0) !== 0x40) return undefined;
  const length = raw.readUInt16BE(2);
  if (raw.length < 4 + length) return undefined;
  return { channel: raw.readUInt16BE(0), data: raw.subarray(4, 4 + length) };
}

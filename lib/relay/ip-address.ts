/**
 * IPv4/IPv6 addresses and CIDR blocks as integers (bigint), so ranges can be computed and compared exactly.
 * Pure and dependency-free: the deny list, the host firewall and the tests all use these.
 */

export type IpFamily = 4 | 6;

export interface IpRange {
  readonly family: IpFamily;
  /** First address of the range, inclusive. */
  readonly first: bigint;
  /** Last address of the range, inclusive. */
  readonly last: bigint;
}

export interface Cidr extends IpRange {
  readonly prefix: number;
}

export class IpAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpAddressError';
  }
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Decimal only, no leading zeros: "010" is octal to some parsers, so it is refused rather than guessed.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let head = text;
  let tailV4: bigint | undefined;
  // A trailing dotted quad (::ffff:1.2.3.4, ::1.2.3.4, 64:ff9b::1.2.3.4) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    // Stand-in groups for the dotted quad; its value is put in after the groups are parsed.
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groupsOf(halves[0]);
  const right = halves.length === 2 ? groupsOf(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** Parses one address; throws naming the input when it is not a valid IPv4 or IPv6 address. */
export function parseIp(text: string): { family: IpFamily; value: bigint } {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  if (v6 !== undefined) return { family: 6, value: v6 };
  throw new IpAddressError(`"${text}" is not a valid IPv4 or IPv6 address`);
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

/** RFC 5952 canonical text: lowercase, no leading zeros, the longest run (>= 2) of zero groups shortened to "::". */
export function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function formatIp(family: IpFamily, value: bigint): string {
  return family === 4 ? formatIpv4(value) : formatIpv6(value);
}

/**
 * Parses "a.b.c.d/n" or "x::/n". Host bits must be zero (a canonical CIDR): "10.0.0.1/8" is a typo for something,
 * and guessing which would silently widen or narrow a deny rule.
 */
export function parseCidr(text: string): Cidr {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) throw new IpAddressError(`"${text}" is not a CIDR block (expected address/prefix)`);
  const { family, value } = parseIp(match[1]);
  const bits = BITS[family];
  const prefix = Number(match[2]);
  if (prefix > bits) throw new IpAddressError(`"${text}": prefix /${prefix} is longer than ${bits} bits`);
  const hostBits = BigInt(bits - prefix);
  const hostMask = (1n << hostBits) - 1n;
  if ((value & hostMask) !== 0n) {
    const canonical = `${formatIp(family, value & ~hostMask)}/${prefix}`;
    throw new IpAddressError(`"${text}" has host bits set; the canonical block is ${canonical}`);
  }
  return { family, prefix, first: value, last: value | hostMask };
}

export function rangeContains(range: IpRange, family: IpFamily, value: bigint): boolean {
  return range.family === family && value >= range.first && value <= range.last;
}

/** "first-last" in each family's canonical text, or the single address when the range holds one address. */
export function formatRange(range: IpRange): string {
  const first = formatIp(range.family, range.first);
  return range.first === range.last ? first : `${first}-${formatIp(range.family, range.last)}`;
}

/**
 * Peer addresses a relay must never reach: the IANA special-purpose registries (IPv4 and IPv6), multicast, the
 * IPv4-in-IPv6 encodings, and the relay's own VPC. A TURN relay that can reach these is an SSRF gateway into the
 * account (instance metadata, Amazon DNS, private services): CVE-2020-26262, CVE-2026-27624.
 *
 * Deliberately NOT denied: the documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32,
 * 3fff::/20). They are never routed on the Internet or inside AWS, so a permission for them reaches nothing and
 * denying them protects nothing. Leaving them open lets the tests use them as stand-in public peers while the
 * production deny list applies unchanged, so a test can fail both ways (denied and permitted). They are recorded in
 * NOT_DENIED with that reason, so the decision is visible and tested rather than an omission.
 *
 * Globally reachable special-purpose blocks (AS112, AMT) are also left open: they are public anycast services, not
 * private networks.
 */
import { formatRange, parseCidr, type Cidr } from './ip-address';

export interface SpecialRange {
  readonly cidr: string;
  readonly name: string;
  /** The RFC that assigns the block (IANA special-purpose registry "Reference"). */
  readonly rfc: string;
}

export interface DeniedPeerRange extends SpecialRange {
  readonly range: Cidr;
  /** The `denied-peer-ip` value: `first-last`, because CIDR is rejected by coturn (4.6 drops it, 4.11+ aborts). */
  readonly coturnValue: string;
}

export const IPV4_DENIED: readonly SpecialRange[] = [
  { cidr: '0.0.0.0/8', name: 'this network (incl. 0.0.0.0, which reaches the host itself)', rfc: 'RFC 791' },
  { cidr: '10.0.0.0/8', name: 'private-use', rfc: 'RFC 1918' },
  { cidr: '100.64.0.0/10', name: 'shared address space (CGNAT)', rfc: 'RFC 6598' },
  { cidr: '127.0.0.0/8', name: 'loopback', rfc: 'RFC 1122' },
  {
    cidr: '169.254.0.0/16',
    name: 'link-local (instance metadata 169.254.169.254, Amazon DNS .253, time sync .123)',
    rfc: 'RFC 3927',
  },
  { cidr: '172.16.0.0/12', name: 'private-use', rfc: 'RFC 1918' },
  { cidr: '192.0.0.0/24', name: 'IETF protocol assignments (DS-Lite, NAT64 discovery, TURN anycast)', rfc: 'RFC 6890' },
  { cidr: '192.88.99.0/24', name: 'deprecated 6to4 relay anycast', rfc: 'RFC 7526' },
  { cidr: '192.168.0.0/16', name: 'private-use', rfc: 'RFC 1918' },
  { cidr: '198.18.0.0/15', name: 'benchmarking', rfc: 'RFC 2544' },
  { cidr: '224.0.0.0/4', name: 'multicast', rfc: 'RFC 5771' },
  { cidr: '240.0.0.0/4', name: 'reserved (future use, incl. limited broadcast)', rfc: 'RFC 1112' },
  { cidr: '255.255.255.255/32', name: 'limited broadcast', rfc: 'RFC 919' },
];

/**
 * `::/128` (unspecified) is not rendered: on coturn 4.18 a `denied-peer-ip=::` line matches every IPv4 peer
 * (verified: 203.0.113.10 was "denied in the range: ::"), which would turn the relay off. coturn refuses `::` on
 * its own (the CVE-2020-26262 fix), and test/relay/coturn.test.ts asserts that `::` still gets 403.
 */
export const IPV6_DENIED: readonly SpecialRange[] = [
  { cidr: '::1/128', name: 'loopback', rfc: 'RFC 4291' },
  { cidr: '::ffff:0:0/96', name: 'IPv4-mapped addresses', rfc: 'RFC 4291' },
  { cidr: '64:ff9b::/96', name: 'NAT64 well-known prefix', rfc: 'RFC 6052' },
  { cidr: '64:ff9b:1::/48', name: 'NAT64 local-use prefix', rfc: 'RFC 8215' },
  { cidr: '100::/64', name: 'discard-only', rfc: 'RFC 6666' },
  { cidr: '100:0:0:1::/64', name: 'dummy prefix', rfc: 'RFC 9780' },
  { cidr: '2001::/23', name: 'IETF protocol assignments', rfc: 'RFC 2928' },
  { cidr: '2001::/32', name: 'Teredo (IPv4 tunnelling)', rfc: 'RFC 4380' },
  { cidr: '2001:2::/48', name: 'benchmarking', rfc: 'RFC 5180' },
  { cidr: '2002::/16', name: '6to4 (embeds an IPv4 address)', rfc: 'RFC 3056' },
  { cidr: '5f00::/16', name: 'SRv6 SIDs', rfc: 'RFC 9602' },
  { cidr: 'fc00::/7', name: 'unique local (incl. instance metadata fd00:ec2::254)', rfc: 'RFC 4193' },
  { cidr: 'fe80::/10', name: 'link-local unicast', rfc: 'RFC 4291' },
  { cidr: 'fec0::/10', name: 'deprecated site-local', rfc: 'RFC 3879' },
  { cidr: 'ff00::/8', name: 'multicast', rfc: 'RFC 4291' },
];

/** Special-purpose blocks left open on purpose, with the reason (see the file comment). */
export const NOT_DENIED: readonly (SpecialRange & { readonly reason: string })[] = [
  { cidr: '192.0.2.0/24', name: 'TEST-NET-1', rfc: 'RFC 5737', reason: 'documentation: not routed anywhere' },
  { cidr: '198.51.100.0/24', name: 'TEST-NET-2', rfc: 'RFC 5737', reason: 'documentation: not routed anywhere' },
  { cidr: '203.0.113.0/24', name: 'TEST-NET-3', rfc: 'RFC 5737', reason: 'documentation: not routed anywhere' },
  { cidr: '2001:db8::/32', name: 'IPv6 documentation', rfc: 'RFC 3849', reason: 'documentation: not routed anywhere' },
  { cidr: '3fff::/20', name: 'IPv6 documentation', rfc: 'RFC 9637', reason: 'documentation: not routed anywhere' },
  { cidr: '192.31.196.0/24', name: 'AS112-v4', rfc: 'RFC 7535', reason: 'globally reachable public anycast' },
  { cidr: '192.52.193.0/24', name: 'AMT', rfc: 'RFC 7450', reason: 'globally reachable public anycast' },
  { cidr: '192.175.48.0/24', name: 'AS112 direct delegation', rfc: 'RFC 7534', reason: 'globally reachable' },
];

function toDenied(special: SpecialRange): DeniedPeerRange {
  const range = parseCidr(special.cidr);
  return { ...special, range, coturnValue: formatRange(range) };
}

/**
 * The full deny list for a relay in a VPC: every special-purpose range plus the VPC CIDR (which may be public
 * address space, so the RFC 1918 lines alone would not cover it). Throws on a non-canonical VPC CIDR.
 */
export function deniedPeerRanges(vpcCidr: string): DeniedPeerRange[] {
  const vpc: SpecialRange = { cidr: vpcCidr, name: "the relay's own VPC", rfc: 'deployment' };
  return [...IPV4_DENIED, ...IPV6_DENIED, vpc].map(toDenied);
}

/**
 * nftables rules for the relay host: defence in depth behind coturn's own peer checks. Traffic the coturn process
 * (matched by its uid) originates towards the instance metadata, DNS and time services is dropped outright, and new
 * flows towards the VPC or any special-purpose range are dropped too. Security groups do not filter the link-local
 * metadata addresses, so without this a coturn bug like CVE-2026-27624 reaches IMDS.
 *
 * Replies on flows others opened (the load balancer's health checks come from inside the VPC) stay allowed: only
 * `ct state new` is dropped for the ranges, while the metadata addresses are dropped in every state.
 * Pure: rendered text only; the boot script loads it with `nft -f`.
 */
import { formatRange, parseIp, type IpFamily, type IpRange } from './ip-address';
import { mergeRanges } from './range-merge';
import type { DeniedPeerRange } from './denied-peer-ranges';

/** IMDS, Amazon DNS and Amazon Time Sync, over IPv4 and IPv6 (Nitro instances). */
export const METADATA_ADDRESSES = [
  '169.254.169.254',
  '169.254.169.253',
  '169.254.169.123',
  'fd00:ec2::254',
  'fd00:ec2::253',
  'fd00:ec2::123',
] as const;

export interface HostFirewallOptions {
  /** The user coturn runs as (name or numeric uid). */
  readonly coturnUser: string | number;
  /** The relay's deny list (deniedPeerRanges(vpcCidr)): includes the VPC and every private range. */
  readonly deniedPeerRanges: readonly DeniedPeerRange[];
}

export const NFT_TABLE = 'hipaa_rtc_relay';

function userMatch(user: string | number): string {
  if (typeof user === 'number') {
    if (!Number.isInteger(user) || user <= 0)
      throw new Error('host firewall coturnUser: uid must be a positive integer');
    return `meta skuid ${user}`;
  }
  // root (uid 0) must never be the match: it would cut SSM and the boot script off from IMDS.
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user) || user === 'root') {
    throw new Error(`host firewall coturnUser: "${user}" is not an acceptable user name`);
  }
  return `meta skuid "${user}"`;
}

function elements(ranges: readonly IpRange[], family: IpFamily): string {
  return ranges
    .filter((r) => r.family === family)
    .map(formatRange)
    .join(', ');
}

export function renderHostFirewall(options: HostFirewallOptions): string {
  const who = userMatch(options.coturnUser);
  if (options.deniedPeerRanges.length === 0) throw new Error('host firewall deniedPeerRanges: must not be empty');
  const metadata = METADATA_ADDRESSES.map((a) => {
    const { family, value } = parseIp(a);
    return { family, first: value, last: value };
  });
  const ranges = mergeRanges(options.deniedPeerRanges.map((d) => d.range));
  return [
    '#!/usr/sbin/nft -f',
    '# Rendered by hipaa-rtc (lib/relay/host-firewall.ts): egress limits for the coturn process.',
    `table inet ${NFT_TABLE}`,
    `delete table inet ${NFT_TABLE}`,
    `table inet ${NFT_TABLE} {`,
    '  chain output {',
    '    type filter hook output priority filter; policy accept;',
    `    ${who} ip daddr { ${elements(metadata, 4)} } counter drop comment "instance metadata, DNS, time"`,
    `    ${who} ip6 daddr { ${elements(metadata, 6)} } counter drop comment "instance metadata, DNS, time"`,
    `    ${who} ct state new ip daddr { ${elements(ranges, 4)} } counter drop comment "VPC and special-purpose"`,
    `    ${who} ct state new ip6 daddr { ${elements(ranges, 6)} } counter drop comment "VPC and special-purpose"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

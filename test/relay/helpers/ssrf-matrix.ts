/**
 * The SSRF matrix: peers a relay must refuse (CreatePermission 403), grouped by the allocation family that can carry
 * them, plus the documentation addresses that must be permitted so the matrix can fail both ways. The test VPC is
 * TEST-NET-1 (192.0.2.0/24): documentation space is not otherwise denied, so a 403 there proves the VPC line works.
 */
export const TEST_VPC_CIDR = '192.0.2.0/24';
const VPC_HOST = '192.0.2.10';

export const DENIED_IPV4_PEERS: readonly string[] = [
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '100.64.0.1',
  '127.0.0.1',
  '127.1.2.3',
  '169.254.169.254',
  '169.254.169.253',
  '169.254.169.123',
  '169.254.170.2',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.1',
  '192.88.99.1',
  '192.168.1.1',
  '198.18.0.1',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  VPC_HOST,
];

export const DENIED_IPV6_PEERS: readonly string[] = [
  '::',
  '::1',
  'fd00:ec2::254',
  'fd00:ec2::253',
  'fd00:ec2::123',
  'fc00::1',
  'fe80::1',
  'fec0::1',
  'ff02::1',
  '100::1',
  '2001::1',
  '2001:2::1',
  '5f00::1',
  // IPv4-mapped
  '::ffff:127.0.0.1',
  '::ffff:0.0.0.0',
  '::ffff:10.0.0.1',
  '::ffff:169.254.169.254',
  `::ffff:${VPC_HOST}`,
  // IPv4-compatible (deprecated form, the residual bypass on coturn < 4.13.1)
  '::127.0.0.1',
  '::169.254.169.254',
  '::10.0.0.1',
  `::${VPC_HOST}`,
  // NAT64 (well-known and local-use prefixes)
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::7f00:1',
  '64:ff9b::c000:20a',
  '64:ff9b:1::a9fe:a9fe',
  // 6to4
  '2002:7f00:1::',
  '2002:a9fe:a9fe::',
  '2002:c000:20a::',
];

export const PERMITTED_IPV4_PEERS: readonly string[] = ['203.0.113.10', '198.51.100.7'];
export const PERMITTED_IPV6_PEERS: readonly string[] = ['2001:db8::10', '3fff::10'];

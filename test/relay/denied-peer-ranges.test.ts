import { deniedPeerRanges, IPV4_DENIED, IPV6_DENIED, NOT_DENIED } from '../../lib/relay/denied-peer-ranges';
import { parseCidr, parseIp, rangeContains } from '../../lib/relay/ip-address';

const VPC = '10.40.0.0/16';

function denied(address: string, vpcCidr = VPC): boolean {
  const { family, value } = parseIp(address);
  return deniedPeerRanges(vpcCidr).some((d) => rangeContains(d.range, family, value));
}

test('every entry has a canonical CIDR, a name and an RFC', () => {
  for (const entry of [...IPV4_DENIED, ...IPV6_DENIED, ...NOT_DENIED]) {
    expect(() => parseCidr(entry.cidr)).not.toThrow();
    expect(entry.name.length).toBeGreaterThanOrEqual(3);
    expect(entry.rfc).toMatch(/^RFC \d+$/);
  }
});

test('every coturn value is an a-b range or a single address, never CIDR', () => {
  for (const d of deniedPeerRanges(VPC)) expect(d.coturnValue).toMatch(/^[0-9a-f.:]+(-[0-9a-f.:]+)?$/);
});

test.each([
  '0.0.0.0',
  '10.0.0.1',
  '100.64.0.1',
  '127.0.0.1',
  '169.254.169.254',
  '169.254.169.253',
  '169.254.169.123',
  '172.16.0.1',
  '192.0.0.10',
  '192.168.1.1',
  '198.18.0.1',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  '::1',
  '::ffff:169.254.169.254',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::1',
  '100::1',
  '2001::1',
  '2001:2::1',
  '2002:a9fe:a9fe::',
  'fd00:ec2::254',
  'fe80::1',
  'fec0::1',
  'ff02::1',
])('%s is denied', (address) => {
  expect(denied(address)).toBe(true);
});

test.each(['203.0.113.10', '198.51.100.7', '192.0.2.1', '8.8.8.8', '2001:db8::1', '3fff::1', '2600:1f18::1'])(
  '%s is not denied',
  (address) => {
    expect(denied(address)).toBe(false);
  },
);

test('the VPC CIDR is denied even when it is public address space', () => {
  expect(denied('44.1.2.3', '44.1.0.0/16')).toBe(true);
  expect(denied('44.1.2.3')).toBe(false);
});

test('the unspecified address :: is not rendered (on coturn 4.18 it matches every IPv4 peer)', () => {
  expect(deniedPeerRanges(VPC).map((d) => d.coturnValue)).not.toContain('::');
});

test('documentation ranges are left open deliberately and overlap no denied range', () => {
  for (const open of NOT_DENIED) {
    const block = parseCidr(open.cidr);
    expect(denied(open.cidr.split('/')[0])).toBe(false);
    expect(denied(open.cidr.split('/')[0].replace(/0$/, '1'))).toBe(false);
    expect(block.first <= block.last).toBe(true);
  }
});

test('a bad VPC CIDR fails closed', () => {
  expect(() => deniedPeerRanges('10.40.0.1/16')).toThrow(/canonical block/);
  expect(() => deniedPeerRanges('not-a-cidr')).toThrow();
});

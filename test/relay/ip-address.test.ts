import { formatIpv6, formatRange, parseCidr, parseIp, rangeContains } from '../../lib/relay/ip-address';
import { mergeRanges } from '../../lib/relay/range-merge';

describe('parseIp', () => {
  test.each([
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['169.254.169.254', 4, 0xa9fea9fen],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['::ffff:127.0.0.1', 6, 0xffff7f000001n],
    ['::127.0.0.1', 6, 0x7f000001n],
    ['fd00:ec2::254', 6, 0xfd000ec2000000000000000000000254n],
    ['64:ff9b::a9fe:a9fe', 6, 0x0064ff9b0000000000000000a9fea9fen],
    ['1:2:3:4:5:6:7:8', 6, 0x00010002000300040005000600070008n],
  ] as const)('%s', (text, family, value) => {
    expect(parseIp(text)).toEqual({ family, value });
  });

  test.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '1::2::3', '1:2:3:4:5:6:7:8:9', 'gg::1', '::1.2.3'])(
    'rejects %j',
    (text) => {
      expect(() => parseIp(text)).toThrow(/not a valid IPv4 or IPv6 address/);
    },
  );
});

describe('formatIpv6 (RFC 5952)', () => {
  test.each([
    [0n, '::'],
    [1n, '::1'],
    [0x20010db8000000000000000000000001n, '2001:db8::1'],
    [0x20010db8000000010000000000000001n, '2001:db8:0:1::1'], // the longest zero run is shortened
    [0x20010db8000100010001000100010001n, '2001:db8:1:1:1:1:1:1'], // a single zero group is not
  ])('%s', (value, text) => {
    expect(formatIpv6(value)).toBe(text);
  });
});

describe('CIDR to coturn range', () => {
  test.each([
    ['10.0.0.0/8', '10.0.0.0-10.255.255.255'],
    ['100.64.0.0/10', '100.64.0.0-100.127.255.255'],
    ['198.18.0.0/15', '198.18.0.0-198.19.255.255'],
    ['255.255.255.255/32', '255.255.255.255'],
    ['0.0.0.0/0', '0.0.0.0-255.255.255.255'],
    ['::1/128', '::1'],
    ['::ffff:0:0/96', '::ffff:0:0-::ffff:ffff:ffff'],
    ['fc00::/7', 'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['64:ff9b::/96', '64:ff9b::-64:ff9b::ffff:ffff'],
  ])('%s -> %s', (cidr, range) => {
    expect(formatRange(parseCidr(cidr))).toBe(range);
  });

  test('host bits set is an error that names the canonical block', () => {
    expect(() => parseCidr('10.1.2.3/8')).toThrow(/canonical block is 10\.0\.0\.0\/8/);
    expect(() => parseCidr('fd00::1/8')).toThrow(/canonical block is fd00::\/8/);
  });

  test.each(['10.0.0.0', '10.0.0.0/33', '::/129', '10.0.0.0/-1', 'x/8'])('rejects %j', (text) => {
    expect(() => parseCidr(text)).toThrow();
  });

  test('rangeContains is family-aware: ::a.b.c.d is not the IPv4 a.b.c.d', () => {
    const ten = parseCidr('10.0.0.0/8');
    expect(rangeContains(ten, 4, parseIp('10.9.9.9').value)).toBe(true);
    expect(rangeContains(ten, 6, parseIp('::10.9.9.9').value)).toBe(false);
  });
});

describe('mergeRanges', () => {
  test('merges overlapping and adjacent ranges per family and keeps families apart', () => {
    const merged = mergeRanges(
      ['240.0.0.0/4', '255.255.255.255/32', '10.0.0.0/9', '10.128.0.0/9', '2001::/23', '2001::/32', '::1/128'].map(
        parseCidr,
      ),
    );
    expect(merged.map(formatRange)).toEqual([
      '10.0.0.0-10.255.255.255',
      '240.0.0.0-255.255.255.255',
      '::1',
      '2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff',
    ]);
  });
});

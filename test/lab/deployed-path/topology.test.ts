import { LAB_ADDRESSES, labAddresses, MAX_LAB_REGIONS } from '../../../tools/lab/deployed-path/topology';

test("region 0 keeps the original lab's addresses", () => {
  expect(LAB_ADDRESSES).toEqual({
    clientIp: '198.51.100.2',
    frontIp: '198.51.100.1',
    frontLink: 'lbfront',
    backIp: '203.0.113.1',
    backLink: 'lbback',
    relayIp: '203.0.113.10',
    relayLink: 'eni0',
  });
});

test('every region has its own documentation addresses, each in its own /26', () => {
  const regions = Array.from({ length: MAX_LAB_REGIONS }, (_, i) => labAddresses(i));
  const ips = regions.flatMap((a) => [a.clientIp, a.frontIp, a.backIp, a.relayIp]);
  expect(new Set(ips).size).toBe(ips.length);
  for (const ip of ips) expect(ip).toMatch(/^(198\.51\.100|203\.0\.113)\.\d+$/);
  regions.forEach((a, i) => {
    const block = (ip: string) => Math.floor(Number(ip.split('.')[3]) / 64);
    expect([a.clientIp, a.frontIp, a.backIp, a.relayIp].map(block)).toEqual([i, i, i, i]);
  });
  expect(labAddresses(1)).toMatchObject({ frontIp: '198.51.100.65', relayIp: '203.0.113.74' });
});

test('no addresses beyond the regions the lab has room for', () => {
  expect(() => labAddresses(MAX_LAB_REGIONS)).toThrow(/regions 0 to 3, not 4/);
  expect(() => labAddresses(-1)).toThrow(/not -1/);
});

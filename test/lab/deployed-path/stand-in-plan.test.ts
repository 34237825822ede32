import { readRelayPath } from '../../../tools/lab/deployed-path/relay-template';
import { standInPlan, tlsMinVersion } from '../../../tools/lab/deployed-path/stand-in-plan';
import { LAB_ADDRESSES } from '../../../tools/lab/deployed-path/topology';
import { openTemplate } from './small-template';

// The lab's own addresses, so these tests check the plan the e2e lab actually runs.
const a = LAB_ADDRESSES;

test.each([
  ['ELBSecurityPolicy-TLS13-1-2-2021-06', 'TLSv1.2'],
  ['ELBSecurityPolicy-TLS13-1-3-2021-06', 'TLSv1.3'],
  ['ELBSecurityPolicy-TLS-1-2-Ext-2018-06', 'TLSv1.2'],
  ['ELBSecurityPolicy-TLS-1-1-2017-01', 'TLSv1.1'],
  ['ELBSecurityPolicy-2016-08', 'TLSv1'],
  [undefined, 'TLSv1'],
])('tlsMinVersion(%s) is %s', (policy, expected) => {
  expect(tlsMinVersion(policy)).toBe(expected);
});

test('health checks per target group on its health-check port; TLS listeners re-encrypt to the target port', () => {
  expect(standInPlan(readRelayPath(openTemplate()), a)).toEqual({
    targetGroups: [
      { id: 'Tg0', healthCheckPort: 3478, targets: ['203.0.113.10'] },
      { id: 'Tg1', healthCheckPort: 3478, targets: ['203.0.113.10'] },
    ],
    tls: [
      {
        id: 'Listener1',
        frontIp: '198.51.100.1',
        port: 443,
        targetGroup: 'Tg1',
        targetIp: '203.0.113.10',
        targetPort: 5349,
        minVersion: 'TLSv1.2',
      },
    ],
  });
});

test('fails closed on health checks it cannot stand in for, and on target groups with no targets', () => {
  expect(() => standInPlan(readRelayPath(openTemplate({ healthCheck: { protocol: 'HTTP' } })), a)).toThrow(
    /TCP health checks only; target group Tg0 uses HTTP/,
  );
  expect(() => standInPlan(readRelayPath(openTemplate({ attachAsg: false })), a)).toThrow(
    /target group Tg0 has no Auto Scaling group attached/,
  );
});

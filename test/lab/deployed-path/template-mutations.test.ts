import { readRelayPath } from '../../../tools/lab/deployed-path/relay-template';
import {
  withoutLoadBalancerEgress,
  withoutLoadBalancerIngress,
  withoutUdpListener,
} from '../../../tools/lab/deployed-path/template-mutations';
import beforeIssue11 from '../../e2e/fixtures/relay-template-before-issue-11.json';
import { fromAnywhere, openTemplate } from './small-template';

test('withoutLoadBalancerIngress removes inline and standalone ingress of the load balancer group only', () => {
  const template = openTemplate();
  template.Resources!.LbIngress = {
    Type: 'AWS::EC2::SecurityGroupIngress',
    Properties: { GroupId: { 'Fn::GetAtt': ['LbSg', 'GroupId'] }, ...fromAnywhere('udp', 3478) },
  };
  const before = JSON.stringify(template);
  const model = readRelayPath(withoutLoadBalancerIngress(template));
  expect(JSON.stringify(template)).toBe(before); // the input is untouched
  expect(model.securityGroups.LbSg.ingress).toEqual([]);
  expect(model.securityGroups.RelaySg.ingress).toHaveLength(4);
});

test('withoutUdpListener turns a TCP_UDP listener and its target group into TCP', () => {
  const model = readRelayPath(withoutUdpListener(openTemplate()));
  expect(model.listeners.map((l) => l.protocol)).toEqual(['TCP', 'TLS']);
  expect(model.targetGroups.map((tg) => tg.protocol)).toEqual(['TCP', 'TLS']);
  expect(() => withoutUdpListener(beforeIssue11)).toThrow(/no UDP listener to remove/);
});

test('withoutLoadBalancerEgress leaves only the "Disallow all traffic" placeholder', () => {
  const model = readRelayPath(withoutLoadBalancerEgress(openTemplate()));
  expect(model.securityGroups.LbSg.egress).toEqual([
    expect.objectContaining({ protocol: 'icmp', from: 252, to: 86, description: 'Disallow all traffic' }),
  ]);
});

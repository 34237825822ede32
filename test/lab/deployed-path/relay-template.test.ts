import { Template } from 'aws-cdk-lib/assertions';
import { parseRule, readRelayPath, type RelayPathModel } from '../../../tools/lab/deployed-path/relay-template';
import { buildExampleApp } from '../../helpers/test-app';
import beforeIssue11 from '../../e2e/fixtures/relay-template-before-issue-11.json';
import { fromAnywhere, fromLb, openTemplate, smallTemplate } from './small-template';

describe('parseRule', () => {
  test.each([
    [
      { IpProtocol: 'tcp', FromPort: 3478, ToPort: 3478, CidrIp: '0.0.0.0/0' },
      { protocol: 'tcp', from: 3478, to: 3478 },
    ],
    [
      { IpProtocol: '17', FromPort: 49152, ToPort: 65535, CidrIp: '0.0.0.0/0' },
      { protocol: 'udp', from: 49152, to: 65535 },
    ],
    [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }, { protocol: 'all' }],
    [
      { IpProtocol: 'icmp', FromPort: 3, ToPort: -1, CidrIp: '0.0.0.0/0' },
      { protocol: 'icmp', from: 3, to: undefined },
    ],
    [{ IpProtocol: '50', CidrIp: '0.0.0.0/0' }, { protocol: 50 }],
  ])('%j', (raw, expected) => {
    expect(parseRule(raw, 'ingress')).toMatchObject(expected);
  });

  test('peers: CIDRs, groups by GetAtt or Ref, and what the lab cannot stand in for', () => {
    expect(parseRule({ IpProtocol: 'tcp', CidrIpv6: '::/0' }, 'ingress').peer).toEqual({ kind: 'cidr6', cidr: '::/0' });
    expect(parseRule({ IpProtocol: 'tcp', SourceSecurityGroupId: { Ref: 'Sg' } }, 'ingress').peer).toEqual({
      kind: 'group',
      group: 'Sg',
    });
    expect(parseRule({ IpProtocol: 'tcp', DestinationSecurityGroupId: 'sg-0123' }, 'egress').peer.kind).toBe(
      'unmodelled',
    );
    expect(parseRule({ IpProtocol: 'tcp', SourcePrefixListId: 'pl-1' }, 'ingress').peer.kind).toBe('unmodelled');
    // An egress rule's peer is its destination: a SourceSecurityGroupId there is not read as one.
    expect(parseRule({ IpProtocol: 'tcp', SourceSecurityGroupId: { Ref: 'Sg' } }, 'egress').peer.kind).toBe(
      'unmodelled',
    );
  });

  test('fails closed on what it cannot read', () => {
    expect(() => parseRule({ IpProtocol: 'gre' }, 'ingress')).toThrow(/IpProtocol "gre" is not understood/);
    expect(() => parseRule({ IpProtocol: 'tcp', FromPort: { Ref: 'P' }, CidrIp: '0.0.0.0/0' }, 'ingress')).toThrow(
      /not a literal integer/,
    );
  });
});

describe('readRelayPath', () => {
  test('listeners, target groups with their health-check ports, and the security groups of their targets', () => {
    const model = readRelayPath(openTemplate());
    expect(model.loadBalancer).toBe('Lb');
    expect(model.loadBalancerSecurityGroups).toEqual(['LbSg']);
    expect(model.relaySecurityGroups).toEqual(['RelaySg']);
    expect(model.listeners).toEqual([
      { id: 'Listener0', protocol: 'TCP_UDP', port: 3478, targetGroup: 'Tg0' },
      {
        id: 'Listener1',
        protocol: 'TLS',
        port: 443,
        targetGroup: 'Tg1',
        sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      },
    ]);
    expect(model.targetGroups.map((tg) => [tg.id, tg.protocol, tg.port, tg.healthCheck])).toEqual([
      ['Tg0', 'TCP_UDP', 3478, { protocol: 'TCP', port: 3478 }],
      ['Tg1', 'TLS', 5349, { protocol: 'TCP', port: 3478 }],
    ]);
  });

  test('standalone ingress resources join their group; inline rules stay', () => {
    const relay = readRelayPath(openTemplate()).securityGroups.RelaySg;
    expect(relay.ingress.map((r) => [r.protocol, r.from, r.peer])).toEqual([
      ['udp', 49152, { kind: 'cidr4', cidr: '0.0.0.0/0' }],
      ['tcp', 3478, { kind: 'group', group: 'LbSg' }],
      ['udp', 3478, { kind: 'group', group: 'LbSg' }],
      ['tcp', 5349, { kind: 'group', group: 'LbSg' }],
    ]);
  });

  test("a group with no egress property has EC2's default allow-all egress; one with rules has only those", () => {
    const open = readRelayPath(smallTemplate()).securityGroups.LbSg.egress;
    expect(open).toEqual([
      { protocol: 'all', peer: { kind: 'cidr4', cidr: '0.0.0.0/0' }, description: 'EC2 default egress' },
    ]);
    const closed = readRelayPath(smallTemplate({ lbEgress: [fromAnywhere('tcp', 1)] })).securityGroups.LbSg.egress;
    expect(closed.map((r) => r.protocol)).toEqual(['tcp']);
  });

  test('HealthCheckPort traffic-port (or none) means the target port', () => {
    const model = readRelayPath(smallTemplate({ healthCheck: { port: 'traffic-port' } }));
    expect(model.targetGroups.map((tg) => tg.healthCheck.port)).toEqual([3478, 5349]);
  });

  test('a target group without an Auto Scaling group has no target security groups', () => {
    const model = readRelayPath(smallTemplate({ attachAsg: false }));
    expect(model.targetGroups.every((tg) => tg.targetSecurityGroups.length === 0)).toBe(true);
    expect(model.relaySecurityGroups).toEqual([]);
  });

  test('fails closed without exactly one network load balancer, or with a rule on a group outside the template', () => {
    expect(() => readRelayPath({ Resources: {} })).toThrow(/expected one network load balancer, found 0/);
    const stray = openTemplate();
    stray.Resources!.Stray = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: 'sg-0123', ...fromLb('tcp', 1) },
    };
    expect(() => readRelayPath(stray)).toThrow(/Stray .* belongs to no security group of this template/);
  });
});

describe('the Relay template as synthesized', () => {
  let before: RelayPathModel;
  let now: RelayPathModel;
  beforeAll(() => {
    before = readRelayPath(beforeIssue11);
    now = readRelayPath(Template.fromStack(buildExampleApp().relay).toJSON());
  });

  test('before issue 11: the load balancer group admits nothing, lets out only the placeholder, and has no UDP listener', () => {
    const lb = before.securityGroups[before.loadBalancerSecurityGroups[0]];
    expect(lb.ingress).toEqual([]);
    expect(lb.egress).toEqual([
      expect.objectContaining({
        protocol: 'icmp',
        from: 252,
        to: 86,
        peer: { kind: 'cidr4', cidr: '255.255.255.255/32' },
      }),
    ]);
    expect(before.listeners.map((l) => `${l.protocol} ${l.port}`)).toEqual(['TCP 3478', 'TLS 443']);
  });

  test('now: a TCP_UDP listener on 3478 and a TLS listener on 443 to 5349, and the relay group admits the load balancer', () => {
    expect(now.listeners.map((l) => `${l.protocol} ${l.port}`).sort()).toEqual(['TCP_UDP 3478', 'TLS 443']);
    const lbGroup = now.loadBalancerSecurityGroups[0];
    const fromLbRules = now.relaySecurityGroups
      .flatMap((g) => now.securityGroups[g].ingress)
      .filter((r) => r.peer.kind === 'group' && r.peer.group === lbGroup)
      .map((r) => `${String(r.protocol)}/${r.from}`)
      .sort();
    expect(fromLbRules).toEqual(['tcp/3478', 'tcp/5349', 'udp/3478']);
  });
});

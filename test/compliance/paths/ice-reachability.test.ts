import { iceReachabilityPaths } from '../../../lib/compliance/paths';
import { listenerProtocolsFor, parseTurnUrl } from '../../../lib/compliance/paths/ice-reachability';
import type { TemplateSet } from '../../../lib/compliance/paths/template-set';
import { fixture, hop, props, verdicts } from './fixture';

const UDP = 'turn:turn.example.org:3478?transport=udp';
const TCP = 'turn:turn.example.org:3478?transport=tcp';
const TLS = 'turns:turn.example.org:443?transport=tcp';
const LB_SG = 'LoadBalancerSecurityGroupA28D6DD7';
const RELAY_SG = 'RelaySecurityGroup16449765';

const pathOf = (set: TemplateSet, url: string) => iceReachabilityPaths(set).find((p) => p.title === url);
const failing = (set: TemplateSet) =>
  iceReachabilityPaths(set).flatMap((p) =>
    p.hops.filter((h) => h.verdict === 'fail').map((h) => `${p.title} | ${h.name}`),
  );

describe('parseTurnUrl', () => {
  test('reads scheme, host, port and transport, with RFC 7065 defaults', () => {
    expect(parseTurnUrl(UDP)).toEqual({
      url: UDP,
      scheme: 'turn',
      host: 'turn.example.org',
      port: 3478,
      transport: 'udp',
    });
    expect(parseTurnUrl('turns:Relay.Example.org')).toMatchObject({
      host: 'relay.example.org',
      port: 5349,
      transport: 'tcp',
    });
    expect(parseTurnUrl('turn:h')).toMatchObject({ port: 3478, transport: 'udp' });
    expect(parseTurnUrl('stun:h:3478')).toBeUndefined();
    expect(parseTurnUrl('turn:h:3478?transport=sctp')).toBeUndefined();
  });

  test('UDP needs a UDP or TCP_UDP listener, TCP a TCP or TCP_UDP listener, turns a TLS listener', () => {
    expect(listenerProtocolsFor(parseTurnUrl(UDP)!)).toEqual(['UDP', 'TCP_UDP']);
    expect(listenerProtocolsFor(parseTurnUrl(TCP)!)).toEqual(['TCP', 'TCP_UDP']);
    expect(listenerProtocolsFor(parseTurnUrl(TLS)!)).toEqual(['TLS']);
  });
});

describe('noncompliant fixture (issue 11 defects 1 and 2, cut from the synthesized templates)', () => {
  const set = fixture('relay-noncompliant');

  test('every URL the signaling function hands out is a path', () => {
    expect(iceReachabilityPaths(set).map((p) => p.title)).toEqual([UDP, TCP, TLS]);
  });

  test('defect 2: the UDP URL finds no UDP or TCP_UDP listener on 3478, and the finding names the listeners there are', () => {
    const udp = pathOf(set, UDP);
    expect(hop(udp, 'listener')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('has no UDP or TCP_UDP listener on port 3478 (its listeners: TCP 3478, TLS 443)'),
      resource: { stackId: 'HipaaRtcRelay', logicalId: 'LoadBalancerBE9EEC3A' },
    });
    expect(
      verdicts(udp)
        .slice(2)
        .every(([, v]) => v === 'not-reached'),
    ).toBe(true);
  });

  test('defect 1: TCP and TLS reach their listeners but the load-balancer group admits nothing and lets no health check out', () => {
    expect(failing(set)).toEqual([
      `${UDP} | listener`,
      `${TCP} | load-balancer security group: inbound from the internet`,
      `${TCP} | load-balancer security group: outbound to the target and health-check ports`,
      `${TLS} | load-balancer security group: inbound from the internet`,
      `${TLS} | load-balancer security group: outbound to the target and health-check ports`,
    ]);
    expect(hop(pathOf(set, TLS), 'load-balancer security group: inbound from the internet').detail).toContain(
      'admits tcp 443 from 0.0.0.0/0 or ::/0 (inbound: no rules)',
    );
    const egress = hop(pathOf(set, TLS), 'load-balancer security group: outbound to the target and health-check ports');
    expect(egress.detail).toContain('target port tcp 5349 and health-check port tcp 3478');
    expect(egress.detail).toContain('icmp 252-86 255.255.255.255/32');
    expect(egress.detail).toContain('every target is unhealthy');
  });

  test('the relay group and the Auto Scaling group are not the problem', () => {
    expect(hop(pathOf(set, TCP), 'relay security group: inbound from the load balancer').verdict).toBe('pass');
    expect(hop(pathOf(set, TCP), 'Auto Scaling group attached').verdict).toBe('pass');
  });

  test('the relay name resolves through the TLS certificate; the DNS record is assumed, not provable locally', () => {
    expect(hop(pathOf(set, TCP), 'DNS name -> load balancer')).toMatchObject({
      verdict: 'assumed',
      detail: expect.stringContaining('assumed, not provable locally'),
    });
  });
});

describe('compliant fixture (TCP_UDP listener, load-balancer group opened both ways)', () => {
  test('all three URLs connect', () => {
    const set = fixture('relay-compliant');
    expect(failing(set)).toEqual([]);
    for (const url of [UDP, TCP, TLS])
      expect(verdicts(pathOf(set, url)).map(([, v]) => v)).toEqual([
        'assumed',
        'pass',
        'pass',
        'pass',
        'pass',
        'pass',
        'pass',
      ]);
  });
});

describe('rules as EC2 and ELB apply them (mutations of the compliant fixture)', () => {
  const egressResources = (set: TemplateSet) => {
    for (const stack of set.stacks)
      for (const id of Object.keys(stack.resources))
        if (id.startsWith('LbEgress')) delete (stack.resources as Record<string, unknown>)[id];
  };

  test('CDK\'s "Disallow all traffic" placeholder allows nothing', () => {
    const set = fixture('relay-compliant');
    egressResources(set);
    expect(failing(set)).toHaveLength(3);
  });

  test('a group with no inline egress keeps the EC2 default allow-all egress', () => {
    const set = fixture('relay-compliant');
    egressResources(set);
    delete props(set, 'HipaaRtcRelay', LB_SG).SecurityGroupEgress;
    expect(failing(set)).toEqual([]);
  });

  test('protocol -1 and port ranges count; ::/0 counts as the internet; a VPC-only source does not', () => {
    const set = fixture('relay-compliant');
    props(set, 'HipaaRtcRelay', LB_SG).SecurityGroupIngress = [{ IpProtocol: '-1', CidrIpv6: '::/0' }];
    expect(failing(set)).toEqual([]);
    props(set, 'HipaaRtcRelay', LB_SG).SecurityGroupIngress = [
      { IpProtocol: 'tcp', FromPort: 400, ToPort: 3500, CidrIp: '0.0.0.0/0' },
      { IpProtocol: '17', FromPort: 3478, ToPort: 3478, CidrIp: '0.0.0.0/0' },
    ];
    expect(failing(set)).toEqual([]);
    props(set, 'HipaaRtcRelay', LB_SG).SecurityGroupIngress = [{ IpProtocol: '-1', CidrIp: '10.0.0.0/8' }];
    expect(failing(set)).toHaveLength(3);
  });

  test('separate AWS::EC2::SecurityGroupIngress resources count', () => {
    const set = fixture('relay-compliant');
    props(set, 'HipaaRtcRelay', LB_SG).SecurityGroupIngress = [];
    (set.stacks[0].resources as Record<string, unknown>).OpenUdp = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        GroupId: { 'Fn::GetAtt': [LB_SG, 'GroupId'] },
        IpProtocol: 'udp',
        FromPort: 3478,
        ToPort: 3478,
        CidrIp: '0.0.0.0/0',
      },
    };
    expect(failing(set).map((f) => f.split(' | ')[0])).toEqual([TCP, TLS]);
  });

  test('the relay group must admit the target port from the internet (client IP kept) or from the load-balancer group', () => {
    const set = fixture('relay-compliant');
    const vpcOnly = (port: number, protocol: string) => ({
      IpProtocol: protocol,
      FromPort: port,
      ToPort: port,
      CidrIp: '10.0.0.0/16',
    });
    props(set, 'HipaaRtcRelay', 'Vpc8378EB38').CidrBlock = '10.0.0.0/16';
    props(set, 'HipaaRtcRelay', RELAY_SG).SecurityGroupIngress = [
      vpcOnly(3478, 'udp'),
      vpcOnly(3478, 'tcp'),
      vpcOnly(5349, 'tcp'),
    ];
    // Health checks come from the load balancer's VPC addresses: fine. Client traffic keeps the client address: refused.
    expect(hop(pathOf(set, UDP), 'relay security group: inbound from the load balancer')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('admits no target port udp 3478 from the load balancer'),
    });
    const fromLb = (port: number, protocol: string) => ({
      IpProtocol: protocol,
      FromPort: port,
      ToPort: port,
      SourceSecurityGroupId: { 'Fn::GetAtt': [LB_SG, 'GroupId'] },
    });
    props(set, 'HipaaRtcRelay', RELAY_SG).SecurityGroupIngress = [
      fromLb(3478, 'udp'),
      fromLb(3478, 'tcp'),
      fromLb(5349, 'tcp'),
    ];
    expect(failing(set)).toEqual([]);
  });

  test('a target group no Auto Scaling group lists has no relays', () => {
    const set = fixture('relay-compliant');
    props(set, 'HipaaRtcRelay', 'FleetASG3971DFE5').TargetGroupARNs = [
      { Ref: 'LoadBalancerTurnTlsTurnTlsGroupA3962115' },
    ];
    expect(hop(pathOf(set, UDP), 'Auto Scaling group attached')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining(
        'no Auto Scaling group lists HipaaRtcRelay/LoadBalancerTurnTcpTurnTcpGroup7DD0D36B',
      ),
    });
    expect(hop(pathOf(set, TLS), 'Auto Scaling group attached').verdict).toBe('pass');
  });

  test('a Route 53 alias to the load balancer proves the name; a name nothing serves fails', () => {
    const set = fixture('relay-compliant');
    (set.stacks[0].resources as Record<string, unknown>).RelayRecord = {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        Name: 'turn.example.org.',
        Type: 'A',
        AliasTarget: {
          DNSName: { 'Fn::GetAtt': ['LoadBalancerBE9EEC3A', 'DNSName'] },
          HostedZoneId: { 'Fn::GetAtt': ['LoadBalancerBE9EEC3A', 'CanonicalHostedZoneID'] },
        },
      },
    };
    expect(hop(pathOf(set, UDP), 'DNS name -> load balancer').verdict).toBe('pass');
    props(set, 'HipaaRtcSignaling', 'IceServersFC401D60').Environment.Variables.TURN_URLS =
      'turn:other.example.org:3478';
    expect(hop(pathOf(set, 'turn:other.example.org:3478'), 'DNS name -> load balancer').verdict).toBe('fail');
  });

  test('an alias whose HostedZoneId is not its load balancer’s own zone fails (Route 53 would refuse or misroute it)', () => {
    const set = fixture('relay-compliant');
    (set.stacks[0].resources as Record<string, unknown>).RelayRecord = {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        Name: 'turn.example.org.',
        Type: 'A',
        AliasTarget: { DNSName: { 'Fn::GetAtt': ['LoadBalancerBE9EEC3A', 'DNSName'] }, HostedZoneId: 'Z2FDTNDATAQYW2' },
      },
    };
    expect(hop(pathOf(set, UDP), 'DNS name -> load balancer')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('HostedZoneId that is not its CanonicalHostedZoneID'),
    });
  });

  describe('several relay Regions under one name', () => {
    /** The compliant relay stack twice (a second Region), each with a latency record for the relay name. */
    function twoRegions(record: (region: string) => Record<string, unknown> = () => ({})) {
      const set = fixture('relay-compliant');
      const home = set.stacks.find((s) => s.stackId === 'HipaaRtcRelay')!;
      const west = { ...structuredClone(home), stackId: 'HipaaRtcRelay-us-west-2', stackName: 'relay-us-west-2' };
      for (const [stack, region] of [
        [home, 'us-east-1'],
        [west, 'us-west-2'],
      ] as const) {
        (stack.resources as Record<string, unknown>).LatencyRecord = {
          Type: 'AWS::Route53::RecordSet',
          Properties: {
            Name: 'turn.example.org.',
            Type: 'A',
            Region: region,
            SetIdentifier: region,
            AliasTarget: {
              DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': ['LoadBalancerBE9EEC3A', 'DNSName'] }]] },
              HostedZoneId: { 'Fn::GetAtt': ['LoadBalancerBE9EEC3A', 'CanonicalHostedZoneID'] },
              EvaluateTargetHealth: true,
              ...record(region),
            },
          },
        };
      }
      return { stacks: [...set.stacks, west] };
    }
    const dnsHops = (set: ReturnType<typeof twoRegions>) =>
      iceReachabilityPaths(set)
        .filter((p) => p.title.startsWith(UDP))
        .map((p) => ({ title: p.title, dns: p.hops.find((h) => h.name === 'DNS name -> load balancer')! }));

    test('every Region is one path of its own, each reaching its own relays', () => {
      const set = twoRegions();
      expect(dnsHops(set).map((h) => [h.title, h.dns.verdict])).toEqual([
        [`${UDP} via HipaaRtcRelay`, 'pass'],
        [`${UDP} via HipaaRtcRelay-us-west-2`, 'pass'],
      ]);
      expect(iceReachabilityPaths(set).filter((p) => p.hops.some((h) => h.verdict === 'fail'))).toEqual([]);
    });

    test('a record that does not evaluate target health fails: clients would keep being sent to dead relays', () => {
      const set = twoRegions((region) => (region === 'us-west-2' ? { EvaluateTargetHealth: false } : {}));
      expect(dnsHops(set).map((h) => h.dns.verdict)).toEqual(['pass', 'fail']);
      expect(dnsHops(set)[1]!.dns.detail).toContain('does not evaluate target health');
    });

    test('a Region whose load balancer no record names is a fleet no client reaches', () => {
      const set = twoRegions();
      const west = set.stacks.find((s) => s.stackId === 'HipaaRtcRelay-us-west-2')!;
      delete (west.resources as Record<string, unknown>).LatencyRecord;
      const unserved = iceReachabilityPaths(set).filter((p) => p.title.startsWith('relay load balancer'));
      expect(unserved).toEqual([
        expect.objectContaining({
          title: 'relay load balancer HipaaRtcRelay-us-west-2/LoadBalancerBE9EEC3A',
          hops: [
            expect.objectContaining({ verdict: 'fail', detail: expect.stringContaining('no client is ever sent') }),
          ],
        }),
      ]);
    });
  });

  test('a TURN_URLS value the templates do not fix fails closed', () => {
    const set = fixture('relay-compliant');
    props(set, 'HipaaRtcSignaling', 'IceServersFC401D60').Environment.Variables.TURN_URLS = {
      'Fn::ImportValue': 'urls',
    };
    expect(iceReachabilityPaths(set)).toEqual([
      expect.objectContaining({ hops: [expect.objectContaining({ verdict: 'fail', name: 'TURN URL' })] }),
    ]);
  });
});

/**
 * The relay path as AWS evaluates the synthesized Relay template (issue 11, defects 1 and 2): what the load balancer's
 * security group admits and lets out, which listeners and target groups exist, what the relays' group admits, and
 * that the fleet is attached. Rules are read from both places a template can hold them (helpers/security-group-rules).
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RelayStack } from '../../lib/stacks/relay-stack';
import { newTestApp } from '../helpers/test-app';
import { RELAY_TEST_SETTINGS } from './helpers/relay-settings';
import { onlyResource } from '../helpers/template-queries';
import { allRules as rulesIn, groupOf, ruleStrings, type Resources } from './helpers/security-group-rules';

const SETTINGS = RELAY_TEST_SETTINGS;

function build(): Template {
  const app = newTestApp();
  const env = { region: 'us-east-1' };
  const keys = new Stack(app, 'Keys', { env });
  const key = (id: string) => new kms.Key(keys, id, { enableKeyRotation: true });
  const relay = new RelayStack(app, 'Relay', {
    env,
    settings: SETTINGS,
    logKey: key('LogKey'),
    secretKey: key('SecretKey'),
    volumeKey: key('VolumeKey'),
    coturnRepository: new ecr.Repository(keys, 'Coturn'),
    coturnImageDigest: `sha256:${'b'.repeat(64)}`,
  });
  return Template.fromStack(relay);
}

const template = build();
const resources = template.toJSON().Resources as Resources;
const allRules = () => rulesIn(resources);

const loadBalancer = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').resource.Properties;
const lbGroups: string[] = loadBalancer.SecurityGroups.map(groupOf);
const lbGroup = lbGroups[0]!;
// The relays' group is the one their launch template puts on the instance's network interface (with a public address,
// EC2 takes the groups there rather than in SecurityGroupIds).
const launchData = onlyResource(template, 'AWS::EC2::LaunchTemplate').resource.Properties.LaunchTemplateData;
const relayGroups: string[] = launchData.NetworkInterfaces[0].Groups.map(groupOf);
const relayGroup = relayGroups[0]!;
const rules = (group: string, direction: 'in' | 'out') => ruleStrings(resources, group, direction);

const targetGroups = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup');
const listeners = Object.values(resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener');
const ipProtocols = (protocol: string) =>
  ({ TCP: ['tcp'], TLS: ['tcp'], UDP: ['udp'], TCP_UDP: ['tcp', 'udp'] })[protocol]!;

describe("the load balancer's security group", () => {
  test("the load balancer has exactly one group, its own, and it is not the relays' group", () => {
    expect(lbGroups).toHaveLength(1);
    expect(relayGroups).toHaveLength(1);
    expect(launchData.SecurityGroupIds).toBeUndefined();
    expect(lbGroup).not.toBe(relayGroup);
  });

  test('admits every listener from the internet on its protocol and port, and ICMP fragmentation-needed; nothing else', () => {
    expect(rules(lbGroup, 'in')).toEqual(
      ['tcp/3478 0.0.0.0/0', 'udp/3478 0.0.0.0/0', 'tcp/443 0.0.0.0/0', 'icmp/3:4 0.0.0.0/0'].sort(),
    );
    for (const listener of listeners) {
      for (const protocol of ipProtocols(listener.Properties.Protocol)) {
        expect(rules(lbGroup, 'in')).toContain(`${protocol}/${listener.Properties.Port} 0.0.0.0/0`);
      }
    }
  });

  test("lets out exactly the target ports and the health-check port, to the relays' group only", () => {
    const relays = `sg:${relayGroup}`;
    expect(rules(lbGroup, 'out')).toEqual([`tcp/3478 ${relays}`, `tcp/5349 ${relays}`, `udp/3478 ${relays}`]);
  });

  test("every target group's target port (each protocol) and health-check port can leave the load balancer and enter the relays", () => {
    for (const [id, tg] of targetGroups) {
      const needed = [
        ...ipProtocols(tg.Properties.Protocol).map((p) => `${p}/${tg.Properties.Port}`),
        `${tg.Properties.HealthCheckProtocol.toLowerCase()}/${tg.Properties.HealthCheckPort}`,
      ];
      for (const what of needed) {
        expect({ id, out: rules(lbGroup, 'out') }).toEqual({
          id,
          out: expect.arrayContaining([`${what} sg:${relayGroup}`]),
        });
        expect({ id, in: rules(relayGroup, 'in') }).toEqual({
          id,
          in: expect.arrayContaining([`${what} sg:${lbGroup}`]),
        });
      }
    }
  });

  test('holds no "Disallow all traffic" placeholder, and its egress is inline so EC2 adds no default allow-all', () => {
    const group = resources[lbGroup]!.Properties;
    expect(JSON.stringify(group)).not.toContain('Disallow all traffic');
    expect(JSON.stringify(group)).not.toContain('255.255.255.255/32');
    // A group created without inline egress gets EC2's default allow-all egress (AWS::EC2::SecurityGroup reference).
    expect(group.SecurityGroupEgress.length).toBeGreaterThan(0);
    const separateEgress = Object.values(resources).filter(
      (r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && groupOf(r.Properties.GroupId) === lbGroup,
    );
    expect(separateEgress).toEqual([]);
  });
});

describe("the relays' security group", () => {
  test("admits the TURN ports only from the load balancer's group, and the UDP relay range from anywhere; nothing else", () => {
    const nlb = `sg:${lbGroup}`;
    expect(rules(relayGroup, 'in')).toEqual(
      [`tcp/3478 ${nlb}`, `udp/3478 ${nlb}`, `tcp/5349 ${nlb}`, 'udp/49152-65535 0.0.0.0/0'].sort(),
    );
  });

  test('no TURN port is open to the internet directly (the load balancer carries them)', () => {
    const direct = allRules().filter(
      (r) => r.group === relayGroup && r.direction === 'in' && r.peer === '0.0.0.0/0' && /\/(3478|5349)$/.test(r.what),
    );
    expect(direct).toEqual([]);
    expect(rules(relayGroup, 'in').find((r) => r.startsWith('tcp/22 '))).toBeUndefined();
  });

  test('egress stays UDP (relayed media) and HTTPS only', () => {
    expect(rules(relayGroup, 'out')).toEqual(['tcp/443 0.0.0.0/0', 'udp/0-65535 0.0.0.0/0']);
  });
});

describe('listeners and target groups', () => {
  const targetGroupOf = (listener: { Properties: any }) => {
    const actions = listener.Properties.DefaultActions;
    expect(actions).toHaveLength(1);
    expect(actions[0].Type).toBe('forward');
    return resources[actions[0].TargetGroupArn.Ref]!.Properties;
  };
  const listener = (protocol: string, port: number) =>
    listeners.find((l) => l.Properties.Protocol === protocol && l.Properties.Port === port);

  test('exactly two listeners: TCP_UDP 3478 and TLS 443; no TCP-only or UDP-only listener', () => {
    expect(listeners.map((l) => `${l.Properties.Protocol} ${l.Properties.Port}`).sort()).toEqual([
      'TCP_UDP 3478',
      'TLS 443',
    ]);
  });

  test('TCP_UDP 3478 forwards to a TCP_UDP target group on 3478, health-checked over TCP 3478', () => {
    expect(targetGroupOf(listener('TCP_UDP', 3478)!)).toMatchObject({
      Protocol: 'TCP_UDP',
      Port: 3478,
      TargetType: 'instance',
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: '3478',
    });
  });

  test('TLS 443 (ACM, TLS 1.2+) forwards to coturn TLS 5349, health-checked over TCP 3478', () => {
    const tls = listener('TLS', 443)!;
    expect(tls.Properties.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(tls.Properties.Certificates).toEqual([{ CertificateArn: { Ref: expect.stringMatching(/^Certificate/) } }]);
    expect(targetGroupOf(tls)).toMatchObject({
      Protocol: 'TLS',
      Port: 5349,
      TargetType: 'instance',
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: '3478',
    });
  });

  test('no target group turns client IP preservation off (relays log and rate-limit by client address)', () => {
    for (const [, tg] of targetGroups) {
      const attributes = tg.Properties.TargetGroupAttributes ?? [];
      expect(attributes.find((a: any) => a.Key === 'preserve_client_ip.enabled')).toBeUndefined();
    }
  });

  test('the Auto Scaling group is attached to every target group and replaces relays on ELB health', () => {
    const asg = onlyResource(template, 'AWS::AutoScaling::AutoScalingGroup').resource.Properties;
    expect(asg.HealthCheckType).toBe('ELB');
    expect(targetGroups).toHaveLength(2);
    expect(asg.TargetGroupARNs.map((arn: any) => arn.Ref).sort()).toEqual(targetGroups.map(([id]) => id).sort());
  });

  test('an output gives the load balancer DNS name the operator points the relay name at', () => {
    const lbId = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').logicalId;
    template.hasOutput('LoadBalancerDnsName', {
      Value: { 'Fn::GetAtt': [lbId, 'DNSName'] },
      Description: Match.stringLikeRegexp('turn\\.example\\.org'),
    });
  });
});

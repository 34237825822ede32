/**
 * Every TURN URL the example app's signaling function hands out (its TURN_URLS) reaches a relay through the Relay
 * template, hop by hop: the name is the relay name, a listener of that protocol and port exists, the load balancer's
 * group admits it from the internet, the listener's target group port (on the URL's transport) and health-check port
 * may leave the load balancer's group towards the relays' group and enter the relays' group from it, and the fleet is
 * attached to that target group. Each failure names the URL and the hop.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { onlyResource } from '../helpers/template-queries';
import { buildExampleApp, exampleConfig } from '../helpers/test-app';
import { admits, groupOf, ruleStrings, type Resources } from './helpers/security-group-rules';

const built = buildExampleApp();
const relay = Template.fromStack(built.relay);
const resources = relay.toJSON().Resources as Resources;
const signalingFunctions = Object.values(Template.fromStack(built.signaling).findResources('AWS::Lambda::Function'));
const turnUrls: string[] = signalingFunctions
  .map((f) => f.Properties.Environment?.Variables?.TURN_URLS)
  .filter((urls): urls is string => typeof urls === 'string')
  .flatMap((urls) => urls.split(','));

const lbGroup = groupOf(
  onlyResource(relay, 'AWS::ElasticLoadBalancingV2::LoadBalancer').resource.Properties.SecurityGroups[0],
);
const relayGroup = groupOf(
  onlyResource(relay, 'AWS::EC2::LaunchTemplate').resource.Properties.LaunchTemplateData.NetworkInterfaces[0].Groups[0],
);
const asg = onlyResource(relay, 'AWS::AutoScaling::AutoScalingGroup').resource.Properties;
const listeners = Object.values(resources).filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::Listener');
const carries = (protocol: string, transport: 'udp' | 'tcp', secure: boolean) =>
  secure
    ? protocol === 'TLS'
    : transport === 'udp'
      ? ['UDP', 'TCP_UDP'].includes(protocol)
      : ['TCP', 'TCP_UDP'].includes(protocol);

/** The first hop that does not connect for this URL, or undefined when the whole path does. */
function brokenHop(url: string): string | undefined {
  const match = /^(turns?):([^:?]+):(\d+)\?transport=(udp|tcp)$/.exec(url);
  if (!match) return `URL: not a turn:/turns: URL with a port and transport`;
  const [, scheme, host, portText, transport] = match as unknown as [string, string, string, string, 'udp' | 'tcp'];
  const port = Number(portText);
  if (host !== exampleConfig().relay.domainName) return `DNS: ${host} is not the relay name the load balancer serves`;
  const listener = listeners.find(
    (l) => l.Properties.Port === port && carries(l.Properties.Protocol, transport, scheme === 'turns'),
  );
  if (!listener) return `listener: none for ${scheme === 'turns' ? 'TLS' : transport.toUpperCase()} ${port}`;
  if (!admits(ruleStrings(resources, lbGroup, 'in'), transport, port, '0.0.0.0/0'))
    return `load balancer security group ingress: ${transport}/${port} not admitted from 0.0.0.0/0`;
  const targetGroupId: string = listener.Properties.DefaultActions[0].TargetGroupArn.Ref;
  const tg = resources[targetGroupId]!.Properties;
  const hops: [string, number][] = [
    [scheme === 'turns' ? 'tcp' : transport, tg.Port],
    [String(tg.HealthCheckProtocol).toLowerCase(), Number(tg.HealthCheckPort)],
  ];
  for (const [protocol, toPort] of hops) {
    if (!admits(ruleStrings(resources, lbGroup, 'out'), protocol, toPort, `sg:${relayGroup}`))
      return `load balancer security group egress: ${protocol}/${toPort} to the relays' group not allowed`;
    if (!admits(ruleStrings(resources, relayGroup, 'in'), protocol, toPort, `sg:${lbGroup}`))
      return `relay security group ingress: ${protocol}/${toPort} from the load balancer's group not admitted`;
  }
  if (!asg.TargetGroupARNs.some((arn: any) => arn.Ref === targetGroupId))
    return `target group ${targetGroupId}: the Auto Scaling group is not attached`;
  return undefined;
}

test('the signaling function hands out the three URLs of the relay name (UDP, TCP, TLS on 443)', () => {
  const name = exampleConfig().relay.domainName;
  expect(turnUrls).toEqual([
    `turn:${name}:3478?transport=udp`,
    `turn:${name}:3478?transport=tcp`,
    `turns:${name}:443?transport=tcp`,
  ]);
});

test.each(turnUrls)('%s connects hop by hop to a relay', (url) => {
  expect({ url, brokenHop: brokenHop(url) }).toEqual({ url, brokenHop: undefined });
});

test('the check can fail: a URL on a port nothing listens on is reported at the listener hop', () => {
  expect(brokenHop(`turn:${exampleConfig().relay.domainName}:3479?transport=udp`)).toBe('listener: none for UDP 3479');
  expect(brokenHop('turn:elsewhere.example.org:3478?transport=udp')).toMatch(/^DNS: /);
});

/**
 * Reads the network path of the synthesized Relay template: its Network Load Balancer (listeners, target groups,
 * security groups), the security groups of the fleet behind it, and every security-group rule, inline or standalone
 * (`AWS::EC2::SecurityGroupIngress`/`Egress`). The lab builds its network from this model and nothing else, so a rule
 * or listener that is not in the template does not exist in the lab. Pure; fails closed on what it cannot read.
 */

export type CfnTemplate = {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

export type RuleProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'all' | number;

export type RulePeer =
  | { readonly kind: 'cidr4'; readonly cidr: string }
  | { readonly kind: 'cidr6'; readonly cidr: string }
  /** Another security group of this template, by logical ID. */
  | { readonly kind: 'group'; readonly group: string }
  /** Something the lab cannot stand in for (a prefix list, an imported group): the lab admits nothing for it. */
  | { readonly kind: 'unmodelled'; readonly what: string };

export interface SecurityGroupRule {
  readonly protocol: RuleProtocol;
  /** Ports (tcp, udp) or ICMP type; undefined means all. */
  readonly from?: number;
  /** Ports (tcp, udp) or ICMP code; undefined means all. */
  readonly to?: number;
  readonly peer: RulePeer;
  readonly description?: string;
}

export interface SecurityGroup {
  readonly id: string;
  readonly ingress: readonly SecurityGroupRule[];
  readonly egress: readonly SecurityGroupRule[];
}

export type ListenerProtocol = 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';

export interface TargetGroup {
  readonly id: string;
  readonly protocol: ListenerProtocol;
  readonly port: number;
  readonly healthCheck: { readonly protocol: string; readonly port: number };
  /** Security groups of the Auto Scaling groups attached to it (through TargetGroupARNs and their launch template). */
  readonly targetSecurityGroups: readonly string[];
}

export interface Listener {
  readonly id: string;
  readonly protocol: ListenerProtocol;
  readonly port: number;
  readonly targetGroup: string;
  readonly sslPolicy?: string;
}

export interface RelayPathModel {
  readonly loadBalancer: string;
  readonly loadBalancerSecurityGroups: readonly string[];
  readonly listeners: readonly Listener[];
  readonly targetGroups: readonly TargetGroup[];
  readonly securityGroups: Readonly<Record<string, SecurityGroup>>;
  /** The security groups of the relays (the targets), in template order. */
  readonly relaySecurityGroups: readonly string[];
}

const LISTENER_PROTOCOLS: readonly ListenerProtocol[] = ['TCP', 'UDP', 'TCP_UDP', 'TLS'];

function fail(message: string): never {
  throw new Error(`Relay template: ${message}`);
}

/** The logical ID behind `{Ref: X}` or `{Fn::GetAtt: [X, attr]}`; undefined for anything else. */
export function referencedId(value: unknown, attribute?: string): string | undefined {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string' && !attribute) return v.Ref;
    const getAtt = v['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && (!attribute || getAtt[1] === attribute)) {
      return getAtt[0];
    }
  }
  return undefined;
}

function groupRef(value: unknown): string | undefined {
  return referencedId(value, 'GroupId') ?? referencedId(value);
}

function asPort(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) fail(`port ${JSON.stringify(value)} is not a literal integer`);
  return n === -1 ? undefined : n;
}

function protocolOf(raw: unknown): RuleProtocol {
  const value = String(raw).toLowerCase();
  const names: Record<string, RuleProtocol> = {
    tcp: 'tcp',
    '6': 'tcp',
    udp: 'udp',
    '17': 'udp',
    icmp: 'icmp',
    '1': 'icmp',
    icmpv6: 'icmpv6',
    '58': 'icmpv6',
    '-1': 'all',
  };
  if (value in names) return names[value];
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 255) fail(`IpProtocol ${JSON.stringify(raw)} is not understood`);
  return n;
}

/** One rule as EC2 reads it; `direction` picks the peer property names. */
export function parseRule(raw: Record<string, unknown>, direction: 'ingress' | 'egress'): SecurityGroupRule {
  const protocol = protocolOf(raw.IpProtocol);
  const ported = protocol !== 'all';
  const peerGroup = direction === 'ingress' ? raw.SourceSecurityGroupId : raw.DestinationSecurityGroupId;
  let peer: RulePeer;
  if (typeof raw.CidrIp === 'string') peer = { kind: 'cidr4', cidr: raw.CidrIp };
  else if (typeof raw.CidrIpv6 === 'string') peer = { kind: 'cidr6', cidr: raw.CidrIpv6 };
  else if (peerGroup !== undefined) {
    const group = groupRef(peerGroup);
    peer = group ? { kind: 'group', group } : { kind: 'unmodelled', what: `group ${JSON.stringify(peerGroup)}` };
  } else {
    const other = raw.SourcePrefixListId ?? raw.DestinationPrefixListId ?? raw.SourceSecurityGroupName;
    peer = { kind: 'unmodelled', what: `peer ${JSON.stringify(other ?? 'none')}` };
  }
  return {
    protocol,
    ...(ported ? { from: asPort(raw.FromPort), to: asPort(raw.ToPort) } : {}),
    peer,
    ...(typeof raw.Description === 'string' ? { description: raw.Description } : {}),
  };
}

function securityGroups(resources: NonNullable<CfnTemplate['Resources']>): Record<string, SecurityGroup> {
  const groups: Record<string, { id: string; ingress: SecurityGroupRule[]; egress: SecurityGroupRule[] }> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::EC2::SecurityGroup') continue;
    const p = r.Properties ?? {};
    groups[id] = {
      id,
      ingress: ((p.SecurityGroupIngress as Record<string, unknown>[]) ?? []).map((x) => parseRule(x, 'ingress')),
      // A group created with no egress rule gets EC2's default allow-all egress (AWS::EC2::SecurityGroup reference).
      egress:
        p.SecurityGroupEgress === undefined
          ? [{ protocol: 'all', peer: { kind: 'cidr4', cidr: '0.0.0.0/0' }, description: 'EC2 default egress' }]
          : (p.SecurityGroupEgress as Record<string, unknown>[]).map((x) => parseRule(x, 'egress')),
    };
  }
  for (const [id, r] of Object.entries(resources)) {
    const direction =
      r.Type === 'AWS::EC2::SecurityGroupIngress'
        ? 'ingress'
        : r.Type === 'AWS::EC2::SecurityGroupEgress'
          ? 'egress'
          : undefined;
    if (!direction) continue;
    const p = r.Properties ?? {};
    const owner = groupRef(p.GroupId);
    if (!owner || !groups[owner]) fail(`${id} (${r.Type}) belongs to no security group of this template`);
    const rule = parseRule(p, direction);
    const group = groups[owner];
    if (direction === 'egress') {
      // A standalone egress rule replaces EC2's default allow-all, as CDK relies on.
      group.egress = group.egress.filter((e) => e.description !== 'EC2 default egress');
    }
    group[direction].push(rule);
  }
  return groups;
}

function launchTemplateGroups(resources: NonNullable<CfnTemplate['Resources']>, asgId: string): string[] {
  const asg = resources[asgId].Properties ?? {};
  const lt = asg.LaunchTemplate as Record<string, unknown> | undefined;
  const ltId = referencedId(lt?.LaunchTemplateId);
  const data = (ltId && resources[ltId]?.Properties?.LaunchTemplateData) as Record<string, unknown> | undefined;
  if (!data) fail(`Auto Scaling group ${asgId} has no launch template in this template`);
  const interfaces = (data.NetworkInterfaces as Array<Record<string, unknown>> | undefined) ?? [];
  const raw = [
    ...((data.SecurityGroupIds as unknown[]) ?? []),
    ...interfaces.flatMap((n) => (n.Groups as unknown[]) ?? []),
  ];
  return raw.map((g) => groupRef(g) ?? fail(`launch template ${ltId} names a security group outside the template`));
}

/** The relay path of a Relay template: the one network load balancer and what it forwards to. */
export function readRelayPath(template: CfnTemplate): RelayPathModel {
  const resources = template.Resources ?? fail('has no Resources');
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const nlbs = ofType('AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, r]) => r.Properties?.Type === 'network');
  if (nlbs.length !== 1) fail(`expected one network load balancer, found ${nlbs.length}`);
  const [loadBalancer, nlb] = nlbs[0];
  const groups = securityGroups(resources);
  const lbGroups = ((nlb.Properties?.SecurityGroups as unknown[]) ?? []).map(
    (g) => groupRef(g) ?? fail(`load balancer ${loadBalancer} names a security group outside the template`),
  );

  const asgs = ofType('AWS::AutoScaling::AutoScalingGroup');
  const targetGroups: TargetGroup[] = ofType('AWS::ElasticLoadBalancingV2::TargetGroup').map(([id, r]) => {
    const p = r.Properties ?? {};
    const protocol = String(p.Protocol) as ListenerProtocol;
    if (!LISTENER_PROTOCOLS.includes(protocol)) fail(`target group ${id} has protocol ${String(p.Protocol)}`);
    const port = asPort(p.Port) ?? fail(`target group ${id} has no port`);
    const hcPort =
      p.HealthCheckPort === undefined || p.HealthCheckPort === 'traffic-port' ? port : asPort(p.HealthCheckPort);
    const attached = asgs.filter(([, a]) =>
      ((a.Properties?.TargetGroupARNs as unknown[]) ?? []).some((arn) => referencedId(arn) === id),
    );
    return {
      id,
      protocol,
      port,
      // NLB health checks default to TCP on the traffic port (target-group-health-checks.html).
      healthCheck: { protocol: String(p.HealthCheckProtocol ?? 'TCP'), port: hcPort ?? port },
      targetSecurityGroups: [...new Set(attached.flatMap(([asgId]) => launchTemplateGroups(resources, asgId)))],
    };
  });

  const listeners: Listener[] = ofType('AWS::ElasticLoadBalancingV2::Listener')
    .filter(([, r]) => referencedId(r.Properties?.LoadBalancerArn) === loadBalancer)
    .map(([id, r]) => {
      const p = r.Properties ?? {};
      const protocol = String(p.Protocol) as ListenerProtocol;
      if (!LISTENER_PROTOCOLS.includes(protocol)) fail(`listener ${id} has protocol ${String(p.Protocol)}`);
      const actions = (p.DefaultActions as Array<Record<string, unknown>>) ?? [];
      const forward = actions.find((a) => a.Type === 'forward');
      const tgRef =
        forward?.TargetGroupArn ??
        (
          (forward?.ForwardConfig as Record<string, unknown> | undefined)?.TargetGroups as Array<
            Record<string, unknown>
          >
        )?.[0]?.TargetGroupArn;
      const targetGroup = referencedId(tgRef) ?? fail(`listener ${id} forwards to no target group of this template`);
      return {
        id,
        protocol,
        port: asPort(p.Port) ?? fail(`listener ${id} has no port`),
        targetGroup,
        ...(typeof p.SslPolicy === 'string' ? { sslPolicy: p.SslPolicy } : {}),
      };
    });

  const relaySecurityGroups = [
    ...new Set(
      listeners.flatMap((l) => targetGroups.find((tg) => tg.id === l.targetGroup)?.targetSecurityGroups ?? []),
    ),
  ];
  return {
    loadBalancer,
    loadBalancerSecurityGroups: lbGroups,
    listeners,
    targetGroups,
    securityGroups: groups,
    relaySecurityGroups,
  };
}

/** IP protocols a listener or target group of this protocol carries. TLS is TCP underneath. */
export function ipProtocols(protocol: ListenerProtocol): Array<'tcp' | 'udp'> {
  return protocol === 'TCP_UDP' ? ['tcp', 'udp'] : protocol === 'UDP' ? ['udp'] : ['tcp'];
}

/**
 * Security-group rules as AWS applies them, read from the templates: inline `SecurityGroupIngress`/`Egress` and
 * separate `AWS::EC2::SecurityGroupIngress`/`Egress` resources. A group with no inline egress keeps EC2's default
 * allow-all egress rule; one with inline egress has exactly those rules (AWS::EC2::SecurityGroup reference,
 * SecurityGroupEgress). CDK's "Disallow all traffic" placeholder (255.255.255.255/32, icmp 252-86) allows nothing.
 */
import {
  asList,
  resolveResource,
  resolveString,
  resourcesOfType,
  sameResource,
  type Json,
  type ResourceId,
  type TemplateSet,
} from './template-set';

export type Transport = 'tcp' | 'udp';

export interface SecurityGroupRule {
  /** `-1` (all), `tcp`, `udp`, `icmp`, ... (numbers normalised to names). */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: string;
  /** The peer group (SourceSecurityGroupId / DestinationSecurityGroupId). */
  readonly peer?: ResourceId;
  /** Where the rule is written, for hop details. */
  readonly origin: string;
}

export const INTERNET_CIDRS = ['0.0.0.0/0', '::/0'];

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', all: '-1' };

function toRule(set: TemplateSet, stackId: string, raw: Json, peerKey: string, origin: string): SecurityGroupRule {
  const protocol = String(resolveString(set, stackId, raw.IpProtocol) ?? '').toLowerCase();
  return {
    protocol: PROTOCOL_NAMES[protocol] ?? protocol,
    fromPort: Number(raw.FromPort ?? -1),
    toPort: Number(raw.ToPort ?? -1),
    cidr: resolveString(set, stackId, raw.CidrIp ?? raw.CidrIpv6),
    peer: raw[peerKey] !== undefined ? resolveResource(set, stackId, raw[peerKey]) : undefined,
    origin,
  };
}

function rulesOf(set: TemplateSet, group: ResourceId, direction: 'ingress' | 'egress'): SecurityGroupRule[] {
  const inlineKey = direction === 'ingress' ? 'SecurityGroupIngress' : 'SecurityGroupEgress';
  const peerKey = direction === 'ingress' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId';
  const type = direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
  const properties = set.stacks.find((s) => s.stackId === group.stackId)?.resources[group.logicalId]?.Properties ?? {};
  const inline = asList(properties[inlineKey]).map((raw) =>
    toRule(set, group.stackId, raw, peerKey, `${group.logicalId} inline ${direction}`),
  );
  const separate = resourcesOfType(set, type)
    .filter((r) => sameResource(resolveResource(set, r.stackId, r.properties.GroupId), group))
    .map((r) => toRule(set, r.stackId, r.properties, peerKey, `${r.stackId}/${r.logicalId}`));
  const defaultEgress: SecurityGroupRule[] =
    direction === 'egress' && properties.SecurityGroupEgress === undefined
      ? [{ protocol: '-1', fromPort: -1, toPort: -1, cidr: '0.0.0.0/0', origin: 'EC2 default egress (allow all)' }]
      : [];
  return [...inline, ...defaultEgress, ...separate];
}

export function ingressRules(set: TemplateSet, group: ResourceId): SecurityGroupRule[] {
  return rulesOf(set, group, 'ingress');
}

export function egressRules(set: TemplateSet, group: ResourceId): SecurityGroupRule[] {
  return rulesOf(set, group, 'egress');
}

/** Whether the rule admits `transport` traffic to `port` (any peer). */
export function coversPort(rule: SecurityGroupRule, transport: Transport, port: number): boolean {
  if (rule.protocol === '-1') return true;
  return rule.protocol === transport && rule.fromPort <= port && port <= rule.toPort;
}

function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** Whether IPv4 CIDR `outer` contains every address of `inner`. */
export function cidrContains(outer: string, inner: string): boolean {
  const [outerIp, outerBits] = outer.split('/');
  const [innerIp, innerBits] = inner.split('/');
  const o = ipv4ToNumber(outerIp);
  const i = ipv4ToNumber(innerIp);
  if (o === undefined || i === undefined) return false;
  const ob = Number(outerBits);
  const ib = Number(innerBits);
  if (!(ob >= 0 && ob <= 32 && ib >= ob)) return false;
  const block = 2 ** (32 - ob);
  return Math.floor(o / block) === Math.floor(i / block);
}

export function isInternet(cidr: string | undefined): boolean {
  return cidr !== undefined && INTERNET_CIDRS.includes(cidr);
}

/** One line per rule, for hop details. */
export function describeRules(rules: readonly SecurityGroupRule[]): string {
  if (rules.length === 0) return 'no rules';
  return rules
    .map((r) => {
      const ports = r.protocol === '-1' ? 'all' : `${r.protocol} ${r.fromPort}-${r.toPort}`;
      const peer = r.peer ? `group ${r.peer.logicalId}` : (r.cidr ?? '?');
      return `${ports} ${peer}`;
    })
    .join('; ');
}

/**
 * Translates the Relay template's network path (relay-template.ts) into nftables rulesets for the lab's namespaces.
 * Pure: the same model always gives the same text, and every accept rule comes from a template rule or listener.
 *
 * - The relay namespace enforces the relay security groups: ingress on input, egress on output. Security groups are
 *   stateful, so replies (conntrack established/related) pass, as in EC2.
 * - The load-balancer stand-in namespace enforces the load balancer's security groups (ingress before its listeners,
 *   egress towards targets, including its health checks: Elastic Load Balancing, "Update the security groups for your
 *   Network Load Balancer", load-balancer-security-groups.html) and forwards exactly the template's listeners.
 *
 * A rule that references another security group becomes a match on where the packet comes from or goes to in the
 * lab: "from the load balancer's group" is "arrived on the relay's link from the stand-in" (the stand-in forwards
 * nothing but its listeners' and health checks' traffic, so this holds even with the client IP preserved, as in AWS);
 * "to the relays' group" is "to the relay's address". A reference the lab has no stand-in for admits nothing.
 *
 * Every packet a rule does not admit meets a named counter whose message names the hop, so a failed call can say
 * where it was dropped.
 */
import { ipProtocols, type RelayPathModel, type SecurityGroupRule } from './relay-template';
import type { TurnUrlPath } from './turn-urls';

export interface LabAddresses {
  /** The browser's namespace, the "internet" side. */
  readonly clientIp: string;
  /** The load balancer's public address (what the relay name resolves to) on its client-side link. */
  readonly frontIp: string;
  readonly frontLink: string;
  /** The load balancer's address inside the VPC, towards its targets. */
  readonly backIp: string;
  readonly backLink: string;
  /** The relay's address (listening, relayed and advertised). */
  readonly relayIp: string;
  /** The relay's link to the stand-in (its "ENI"). */
  readonly relayLink: string;
}

/** A named counter on a drop, and what a packet counted there means. */
export interface Hop {
  readonly counter: string;
  readonly message: string;
}

export interface Ruleset {
  readonly table: string;
  readonly text: string;
  readonly hops: readonly Hop[];
  /** Template rules the lab could not stand in for (they admit nothing here). */
  readonly notes: readonly string[];
}

type Direction = 'ingress' | 'egress';
type GroupMatch = (group: string) => string | undefined;

function ports(from: number | undefined, to: number | undefined): string {
  if (from === undefined) return '';
  return ` th dport ${to === undefined || to === from ? from : `${from}-${to}`}`;
}

/** The protocol and port part of a rule, as nftables matches. */
export function protocolMatch(rule: SecurityGroupRule): string {
  const p = rule.protocol;
  if (p === 'all') return '';
  if (p === 'tcp' || p === 'udp') {
    // EC2 allows 0-65535 as "all ports"; nftables needs no port match for it.
    const all = (rule.from ?? 0) === 0 && (rule.to ?? 65535) === 65535;
    return `meta l4proto ${p}${all ? '' : ports(rule.from, rule.to)}`;
  }
  if (p === 'icmp' || p === 'icmpv6') {
    return [
      `meta l4proto ${p === 'icmp' ? 'icmp' : 'ipv6-icmp'}`,
      rule.from !== undefined ? `${p} type ${rule.from}` : '',
      rule.to !== undefined ? `${p} code ${rule.to}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  }
  return `meta l4proto ${p}`;
}

/** A security-group rule as an nftables match, or undefined when the lab has no stand-in for its peer. */
export function ruleMatch(rule: SecurityGroupRule, direction: Direction, groupMatch: GroupMatch): string | undefined {
  const side = direction === 'ingress' ? 'saddr' : 'daddr';
  let peer: string | undefined;
  if (rule.peer.kind === 'cidr4') peer = `ip ${side} ${rule.peer.cidr}`;
  else if (rule.peer.kind === 'cidr6') peer = `ip6 ${side} ${rule.peer.cidr}`;
  else if (rule.peer.kind === 'group') peer = groupMatch(rule.peer.group);
  if (peer === undefined) return undefined;
  return [peer, protocolMatch(rule)].filter(Boolean).join(' ');
}

export function describeRule(rule: SecurityGroupRule): string {
  const peer =
    rule.peer.kind === 'group'
      ? `group ${rule.peer.group}`
      : rule.peer.kind === 'unmodelled'
        ? rule.peer.what
        : rule.peer.cidr;
  const range =
    rule.from === undefined
      ? ''
      : rule.to === undefined || rule.to === rule.from
        ? `/${rule.from}`
        : `/${rule.from}-${rule.to}`;
  return `${String(rule.protocol)}${range} ${peer}${rule.description ? ` (${rule.description})` : ''}`;
}

const quote = (text: string) => `"${text.replace(/"/g, "'")}"`;
/** nftables keeps at most 128 characters of a comment. */
const comment = (text: string) => `comment ${quote(text.length > 127 ? `${text.slice(0, 124)}...` : text)}`;

class RulesetBuilder {
  private readonly hops = new Map<string, Hop>();
  readonly notes: string[] = [];

  /** The counter for a message (one per distinct message). */
  hop(message: string): string {
    let hop = this.hops.get(message);
    if (!hop) {
      hop = { counter: `hop${this.hops.size}`, message };
      this.hops.set(message, hop);
    }
    return `counter name ${hop.counter}`;
  }

  /** Accept rules for a group's rules; notes those the lab cannot stand in for. */
  accepts(
    rules: readonly SecurityGroupRule[],
    direction: Direction,
    groupMatch: GroupMatch,
    prefix: string,
    owner: string,
  ): string[] {
    return rules.flatMap((rule) => {
      const match = ruleMatch(rule, direction, groupMatch);
      if (match === undefined) {
        this.notes.push(`${owner} ${direction} ${describeRule(rule)}: no stand-in in the lab, admits nothing`);
        return [];
      }
      return [`${prefix}${match} accept ${comment(`${owner} ${direction}: ${describeRule(rule)}`)}`];
    });
  }

  build(table: string, chains: Record<string, { hook: string; rules: string[] }>): Ruleset {
    const lines = [`table inet ${table} {}`, `delete table inet ${table}`, `table inet ${table} {`];
    for (const hop of this.hops.values()) lines.push(`  counter ${hop.counter} {}`);
    for (const [name, chain] of Object.entries(chains)) {
      lines.push(`  chain ${name} {`, `    ${chain.hook}`, ...chain.rules.map((r) => `    ${r}`), '  }');
    }
    lines.push('}', '');
    return { table, text: lines.join('\n'), hops: [...this.hops.values()], notes: this.notes };
  }
}

function rulesOf(model: RelayPathModel, groups: readonly string[], direction: Direction) {
  return groups.flatMap((g) => {
    const group = model.securityGroups[g];
    if (!group) throw new Error(`Relay template: security group ${g} is not in the template`);
    return group[direction].map((rule) => ({ rule, owner: g }));
  });
}

/**
 * What the load balancer sends its targets: each target group's ports and health-check port, one entry per IP
 * protocol and port (what needs it joined), as the template's listeners use them.
 */
export function targetFlows(model: RelayPathModel): Array<{ protocol: 'tcp' | 'udp'; port: number; what: string }> {
  const flows = new Map<string, { protocol: 'tcp' | 'udp'; port: number; what: string }>();
  const add = (protocol: 'tcp' | 'udp', port: number, what: string) => {
    const key = `${protocol}/${port}`;
    const earlier = flows.get(key);
    flows.set(key, { protocol, port, what: earlier ? `${earlier.what}; ${what}` : what });
  };
  for (const tg of model.targetGroups.filter((t) => model.listeners.some((l) => l.targetGroup === t.id))) {
    for (const protocol of ipProtocols(tg.protocol)) add(protocol, tg.port, `target group ${tg.id}`);
    add('tcp', tg.healthCheck.port, `health check of target group ${tg.id}`);
  }
  return [...flows.values()];
}

/** The relay namespace: the relay security groups' rules, ingress on input and egress on output. */
export function relayRuleset(model: RelayPathModel, a: LabAddresses): Ruleset {
  const b = new RulesetBuilder();
  const lbGroups = new Set(model.loadBalancerSecurityGroups);
  const relayGroups = new Set(model.relaySecurityGroups);
  const ingressFrom: GroupMatch = (g) =>
    lbGroups.has(g) ? `iifname ${quote(a.relayLink)}` : relayGroups.has(g) ? `ip saddr ${a.relayIp}` : undefined;
  const egressTo: GroupMatch = (g) =>
    lbGroups.has(g) ? `ip daddr ${a.backIp}` : relayGroups.has(g) ? `ip daddr ${a.relayIp}` : undefined;
  const input = [
    // The instance's own loopback traffic never meets a security group.
    'iifname "lo" accept',
    'ct state established,related accept',
  ];
  for (const { rule, owner } of rulesOf(model, model.relaySecurityGroups, 'ingress')) {
    input.push(...b.accepts([rule], 'ingress', ingressFrom, '', owner));
  }
  for (const flow of targetFlows(model)) {
    input.push(
      `meta l4proto ${flow.protocol} th dport ${flow.port} ${b.hop(`relay security group admits no ${flow.protocol}/${flow.port} from the load balancer (${flow.what})`)} drop`,
    );
  }
  input.push(`${b.hop('relay security group admits nothing else')} drop`);
  const output = ['oifname "lo" accept', 'ct state established,related accept'];
  for (const { rule, owner } of rulesOf(model, model.relaySecurityGroups, 'egress')) {
    output.push(...b.accepts([rule], 'egress', egressTo, '', owner));
  }
  output.push(`${b.hop('relay security group lets nothing else out')} drop`);
  return b.build('hrtc_relay_sg', {
    input: { hook: 'type filter hook input priority filter; policy drop;', rules: input },
    output: { hook: 'type filter hook output priority filter; policy drop;', rules: output },
  });
}

/** Whether a URL's packets meet a listener that speaks them (TLS URLs need a TLS listener, plain ones a plain one). */
export function listenerForUrl(model: RelayPathModel, url: TurnUrlPath) {
  return model.listeners.find(
    (l) =>
      l.port === url.port &&
      ipProtocols(l.protocol).includes(url.ipProtocol) &&
      (url.transport === 'tls') === (l.protocol === 'TLS'),
  );
}

/**
 * The load-balancer stand-in: its security groups' ingress in front of the listeners, the listeners (DNAT to the
 * relay for TCP, UDP and TCP_UDP, client address kept; local accept for TLS, which the stand-in's proxy terminates),
 * and its security groups' egress on everything it sends to targets (forwarded flows, proxied TLS, health checks).
 * Only target groups that passed their health check get traffic.
 */
export function loadBalancerRuleset(
  model: RelayPathModel,
  urls: readonly TurnUrlPath[],
  a: LabAddresses,
  healthy: ReadonlySet<string>,
): Ruleset {
  const b = new RulesetBuilder();
  const relayGroups = new Set(model.relaySecurityGroups);
  const ingressFrom: GroupMatch = () => undefined; // clients are on the internet: no group names them
  const egressTo: GroupMatch = (g) => (relayGroups.has(g) ? `ip daddr ${a.relayIp}` : undefined);
  const front = `iifname ${quote(a.frontLink)} ip daddr ${a.frontIp} `;

  const sgIngress = ['ct state established,related accept'];
  for (const { rule, owner } of rulesOf(model, model.loadBalancerSecurityGroups, 'ingress')) {
    sgIngress.push(...b.accepts([rule], 'ingress', ingressFrom, front, owner));
  }
  for (const url of urls) {
    sgIngress.push(
      `${front}meta l4proto ${url.ipProtocol} th dport ${url.port} ${b.hop(`load balancer security group admits no ${url.ipProtocol}/${url.port} from the client (${url.url})`)} drop`,
    );
  }
  sgIngress.push(`${front}${b.hop('load balancer security group admits nothing else from the client')} drop`);

  const nat: string[] = [];
  const input = ['iifname "lo" accept', 'ct state established,related accept'];
  for (const listener of model.listeners) {
    const tg = model.targetGroups.find((t) => t.id === listener.targetGroup);
    if (!tg) throw new Error(`Relay template: listener ${listener.id} forwards to a missing target group`);
    for (const protocol of ipProtocols(listener.protocol)) {
      const match = `${front}meta l4proto ${protocol} th dport ${listener.port}`;
      if (!healthy.has(tg.id)) {
        input.push(
          `${match} ${b.hop(`load balancer listener ${listener.id} (${listener.protocol} ${listener.port}) has no healthy target: target group ${tg.id} failed its health check ${tg.healthCheck.protocol}/${tg.healthCheck.port}`)} drop`,
        );
      } else if (listener.protocol === 'TLS') {
        input.push(`${match} accept ${comment(`listener ${listener.id}: TLS terminated by the stand-in`)}`);
      } else if (ipProtocols(tg.protocol).includes(protocol)) {
        nat.push(`${match} dnat ip to ${a.relayIp}:${tg.port} ${comment(`listener ${listener.id}`)}`);
      }
    }
  }
  for (const url of urls) {
    if (listenerForUrl(model, url)) continue;
    const other = model.listeners.find((l) => l.port === url.port && ipProtocols(l.protocol).includes(url.ipProtocol));
    const message = other
      ? `load balancer listener ${other.id} on ${url.port} is ${other.protocol}, which does not speak ${url.transport} (${url.url})`
      : `load balancer has no listener for ${url.ipProtocol}/${url.port} (${url.url})`;
    input.push(`${front}meta l4proto ${url.ipProtocol} th dport ${url.port} ${b.hop(message)} drop`);
  }
  input.push(`${b.hop('load balancer drops what no listener takes')} drop`);

  const egress = (prefix: string) =>
    rulesOf(model, model.loadBalancerSecurityGroups, 'egress').flatMap(({ rule, owner }) =>
      b.accepts([rule], 'egress', egressTo, prefix, owner),
    );
  const blocked = (prefix: string) =>
    targetFlows(model).map(
      (flow) =>
        `${prefix}meta l4proto ${flow.protocol} th dport ${flow.port} ${b.hop(`load balancer security group lets no ${flow.protocol}/${flow.port} out to the relays (${flow.what})`)} drop`,
    );
  const back = `oifname ${quote(a.backLink)} `;
  const forward = [
    'ct state established,related accept',
    ...egress(`ct status dnat ${back}`),
    ...blocked(`ct status dnat ${back}`),
    // The stand-in is a load balancer, not a router: nothing else crosses it.
    `${b.hop('load balancer forwards nothing but its listeners')} drop`,
  ];
  const output = [
    'oifname "lo" accept',
    'ct state established,related accept',
    ...egress(back),
    ...blocked(back),
    `${b.hop('load balancer security group lets nothing else out')} drop`,
  ];
  return b.build('hrtc_lb', {
    sg_ingress: { hook: 'type filter hook prerouting priority -150; policy accept;', rules: sgIngress },
    listeners: { hook: 'type nat hook prerouting priority dstnat; policy accept;', rules: nat },
    input: { hook: 'type filter hook input priority filter; policy drop;', rules: input },
    forward: { hook: 'type filter hook forward priority filter; policy drop;', rules: forward },
    output: { hook: 'type filter hook output priority filter; policy drop;', rules: output },
  });
}

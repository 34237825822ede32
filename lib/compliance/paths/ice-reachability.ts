/**
 * ICE reachability: every TURN URL the signaling function hands out (`TURN_URLS`) must reach a relay through the
 * deployed network: DNS name -> load balancer -> listener of that protocol and port -> security groups -> target group
 * -> Auto Scaling group -> relay security group. Facts (Elastic Load Balancing, Network Load Balancers):
 * - "Update the security groups for your Network Load Balancer" (load-balancer-security-groups.html): with a security
 *   group, only what its inbound rules allow reaches the listeners; health checks are subject to its outbound rules;
 *   targets must accept the target port and the health-check port from the load balancer.
 * - "Target groups for your Network Load Balancers" (load-balancer-target-groups.html): client IP preservation is
 *   always on for UDP and TCP_UDP, on by default for TCP and TLS with instance targets.
 */
import { HopList, PATH_RULES, type Hop, type PathResult } from './model';
import {
  cidrContains,
  coversPort,
  describeRules,
  egressRules,
  ingressRules,
  isInternet,
  type SecurityGroupRule,
  type Transport,
} from './security-groups';
import {
  asList,
  label,
  propertiesOf,
  resolveResource,
  resolveString,
  resourcesOfType,
  sameResource,
  type Json,
  type ResourceId,
  type TemplateSet,
} from './template-set';

export interface TurnUrl {
  readonly url: string;
  readonly scheme: 'turn' | 'turns';
  readonly host: string;
  readonly port: number;
  readonly transport: Transport;
}

/** Parses a TURN URI (RFC 7065): `turn[s]:host[:port][?transport=udp|tcp]`. */
export function parseTurnUrl(url: string): TurnUrl | undefined {
  const match = /^(turns?):([^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/i.exec(url.trim());
  if (!match) return undefined;
  const scheme = match[1].toLowerCase() as 'turn' | 'turns';
  return {
    url: url.trim(),
    scheme,
    host: match[2].toLowerCase(),
    port: match[3] ? Number(match[3]) : scheme === 'turns' ? 5349 : 3478,
    transport: (match[4]?.toLowerCase() as Transport | undefined) ?? (scheme === 'turns' ? 'tcp' : 'udp'),
  };
}

/** Listener protocols that serve a URL: UDP needs UDP/TCP_UDP, TCP needs TCP/TCP_UDP, turns needs TLS. */
export function listenerProtocolsFor(url: TurnUrl): string[] {
  if (url.scheme === 'turns') return ['TLS'];
  return url.transport === 'udp' ? ['UDP', 'TCP_UDP'] : ['TCP', 'TCP_UDP'];
}

interface Located extends ResourceId {
  readonly properties: Record<string, Json>;
}

function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && !host.slice(0, -p.length + 1).includes('.');
  return p === host;
}

type DnsHop = Omit<Hop, 'name'> & { lb?: ResourceId };

/**
 * The resource a record's target names: a reference, or CDK's alias form for load balancers, a join of the literal
 * `dualstack.` and the load balancer's DNSName (Route 53 accepts the prefix for Elastic Load Balancing targets).
 */
function resolveDnsTarget(set: TemplateSet, stackId: string, value: Json): ReturnType<typeof resolveResource> {
  const direct = resolveResource(set, stackId, value);
  if (direct) return direct;
  const join = value?.['Fn::Join'];
  if (!Array.isArray(join) || join[0] !== '' || !Array.isArray(join[1])) return undefined;
  const parts = join[1] as Json[];
  const refs = parts.filter((part) => typeof part !== 'string');
  const literal = parts.filter((part): part is string => typeof part === 'string').join('');
  if (refs.length !== 1 || (literal !== '' && literal !== 'dualstack.') || typeof parts[parts.length - 1] === 'string')
    return undefined;
  const ref = resolveResource(set, stackId, refs[0]);
  return ref?.attribute === 'DNSName' ? ref : undefined;
}

/**
 * The load balancers a relay name resolves to: one hop per Route 53 record under the name that points at a load
 * balancer (several Regions each add one), or, with no record in the templates, the load balancers whose TLS
 * certificate names it (assumed: the record is outside the templates).
 *
 * Several records under one name (one per relay Region) must each have a routing policy and a set identifier (Route 53
 * refuses two simple records of one name and type) and evaluate the target's health: an alias record to a Network
 * Load Balancer is unhealthy when the load balancer has no healthy target only if EvaluateTargetHealth is true
 * (Route 53 developer guide, "Values for alias records", Evaluate target health); without it Route 53 keeps sending
 * clients to a Region whose relays are down.
 */
function findByDns(set: TemplateSet, host: string): DnsHop[] {
  const records = [
    ...resourcesOfType(set, 'AWS::Route53::RecordSet').map((r) => ({ ...r, record: r.properties })),
    ...resourcesOfType(set, 'AWS::Route53::RecordSetGroup').flatMap((r) =>
      asList(r.properties.RecordSets).map((record) => ({ ...r, record })),
    ),
  ].filter((r) => {
    const name = resolveString(set, r.stackId, r.record.Name);
    return name !== undefined && hostMatches(name, host);
  });
  const hops: DnsHop[] = [];
  for (const r of records) {
    const targets = [r.record.AliasTarget?.DNSName, ...asList(r.record.ResourceRecords)].filter((t) => t !== undefined);
    for (const target of targets) {
      const ref = resolveDnsTarget(set, r.stackId, target);
      if (!ref || !propertiesOf(set, ref) || resourceType(set, ref) !== 'AWS::ElasticLoadBalancingV2::LoadBalancer')
        continue;
      const lb = { stackId: ref.stackId, logicalId: ref.logicalId };
      const routing = r.record.Region !== undefined ? `latency (${r.record.Region})` : undefined;
      const problems: string[] =
        records.length < 2
          ? []
          : [
              ...(r.record.SetIdentifier === undefined || routing === undefined
                ? ['has no latency routing (Region and SetIdentifier), so Route 53 refuses it beside the others']
                : []),
              ...(r.record.AliasTarget?.EvaluateTargetHealth !== true
                ? ['does not evaluate target health, so clients keep being sent here when these relays are down']
                : []),
            ];
      // An alias record names the target's own hosted zone; any other zone ID is refused or resolves elsewhere.
      if (r.record.AliasTarget !== undefined) {
        const zone = resolveResource(set, r.stackId, r.record.AliasTarget.HostedZoneId);
        if (!sameResource(zone, ref) || zone?.attribute !== 'CanonicalHostedZoneID') {
          problems.push(
            `aliases load balancer ${label(ref)} with a HostedZoneId that is not its CanonicalHostedZoneID`,
          );
        }
      }
      hops.push(
        problems.length === 0
          ? {
              verdict: 'pass',
              detail: `Route 53 record ${label(r)} points ${host} at load balancer ${label(ref)}${routing ? `, ${routing} routing with target health evaluated` : ''}`,
              resource: ref,
              lb,
              node: `DNS name ${host}${routing ? ` (${r.record.Region})` : ''}`,
            }
          : {
              verdict: 'fail',
              detail: `Route 53 record ${label(r)} for ${host} (one of ${records.length}) ${problems.join('; and ')}`,
              fix: `Give every record of ${host} Region (latency routing), a SetIdentifier and AliasTarget.EvaluateTargetHealth: true.`,
              resource: { stackId: r.stackId, logicalId: r.logicalId },
              lb,
              node: `DNS name ${host}`,
            },
      );
    }
  }
  if (hops.length > 0) return hops;
  for (const listener of resourcesOfType(set, 'AWS::ElasticLoadBalancingV2::Listener')) {
    if (listener.properties.Protocol !== 'TLS' && listener.properties.Protocol !== 'HTTPS') continue;
    for (const cert of asList(listener.properties.Certificates)) {
      const certRef = resolveResource(set, listener.stackId, cert.CertificateArn);
      if (!certRef) continue;
      const certProps = propertiesOf(set, certRef);
      const names = [certProps.DomainName, ...asList(certProps.SubjectAlternativeNames)]
        .map((n) => resolveString(set, certRef.stackId, n))
        .filter((n): n is string => n !== undefined);
      const lb = resolveResource(set, listener.stackId, listener.properties.LoadBalancerArn);
      if (lb && names.some((n) => hostMatches(n, host))) {
        return [
          {
            verdict: 'assumed',
            detail:
              `${host} is a name on certificate ${label(certRef)} of load balancer ${label(lb)} (TLS listener ` +
              `${listener.logicalId}); no Route 53 record in the templates maps it, so the DNS record pointing ${host} ` +
              'at this load balancer is outside the templates: assumed, not provable locally',
            resource: lb,
            lb: { stackId: lb.stackId, logicalId: lb.logicalId },
            node: `DNS name ${host}`,
          },
        ];
      }
    }
  }
  return [
    {
      verdict: 'fail',
      detail: `no Route 53 record and no load balancer certificate in the templates names ${host}`,
      fix: `Serve ${host} from the relay load balancer: a Route 53 record aliasing it, or a certificate for it on the TLS listener.`,
      node: `DNS name ${host}`,
    },
  ];
}

function resourceType(set: TemplateSet, id: ResourceId): string | undefined {
  return set.stacks.find((s) => s.stackId === id.stackId)?.resources[id.logicalId]?.Type;
}

function listenersOf(set: TemplateSet, lb: ResourceId): Located[] {
  return resourcesOfType(set, 'AWS::ElasticLoadBalancingV2::Listener').filter((l) =>
    sameResource(resolveResource(set, l.stackId, l.properties.LoadBalancerArn), lb),
  );
}

function securityGroupsOf(set: TemplateSet, stackId: string, list: Json): ResourceId[] {
  return asList(list)
    .map((g) => resolveResource(set, stackId, g))
    .filter((g): g is NonNullable<typeof g> => g !== undefined)
    .map((g) => ({ stackId: g.stackId, logicalId: g.logicalId }));
}

function targetGroupOf(set: TemplateSet, listener: Located): ResourceId | undefined {
  for (const action of asList(listener.properties.DefaultActions)) {
    if (action.Type !== 'forward') continue;
    const arns = [action.TargetGroupArn, ...asList(action.ForwardConfig?.TargetGroups).map((t) => t.TargetGroupArn)];
    for (const arn of arns.filter((a) => a !== undefined)) {
      const ref = resolveResource(set, listener.stackId, arn);
      if (ref) return { stackId: ref.stackId, logicalId: ref.logicalId };
    }
  }
  return undefined;
}

function autoScalingGroupsOf(set: TemplateSet, tg: ResourceId): Located[] {
  return resourcesOfType(set, 'AWS::AutoScaling::AutoScalingGroup').filter((asg) =>
    asList(asg.properties.TargetGroupARNs).some((arn) => sameResource(resolveResource(set, asg.stackId, arn), tg)),
  );
}

function relayGroupsOf(set: TemplateSet, asg: Located): ResourceId[] {
  const template = resolveResource(set, asg.stackId, asg.properties.LaunchTemplate?.LaunchTemplateId);
  if (template) {
    const data = propertiesOf(set, template).LaunchTemplateData ?? {};
    return [
      ...securityGroupsOf(set, template.stackId, data.SecurityGroupIds),
      ...asList(data.NetworkInterfaces).flatMap((ni) => securityGroupsOf(set, template.stackId, ni.Groups)),
    ];
  }
  const config = resolveResource(set, asg.stackId, asg.properties.LaunchConfigurationName);
  return config ? securityGroupsOf(set, config.stackId, propertiesOf(set, config).SecurityGroups) : [];
}

interface Flow {
  readonly what: string;
  readonly transport: Transport;
  readonly port: number;
  /** Client traffic with its address kept comes from the internet, not from the load balancer. */
  readonly fromClients: boolean;
}

function targetTransport(tgProtocol: string, url: TurnUrl): Transport {
  if (tgProtocol === 'UDP') return 'udp';
  if (tgProtocol === 'TCP_UDP') return url.transport;
  return 'tcp';
}

function clientIpPreserved(tg: Record<string, Json>): boolean {
  const attribute = asList(tg.TargetGroupAttributes).find((a) => a.Key === 'preserve_client_ip.enabled');
  if (tg.Protocol === 'UDP' || tg.Protocol === 'TCP_UDP') return true;
  if (attribute) return String(attribute.Value) === 'true';
  return (tg.TargetType ?? 'instance') === 'instance';
}

function flowsTo(tg: Record<string, Json>, url: TurnUrl): Flow[] {
  const port = Number(tg.Port);
  const healthPort =
    tg.HealthCheckPort === undefined || tg.HealthCheckPort === 'traffic-port' ? port : Number(tg.HealthCheckPort);
  return [
    {
      what: `target port ${targetTransport(String(tg.Protocol), url)} ${port}`,
      transport: targetTransport(String(tg.Protocol), url),
      port,
      fromClients: clientIpPreserved(tg),
    },
    // Health checks of UDP target groups use TCP, HTTP or HTTPS: always TCP underneath.
    { what: `health-check port tcp ${healthPort}`, transport: 'tcp', port: healthPort, fromClients: false },
  ];
}

function vpcCidrOf(set: TemplateSet, tg: ResourceId): string | undefined {
  const vpc = resolveResource(set, tg.stackId, propertiesOf(set, tg).VpcId);
  return vpc ? resolveString(set, vpc.stackId, propertiesOf(set, vpc).CidrBlock) : undefined;
}

/**
 * Whether a rule's peer is right for a flow: the other group by reference always is (it works even with client IP
 * preservation); a CIDR must hold the internet when the flow keeps the client's address, and otherwise the VPC's
 * addresses (the load balancer's nodes).
 */
function peerAllowed(
  rule: SecurityGroupRule,
  peers: readonly ResourceId[],
  vpcCidr: string | undefined,
  fromClients: boolean,
): boolean {
  if (rule.peer) return peers.some((p) => sameResource(p, rule.peer));
  if (isInternet(rule.cidr)) return true;
  return !fromClients && rule.cidr !== undefined && vpcCidr !== undefined && cidrContains(rule.cidr, vpcCidr);
}

function groupNames(groups: readonly ResourceId[]): string {
  return groups.map((g) => label(g)).join(', ');
}

/** Evaluates one TURN URL hop by hop: one path per load balancer its name resolves to (one per relay Region). */
export function iceReachabilityPathsFor(set: TemplateSet, url: TurnUrl): PathResult[] {
  const candidates = findByDns(set, url.host);
  return candidates.map((dns) =>
    iceReachabilityPath(set, url, dns, candidates.length > 1 && dns.lb ? ` via ${dns.lb.stackId}` : ''),
  );
}

function iceReachabilityPath(set: TemplateSet, url: TurnUrl, dns: DnsHop, titleSuffix: string): PathResult {
  const hops = new HopList();
  let lb: ResourceId | undefined;
  let listener: Located | undefined;
  let tg: ResourceId | undefined;
  let relayGroups: ResourceId[] = [];
  let fleets: ResourceId[] = [];
  let lbGroups: ResourceId[] = [];
  const wanted = listenerProtocolsFor(url);

  hops.add('DNS name -> load balancer', () => {
    const { lb: found, ...hop } = dns;
    lb = found;
    // A misconfigured record still names its load balancer: the rest of the path is evaluated too.
    return found && hop.verdict === 'fail' ? { ...hop, verdict: 'fail' } : hop;
  });
  hops.add('listener', () => {
    const listeners = listenersOf(set, lb!);
    listener = listeners.find((l) => Number(l.properties.Port) === url.port && wanted.includes(l.properties.Protocol));
    lbGroups = securityGroupsOf(set, lb!.stackId, propertiesOf(set, lb!).SecurityGroups);
    const have = listeners.map((l) => `${l.properties.Protocol} ${l.properties.Port}`).join(', ') || 'none';
    if (!listener)
      return {
        verdict: 'fail',
        detail: `load balancer ${label(lb!)} has no ${wanted.join(' or ')} listener on port ${url.port} (its listeners: ${have})`,
        fix: `Add a ${wanted.join(' or ')} listener on port ${url.port} to ${label(lb!)}, or stop handing out ${url.url}.`,
        resource: lb,
        node: `listener ${wanted.join('/')} ${url.port} (missing)`,
      };
    return {
      verdict: 'pass',
      detail: `${listener.properties.Protocol} listener ${label(listener)} on port ${url.port}`,
      resource: listener,
      node: `listener ${listener.properties.Protocol} ${url.port}`,
    };
  });
  hops.add(
    'load-balancer security group: inbound from the internet',
    () => {
      const transport: Transport = url.scheme === 'turns' ? 'tcp' : url.transport;
      if (lbGroups.length === 0)
        return {
          verdict: 'pass',
          detail: `load balancer ${label(lb!)} has no security group: all client traffic reaches its listeners`,
        };
      const rules = lbGroups.flatMap((g) => ingressRules(set, g));
      const admitting = rules.find((r) => coversPort(r, transport, url.port) && isInternet(r.cidr));
      if (admitting)
        return {
          verdict: 'pass',
          detail: `${admitting.origin} admits ${transport} ${url.port} from ${admitting.cidr}`,
          resource: lbGroups[0],
          node: `load-balancer group ${lbGroups.map((g) => g.logicalId).join(', ')}`,
        };
      return {
        verdict: 'fail',
        detail:
          `no inbound rule of ${groupNames(lbGroups)} admits ${transport} ${url.port} from 0.0.0.0/0 or ::/0 ` +
          `(inbound: ${describeRules(rules)}): clients cannot reach the listener`,
        fix: `Allow ${transport} ${url.port} from 0.0.0.0/0 (and ::/0 if dual-stack) into ${groupNames(lbGroups)}.`,
        resource: lbGroups[0],
        node: `load-balancer group ${lbGroups.map((g) => g.logicalId).join(', ')}`,
      };
    },
    false,
  );
  hops.add('target group', () => {
    tg = targetGroupOf(set, listener!);
    if (!tg)
      return {
        verdict: 'fail',
        detail: `listener ${label(listener!)} forwards to no target group`,
        fix: 'Forward the listener to the relay target group.',
        resource: listener,
      };
    const p = propertiesOf(set, tg);
    return {
      verdict: 'pass',
      detail: `${label(tg)}: ${p.Protocol} ${p.Port}, health check ${p.HealthCheckProtocol ?? 'TCP'} ${p.HealthCheckPort ?? 'traffic-port'}`,
      resource: tg,
      node: `target group ${p.Protocol} ${p.Port}`,
    };
  });
  hops.add('Auto Scaling group attached', () => {
    const groups = autoScalingGroupsOf(set, tg!);
    if (groups.length === 0)
      return {
        verdict: 'fail',
        detail: `no Auto Scaling group lists ${label(tg!)} in TargetGroupARNs: the target group has no relays`,
        fix: `Attach the relay Auto Scaling group to ${label(tg!)} (TargetGroupARNs).`,
        resource: tg,
      };
    relayGroups = groups.flatMap((g) => relayGroupsOf(set, g));
    fleets = groups;
    return {
      verdict: 'pass',
      detail: `${groups.map((g) => label(g)).join(', ')} registers its instances in ${label(tg!)}`,
      resource: groups[0],
    };
  });
  const tgProps = () => propertiesOf(set, tg!);
  hops.add(
    'load-balancer security group: outbound to the target and health-check ports',
    () => {
      if (lbGroups.length === 0)
        return { verdict: 'pass', detail: 'no load-balancer security group: all traffic may leave the load balancer' };
      const rules = lbGroups.flatMap((g) => egressRules(set, g));
      const vpcCidr = vpcCidrOf(set, tg!);
      const missing = flowsTo(tgProps(), url).filter(
        (flow) =>
          !rules.some((r) => coversPort(r, flow.transport, flow.port) && peerAllowed(r, relayGroups, vpcCidr, false)),
      );
      if (missing.length === 0)
        return { verdict: 'pass', detail: `${groupNames(lbGroups)} lets the target and health-check traffic out` };
      return {
        verdict: 'fail',
        detail:
          `${groupNames(lbGroups)} has no outbound rule for ${missing.map((f) => f.what).join(' and ')} to the relays ` +
          `(outbound: ${describeRules(rules)})` +
          (missing.some((f) => !f.fromClients) ? ': health checks cannot leave, so every target is unhealthy' : ''),
        fix: `Allow ${missing.map((f) => f.what).join(' and ')} out of ${groupNames(lbGroups)} to the relay security group.`,
        resource: lbGroups[0],
      };
    },
    false,
  );
  const relaysNode = () =>
    `relays (${fleets.map((g) => g.logicalId).join(', ')}) in group ${relayGroups.map((g) => g.logicalId).join(', ')}`;
  hops.add(
    'relay security group: inbound from the load balancer',
    () => {
      if (relayGroups.length === 0)
        return {
          verdict: 'fail',
          detail: 'the relay instances have no security group in their launch template',
          fix: 'Give the relay launch template its security group.',
        };
      const rules = relayGroups.flatMap((g) => ingressRules(set, g));
      const vpcCidr = vpcCidrOf(set, tg!);
      const missing = flowsTo(tgProps(), url).filter(
        (flow) =>
          !rules.some(
            (r) => coversPort(r, flow.transport, flow.port) && peerAllowed(r, lbGroups, vpcCidr, flow.fromClients),
          ),
      );
      if (missing.length === 0)
        return {
          verdict: 'pass',
          detail: `${groupNames(relayGroups)} admits the target and health-check traffic`,
          resource: relayGroups[0],
          node: relaysNode(),
        };
      return {
        verdict: 'fail',
        detail: `${groupNames(relayGroups)} admits no ${missing.map((f) => f.what).join(' and ')} from the load balancer (inbound: ${describeRules(rules)})`,
        fix: `Allow ${missing.map((f) => f.what).join(' and ')} into ${groupNames(relayGroups)} from the load-balancer security group.`,
        resource: relayGroups[0],
        node: relaysNode(),
      };
    },
    false,
  );
  return { rule: PATH_RULES.ice, title: `${url.url}${titleSuffix}`, hops: hops.toArray() };
}

/** Every TURN URL any function hands out, each as a path. */
export function iceReachabilityPaths(set: TemplateSet): PathResult[] {
  const results: PathResult[] = [];
  for (const fn of resourcesOfType(set, 'AWS::Lambda::Function')) {
    const raw = fn.properties.Environment?.Variables?.TURN_URLS;
    if (raw === undefined) continue;
    const urls = resolveString(set, fn.stackId, raw);
    if (urls === undefined) {
      results.push({
        rule: PATH_RULES.ice,
        title: `TURN_URLS of ${label(fn)}`,
        hops: [
          {
            name: 'TURN URL',
            verdict: 'fail',
            detail: `TURN_URLS of ${label(fn)} is not a literal the templates fix, so no URL can be checked`,
            fix: 'Synthesize TURN_URLS as a literal list of URLs.',
            resource: fn,
          },
        ],
      });
      continue;
    }
    for (const text of urls.split(',').filter((u) => u.trim() !== '')) {
      const url = parseTurnUrl(text);
      results.push(
        ...(url
          ? iceReachabilityPathsFor(set, url)
          : [
              {
                rule: PATH_RULES.ice,
                title: text,
                hops: [
                  {
                    name: 'TURN URL',
                    verdict: 'fail' as const,
                    detail: `${label(fn)} hands out "${text}", which is not a TURN URL`,
                    fix: 'Hand out turn:host:port?transport=udp|tcp or turns:host:port?transport=tcp.',
                    resource: fn,
                  },
                ],
              },
            ]),
      );
    }
  }
  // With a TURN_URLS value the templates do not fix, which load balancers clients reach is unknown: that finding stands
  // alone rather than also calling every fleet unserved.
  const urlsUnknown = results.some((r) => r.hops.some((h) => h.name === 'TURN URL'));
  return urlsUnknown ? results : [...results, ...unservedRelayFleets(set, results)];
}

/**
 * Every relay fleet (an Auto Scaling group behind a load balancer listener) must be reached by some TURN URL: a Region
 * whose load balancer no record names would run relays that no client is ever sent to, and would not take over when
 * another Region fails.
 */
function unservedRelayFleets(set: TemplateSet, paths: readonly PathResult[]): PathResult[] {
  const served = new Set(
    paths.flatMap((p) =>
      p.hops.filter((h) => h.resource).map((h) => `${h.resource!.stackId}/${h.resource!.logicalId}`),
    ),
  );
  const loadBalancers = resourcesOfType(set, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter((lb) =>
    listenersOf(set, lb).some((l) => {
      const tg = targetGroupOf(set, l);
      return tg !== undefined && autoScalingGroupsOf(set, tg).length > 0;
    }),
  );
  return loadBalancers
    .filter((lb) => !served.has(`${lb.stackId}/${lb.logicalId}`))
    .map((lb) => ({
      rule: PATH_RULES.ice,
      title: `relay load balancer ${lb.stackId}/${lb.logicalId}`,
      hops: [
        {
          name: 'DNS name -> load balancer',
          verdict: 'fail' as const,
          detail: `load balancer ${label(lb)} forwards to relays, but no TURN URL any function hands out resolves to it: no client is ever sent to these relays`,
          fix: `Add a Route 53 latency alias record for the relay name pointing at ${label(lb)} (with EvaluateTargetHealth), or remove the fleet.`,
          resource: { stackId: lb.stackId, logicalId: lb.logicalId },
        },
      ],
    }));
}

/**
 * The relay load balancer's listeners and the security-group rules every one of them needs, as data. The Relay stack
 * builds its listeners, target groups and both security groups from this one list, so a listener cannot exist without
 * the rules that let clients in and let its traffic and health checks out to the relays (issue 11, defect 1).
 *
 * AWS facts this rests on (Elastic Load Balancing, Network Load Balancers, "Update the security groups for your
 * Network Load Balancer", load-balancer-security-groups.html):
 * - with a security group, only what its inbound rules allow reaches a listener;
 * - health checks are subject to the load balancer group's outbound rules, not its inbound rules;
 * - targets must accept the load balancer's traffic on the target port and on the health-check port; a rule that
 *   references the load balancer's group works even with client IP preservation on.
 */
import { RELAY_PORTS } from './fleet-turn-settings';

export type ListenerProtocol = 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS';
/** A security-group rule's IP protocol. */
export type IpProtocol = 'tcp' | 'udp';

export interface RelayListener {
  /** Construct id of the listener and its target group. */
  readonly id: string;
  readonly protocol: ListenerProtocol;
  readonly port: number;
  /** The target group's protocol: TCP_UDP listeners need TCP_UDP target groups (load-balancer-listeners.html). */
  readonly targetProtocol: ListenerProtocol;
  readonly targetPort: number;
  /** Network Load Balancers do not health-check over UDP; TCP is what a TCP_UDP target group can use. */
  readonly healthCheck: { readonly protocol: 'TCP'; readonly port: number };
}

/** The IP protocols a listener or target group of this protocol carries. TLS is TCP underneath. */
export function ipProtocolsOf(protocol: ListenerProtocol): IpProtocol[] {
  switch (protocol) {
    case 'TCP':
    case 'TLS':
      return ['tcp'];
    case 'UDP':
      return ['udp'];
    case 'TCP_UDP':
      return ['tcp', 'udp'];
  }
}

const healthCheck = { protocol: 'TCP', port: RELAY_PORTS.turn } as const;

/**
 * What the relay load balancer listens on. One name serves every URL signaling hands out
 * (`turn:<name>:3478?transport=udp`, `turn:<name>:3478?transport=tcp`, `turns:<name>:443?transport=tcp`):
 * - TCP_UDP 3478 -> relay 3478: TURN over UDP and TCP, client IP preserved (always, for TCP_UDP target groups);
 * - TLS 443 (ACM certificate) -> relay TLS 5349, re-encrypted inside the VPC.
 * Both target groups health-check TCP 3478: coturn answers it whenever it is up.
 */
export const RELAY_LISTENERS: readonly RelayListener[] = [
  {
    id: 'TurnTcpUdp',
    protocol: 'TCP_UDP',
    port: RELAY_PORTS.turn,
    targetProtocol: 'TCP_UDP',
    targetPort: RELAY_PORTS.turn,
    healthCheck,
  },
  {
    id: 'TurnTls',
    protocol: 'TLS',
    port: RELAY_PORTS.nlbTls,
    targetProtocol: 'TLS',
    targetPort: RELAY_PORTS.coturnTls,
    healthCheck,
  },
];

export interface PortRule {
  readonly protocol: IpProtocol;
  readonly port: number;
  /** Why the rule exists, for the rule's description. */
  readonly description: string;
}

function unique(rules: PortRule[]): PortRule[] {
  const seen = new Map<string, PortRule>();
  for (const rule of rules) {
    const key = `${rule.protocol}/${rule.port}`;
    const earlier = seen.get(key);
    seen.set(key, earlier ? { ...earlier, description: `${earlier.description}; ${rule.description}` } : rule);
  }
  return [...seen.values()];
}

/** Inbound to the load balancer's group: every listener on its protocol and port (from the internet). */
export function listenerIngress(listeners: readonly RelayListener[]): PortRule[] {
  return unique(
    listeners.flatMap((l) =>
      ipProtocolsOf(l.protocol).map((protocol) => ({
        protocol,
        port: l.port,
        description: `${l.protocol} listener ${l.port}`,
      })),
    ),
  );
}

/**
 * From the load balancer's group to the relays' group (its egress, their ingress): each target group's target port
 * on every protocol it carries, and its health-check port. Identical rules are merged, descriptions joined.
 */
export function loadBalancerToTargets(listeners: readonly RelayListener[]): PortRule[] {
  return unique(
    listeners.flatMap((l) => [
      ...ipProtocolsOf(l.targetProtocol).map((protocol) => ({
        protocol,
        port: l.targetPort,
        description: `${l.id} target ${l.targetProtocol} ${l.targetPort}`,
      })),
      { protocol: 'tcp' as const, port: l.healthCheck.port, description: `${l.id} health check` },
    ]),
  );
}

/** Each listener's URL scheme and transport, as signaling hands them out, must meet a listener (checked in tests). */
export function listenerFor(
  listeners: readonly RelayListener[],
  url: { readonly secure: boolean; readonly transport: IpProtocol; readonly port: number },
): RelayListener | undefined {
  return listeners.find(
    (l) =>
      l.port === url.port &&
      (url.secure ? l.protocol === 'TLS' : l.protocol !== 'TLS' && ipProtocolsOf(l.protocol).includes(url.transport)),
  );
}

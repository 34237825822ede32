import { RELAY_PORTS } from '../../lib/relay/fleet-turn-settings';
import {
  ipProtocolsOf,
  listenerFor,
  listenerIngress,
  loadBalancerToTargets,
  RELAY_LISTENERS,
  type RelayListener,
} from '../../lib/relay/load-balancer-paths';
import { turnUrlsForHosts } from '../../lib/signaling/ice-servers';

const rules = (list: { protocol: string; port: number }[]) => list.map((r) => `${r.protocol}/${r.port}`);

describe('the relay listeners', () => {
  test('TCP_UDP 3478 to a TCP_UDP target group on 3478, and TLS 443 to TLS 5349, both health-checked on TCP 3478', () => {
    expect(RELAY_LISTENERS.map((l) => [l.protocol, l.port, l.targetProtocol, l.targetPort, l.healthCheck])).toEqual([
      ['TCP_UDP', 3478, 'TCP_UDP', 3478, { protocol: 'TCP', port: 3478 }],
      ['TLS', 443, 'TLS', 5349, { protocol: 'TCP', port: 3478 }],
    ]);
  });

  // The app hands out turnUrlsForHosts([relay.domainName], { tls: 443 }) (lib/hipaa-rtc-app.ts).
  test.each(turnUrlsForHosts(['turn.example.org'], { tls: RELAY_PORTS.nlbTls }))('%s meets a listener', (url) => {
    const match = /^(turns?):[^:]+:(\d+)\?transport=(udp|tcp)$/.exec(url)!;
    const listener = listenerFor(RELAY_LISTENERS, {
      secure: match[1] === 'turns',
      port: Number(match[2]),
      transport: match[3] as 'udp' | 'tcp',
    });
    expect(listener).toBeDefined();
  });

  test('a UDP URL finds no listener when only TCP and TLS listen (the defect issue 11 found)', () => {
    const old: RelayListener[] = [
      { ...RELAY_LISTENERS[0]!, protocol: 'TCP', targetProtocol: 'TCP' },
      RELAY_LISTENERS[1]!,
    ];
    expect(listenerFor(old, { secure: false, port: 3478, transport: 'udp' })).toBeUndefined();
    expect(listenerFor(old, { secure: false, port: 3478, transport: 'tcp' })).toBeDefined();
    // turns: never lands on a plain listener, turn: never on the TLS one.
    expect(listenerFor(old, { secure: true, port: 3478, transport: 'tcp' })).toBeUndefined();
    expect(listenerFor(old, { secure: false, port: 443, transport: 'tcp' })).toBeUndefined();
  });
});

describe('security-group rules derived from the listeners', () => {
  test('IP protocols per listener protocol: TLS is TCP, TCP_UDP is both', () => {
    expect(ipProtocolsOf('TLS')).toEqual(['tcp']);
    expect(ipProtocolsOf('TCP')).toEqual(['tcp']);
    expect(ipProtocolsOf('UDP')).toEqual(['udp']);
    expect(ipProtocolsOf('TCP_UDP')).toEqual(['tcp', 'udp']);
  });

  test('inbound: each listener on each of its protocols, nothing else', () => {
    expect(rules(listenerIngress(RELAY_LISTENERS))).toEqual(['tcp/3478', 'udp/3478', 'tcp/443']);
  });

  test('to the targets: target ports per protocol and the health-check port, merged where equal', () => {
    const toTargets = loadBalancerToTargets(RELAY_LISTENERS);
    expect(rules(toTargets)).toEqual(['tcp/3478', 'udp/3478', 'tcp/5349']);
    // TCP 3478 carries TURN over TCP and both health checks; the description says so.
    expect(toTargets[0]!.description).toBe(
      'TurnTcpUdp target TCP_UDP 3478; TurnTcpUdp health check; TurnTls health check',
    );
  });

  test('a health check on its own port gets its own rule', () => {
    const listener: RelayListener = { ...RELAY_LISTENERS[1]!, healthCheck: { protocol: 'TCP', port: 8080 } };
    expect(rules(loadBalancerToTargets([listener]))).toEqual(['tcp/5349', 'tcp/8080']);
  });
});
